"""The index of inputs read before: an unchanged file served by the cache is not read again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from pipeline.ingest import read as read_module
from pipeline.ingest.known import INDEX_FILE, RACY_NS, KnownInputs
from pipeline.ingest.read import discover, iter_documents

TEXT = "The soleus works hardest on long slow runs.\nThe gastrocnemius takes over when you sprint.\n"


def aged(path: Path, seconds: float = 60) -> None:
    """Date a file back, as a file saved well before the build that reads it."""
    past = time.time() - seconds
    os.utime(path, (past, past))


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(TEXT + name)
        aged(folder / name)
    return folder


def reads(monkeypatch) -> list[str]:
    """The files iter_documents reads in full from now on."""
    seen: list[str] = []
    original = read_module.read_source

    def counting(source, max_bytes=read_module.DEFAULT_MAX_BYTES):
        seen.append(source.rel_path)
        return original(source, max_bytes)

    monkeypatch.setattr(read_module, "read_source", counting)
    return seen


def build_once(raw: Path, cache: Path, served=lambda doc: True) -> list:
    known = KnownInputs.load(cache)
    docs = list(iter_documents(discover(raw), known=known, served=served))
    known.save()
    return docs


def test_an_unchanged_file_the_cache_serves_is_not_read_again(raw, tmp_path, monkeypatch):
    first = build_once(raw, tmp_path / "cache")
    seen = reads(monkeypatch)
    again = build_once(raw, tmp_path / "cache")
    assert seen == []
    assert [(d.doc_id, d.encoding, d.n_chars_raw, d.text) for d in again] == [
        (d.doc_id, d.encoding, d.n_chars_raw, "") for d in first
    ]


def test_a_changed_file_or_one_the_cache_lacks_is_read(raw, tmp_path, monkeypatch):
    build_once(raw, tmp_path / "cache")
    (raw / "b.txt").write_text(TEXT + "b, edited")
    aged(raw / "b.txt")
    seen = reads(monkeypatch)
    build_once(raw, tmp_path / "cache")
    assert seen == ["b.txt"]
    seen.clear()
    build_once(raw, tmp_path / "cache", served=lambda doc: doc.source_path != "a.txt")
    assert seen == ["a.txt"]


def test_a_file_written_just_before_it_was_recorded_is_read_again(raw, tmp_path, monkeypatch):
    (raw / "a.txt").write_text(TEXT + "fresh")  # modified now: within RACY_NS of the recording
    build_once(raw, tmp_path / "cache")
    seen = reads(monkeypatch)
    build_once(raw, tmp_path / "cache")
    assert seen == ["a.txt"]
    assert RACY_NS >= 1_000_000_000


def test_a_fresh_file_is_trusted_once_the_build_key_hashed_it_to_the_bytes_recorded(raw, tmp_path, monkeypatch):
    import hashlib

    from pipeline.ingest.known import identity

    fresh = raw / "a.txt"
    fresh.write_text(TEXT + "fresh")  # within RACY_NS of the recording, as a build run right after an edit

    def keyed_build(sha256: str) -> None:
        known = KnownInputs.load(tmp_path / "cache")
        known.digests, known.hashed = {"a.txt": sha256}, {"a.txt": identity(str(fresh))}  # as the build key sets them
        list(iter_documents(discover(raw), known=known, served=lambda doc: True))
        known.save()

    true_sha = hashlib.sha256(fresh.read_bytes()).hexdigest()
    keyed_build(true_sha)
    index = tmp_path / "cache" / INDEX_FILE
    first_recorded = json.loads(index.read_text())["entries"]["a.txt"]["recorded_ns"]
    seen = reads(monkeypatch)
    keyed_build(true_sha)
    assert seen == []
    # Verified by its hash, the entry is recorded again: once the file is old enough, its
    # identity alone will do, and the next key takes the hash from the index.
    assert json.loads(index.read_text())["entries"]["a.txt"]["recorded_ns"] > first_recorded
    keyed_build("0" * 64)  # the key found other bytes behind the same identity: read it
    assert seen == ["a.txt"]


def test_failed_reads_are_not_remembered_and_a_damaged_index_is_ignored(raw, tmp_path, monkeypatch):
    (raw / "empty.txt").write_text("   \n")
    aged(raw / "empty.txt")
    build_once(raw, tmp_path / "cache")
    seen = reads(monkeypatch)
    build_once(raw, tmp_path / "cache")
    assert seen == ["empty.txt"]
    (tmp_path / "cache" / INDEX_FILE).write_text("{not json")
    seen.clear()
    build_once(raw, tmp_path / "cache")
    assert sorted(seen) == ["a.txt", "b.txt", "empty.txt"]


def test_without_a_cache_every_file_is_read(raw, monkeypatch):
    seen = reads(monkeypatch)
    known = KnownInputs.load(None)
    list(iter_documents(discover(raw), known=known, served=lambda doc: True))
    list(iter_documents(discover(raw), known=known, served=lambda doc: True))
    assert sorted(seen) == ["a.txt", "a.txt", "b.txt", "b.txt"]


def test_a_lower_max_bytes_reads_an_unchanged_file_again_and_refuses_it(raw, tmp_path, monkeypatch):
    build_once(raw, tmp_path / "cache")
    seen = reads(monkeypatch)
    known = KnownInputs.load(tmp_path / "cache")
    docs = list(iter_documents(discover(raw), max_bytes=20, known=known, served=lambda doc: True))
    assert seen == ["a.txt", "b.txt"]
    assert [d.status for d in docs] == ["error", "error"] and "--max-bytes" in docs[0].error
