from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from pipeline.ingest import read as ingest
from pipeline.ingest.read import InputError, decode, discover, read_source
from pipeline.ingest.read import ingest as ingest_all


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _read(folder: Path, name: str, **kwargs):
    (source,) = [s for s in discover(folder) if s.rel_path == name]
    return read_source(source, **kwargs)


def test_discover_finds_supported_formats_and_flags_others(tmp_path):
    for name in ["a.html", "b.htm", "c.html.gz", "d.txt", "e.pdf", ".hidden.txt"]:
        _write(tmp_path, name, b"x")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "f.TXT", b"x")
    found = {s.rel_path: s.format for s in discover(tmp_path)}
    assert found == {
        "a.html": "html",
        "b.htm": "html",
        "c.html.gz": "html",
        "d.txt": "text",
        "e.pdf": None,
        "sub/f.TXT": "text",
    }


def test_unsupported_file_is_reported_not_read(tmp_path):
    _write(tmp_path, "notes.pdf", b"%PDF-1.4")
    doc = _read(tmp_path, "notes.pdf")
    assert doc.status == "unsupported"
    assert "notes.pdf" in doc.error and "unsupported" in doc.error


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        (b"\xef\xbb\xbfCaf\xc3\xa9 run", "utf-8-sig", "Café run"),
        ("Café run".encode(), "utf-8", "Café run"),
        (b"Caf\xe9 \x93quads\x94", "cp1252", "Café “quads”"),
        ("Café".encode("utf-16"), "utf-16", "Café"),
    ],
)
def test_decode_bom_utf8_and_legacy_fallback(data, encoding, expected):
    assert decode(data) == (expected, encoding)


def test_decode_uses_declared_charset_before_legacy_fallback():
    data = '<html><head><meta charset="koi8-r"></head><body>Бег</body></html>'.encode("koi8-r")
    text, encoding = decode(data)
    assert encoding == "koi8-r" and "Бег" in text


def test_doc_id_is_stable_and_ignores_whitespace_layout():
    assert ingest.content_hash("Quads  extend\r\nthe knee.") == ingest.content_hash("Quads extend the knee.")
    assert ingest.content_hash("Quads extend the knee.") != ingest.content_hash("Quads flex the knee.")


def test_same_article_saved_twice_is_a_duplicate_of_the_first(tmp_path, article_text):
    _write(tmp_path, "a-first.txt", article_text.encode())
    _write(tmp_path, "b-copy.txt", article_text.replace("\n", "\r\n").encode())
    first, copy = ingest_all(discover(tmp_path))
    assert first.status == "ok" and first.duplicate_of is None
    assert copy.status == "duplicate" and copy.duplicate_of == "a-first.txt"
    assert copy.doc_id == first.doc_id


def test_html_gz_is_decompressed(tmp_path):
    html = b"<html><body><p>The soleus works hard on every stride.</p></body></html>"
    _write(tmp_path, "page.html.gz", gzip.compress(html))
    doc = _read(tmp_path, "page.html.gz")
    assert doc.status == "ok" and "soleus" in doc.text


# --- bad input: each gets status=error and a message naming the file and the problem ----------


def _assert_error(doc, name: str, words: str) -> None:
    assert doc.status == "error"
    assert doc.error.startswith(f"{name}:")
    assert words in doc.error


def test_empty_file(tmp_path):
    _write(tmp_path, "empty.txt", b"")
    _assert_error(_read(tmp_path, "empty.txt"), "empty.txt", "empty file")


def test_whitespace_only_file(tmp_path):
    _write(tmp_path, "blank.txt", b"  \n\n \t\n")
    _assert_error(_read(tmp_path, "blank.txt"), "blank.txt", "empty file")


def test_binary_file(tmp_path):
    _write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _assert_error(_read(tmp_path, "image.txt"), "image.txt", "binary file")


def test_invalid_utf8_without_sensible_fallback(tmp_path):
    # 0x81 and 0x8d are undefined in cp1252, so no fallback decodes these bytes.
    _write(tmp_path, "broken.txt", b"Quadriceps \x81\x8d\x90 extend the knee.")
    _assert_error(_read(tmp_path, "broken.txt"), "broken.txt", "invalid UTF-8")


def test_html_without_body(tmp_path):
    _write(tmp_path, "nobody.html", b"<html><head><title>Calves</title><script>x()</script></head></html>")
    _assert_error(_read(tmp_path, "nobody.html"), "nobody.html", "no body")


def test_html_fragment_without_body_tag_is_accepted(tmp_path):
    _write(tmp_path, "fragment.html", b"<h1>Glutes</h1><p>The glutes extend the hip.</p>")
    assert _read(tmp_path, "fragment.html").status == "ok"


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a sparse 50 MB file
    _assert_error(_read(tmp_path, "huge.txt"), "huge.txt", "above the 16.8 MB limit")


def test_a_small_size_limit_is_named_in_units_that_show_it(tmp_path):
    _write(tmp_path, "notes.txt", b"The soleus lifts the heel. " * 4000)
    doc = _read(tmp_path, "notes.txt", max_bytes=30_000)
    _assert_error(doc, "notes.txt", "file is 108.0 kB, above the 30.0 kB limit (--max-bytes)")


def test_unreadable_file(tmp_path, monkeypatch):
    _write(tmp_path, "locked.txt", b"The hamstrings flex the knee.")
    real_open = os.open

    def deny(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    _assert_error(_read(tmp_path, "locked.txt"), "locked.txt", "permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_by_permissions(tmp_path):
    path = _write(tmp_path, "locked.txt", b"The hamstrings flex the knee.")
    path.chmod(0)
    _assert_error(_read(tmp_path, "locked.txt"), "locked.txt", "permission denied")


def test_symlink_loop(tmp_path):
    os.symlink(tmp_path / "b.txt", tmp_path / "a.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    _assert_error(_read(tmp_path, "a.txt"), "a.txt", "symlink loop")


def test_directory_symlink_loop_does_not_hang_discovery(tmp_path):
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "calf.txt", b"The calves plantarflex the ankle.")
    os.symlink(tmp_path, tmp_path / "sub" / "back-to-top")
    paths = [s.rel_path for s in discover(tmp_path)]
    assert paths.count("sub/calf.txt") == 1


def test_decode_rejects_empty_bytes():
    with pytest.raises(InputError, match="empty"):
        decode(b"")
