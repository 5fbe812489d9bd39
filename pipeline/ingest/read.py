"""Stage 1, ingest: discover the files under the raw folder, read and decode them, hash them.

Every input becomes exactly one `Document`. Problems never raise out of this stage: they turn
into a document with `status = "error"` and a message that names the file and the problem, so
the rest of the batch still runs.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pipeline.common.files import NotRegularFile, open_regular, regular_file_size
from pipeline.common.ids import short_hash
from pipeline.ingest.known import KnownInputs
from pipeline.records import (
    STATUS_DUPLICATE,
    STATUS_ERROR,
    STATUS_UNSUPPORTED,
    Document,
    Source,
)

# Extension -> format. ".html.gz" is checked before the single suffixes.
SUPPORTED_SUFFIXES = {".html.gz": "html", ".html": "html", ".htm": "html", ".txt": "text"}

# A saved article page is rarely above a few MB; anything far larger is a crawl artefact or a
# wrong file, and would stall a worker. Overridable with --max-bytes.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024

# Share of control characters (other than tab/newline/CR/form feed) above which decoded text
# is taken to be binary: real text dumps have essentially none.
MAX_CONTROL_CHAR_RATIO = 0.01
# Share of NUL bytes above which a file is binary (images, archives, UTF-16 without a byte-order
# mark). The share, not the presence: a few stray NULs from a broken export must not cost a whole
# article; any binary format has far more than 1 in 100 bytes.
MAX_NUL_RATIO = 0.01
# Bytes (and characters) sampled for both shares.
SAMPLE_SIZE = 65536

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy encodings tried in order when the bytes are not UTF-8. cp1252 is what Windows-era
# pages and text exports use; its undefined bytes make it fail on truly foreign data.
LEGACY_ENCODINGS = ("cp1252",)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


class InputError(Exception):
    """An input file that cannot be used; the message names the problem."""


def detect_format(name: str) -> str | None:
    lower = name.lower()
    for suffix, fmt in SUPPORTED_SUFFIXES.items():
        if lower.endswith(suffix):
            return fmt
    return None


def discover(raw_dir: Path) -> list[Source]:
    """All files under `raw_dir`, sorted by relative path. Hidden files are skipped.

    Directory symlinks are followed once; a directory already visited (a symlink loop) is not
    entered again. File symlinks that loop are returned and reported when read.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"{raw_dir}: input folder does not exist")
    sources = [
        Source(path=str(path), rel_path=path.relative_to(raw_dir).as_posix(), format=detect_format(path.name))
        for path in _walk_files(raw_dir)
    ]
    return sorted(sources, key=lambda s: s.rel_path)


def _walk_files(root: Path) -> Iterator[Path]:
    seen_dirs: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                try:
                    is_dir = entry.is_dir(follow_symlinks=True)
                except OSError:
                    is_dir = False  # broken or looping link: report it as a file
                if is_dir:
                    stack.append(path)
                else:
                    yield path


def content_hash(text: str) -> str:
    """Stable id of a text: SHA-256 of its normalised form (NFC, whitespace collapsed)."""
    return short_hash(" ".join(unicodedata.normalize("NFC", text).split()))


def read_source(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and decode one file. Never raises for bad input: returns an error document."""
    if source.format is None:
        return Document(
            doc_id=_path_id(source.rel_path),
            source_path=source.rel_path,
            format=None,
            status=STATUS_UNSUPPORTED,
            error=f"{source.rel_path}: unsupported file type (expected .html, .htm, .html.gz or .txt)",
        )
    try:
        data = _read_bytes(Path(source.path), max_bytes)
        if source.rel_path.lower().endswith(".gz"):
            data = _gunzip(data, max_bytes)
        text, encoding = decode(data)
        _check_content(text, source.format)
    except InputError as exc:
        return Document(
            doc_id=_path_id(source.rel_path),
            source_path=source.rel_path,
            format=source.format,
            status=STATUS_ERROR,
            error=f"{source.rel_path}: {exc}",
        )
    return Document(
        doc_id=content_hash(text),
        source_path=source.rel_path,
        format=source.format,
        encoding=encoding,
        text=text,
        n_chars_raw=len(text),
    )


def iter_documents(
    sources: Iterable[Source],
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: KnownInputs | None = None,
    served: Callable[[Document], bool] = lambda doc: False,
) -> Iterator[Document]:
    """Read the sources one at a time, marking exact re-saves of an earlier file as duplicates.

    A generator, so a run holds one decoded input at a time, not the whole corpus. With `known`
    (what earlier builds read), an unchanged file that `served` says the cache will serve whole
    is not read: its document comes without text. Files read in full are recorded in `known`.
    """
    first_path_by_id: dict[str, str] = {}
    for source in sources:
        doc = known.document(source, max_bytes) if known is not None else None
        if doc is None or not served(doc):
            doc = read_source(source, max_bytes)
            if known is not None:
                known.remember(source, doc)
        if doc.status == "ok":
            first = first_path_by_id.setdefault(doc.doc_id, doc.source_path)
            if first != doc.source_path:
                doc.status = STATUS_DUPLICATE
                doc.duplicate_of = first
        yield doc


def served_unread(source: Source, known: KnownInputs, served: Callable[[Document], bool], max_bytes: int) -> bool:
    """Whether `iter_documents` would pass this source on unread: unchanged since an earlier build
    read it, and served whole by the cache. File-system calls only; nothing is read."""
    doc = known.document(source, max_bytes)
    return doc is not None and served(doc)


def ingest(sources: Iterable[Source], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document]:
    """Every source read, as a list (for callers that want the whole batch at once)."""
    return list(iter_documents(sources, max_bytes))


def _path_id(rel_path: str) -> str:
    return short_hash("path:" + rel_path)


def readable_size(n_bytes: int) -> str:
    """ "16.8 MB", "30.0 kB" or "512 bytes": a small --max-bytes must not read as "0.0 MB"."""
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1e6:.1f} MB"
    if n_bytes >= 1_000:
        return f"{n_bytes / 1e3:.1f} kB"
    return f"{n_bytes} bytes"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; only a regular file is opened (a FIFO or a device would block or never end)."""
    try:
        size = regular_file_size(path)
        if size > max_bytes:
            raise InputError(f"file is {readable_size(size)}, above the {readable_size(max_bytes)} limit (--max-bytes)")
        with open_regular(path) as handle:  # checked again on the open file: it may have been swapped
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"file grew above the {readable_size(max_bytes)} limit (--max-bytes) while being read")
        return data
    except InputError:
        raise
    except OSError as exc:
        raise InputError(_describe_os_error(exc)) from exc


def _describe_os_error(exc: OSError) -> str:
    if isinstance(exc, NotRegularFile):
        return f"not read: {exc.strerror}; only regular files are inputs"
    if exc.errno == errno.ELOOP:
        return "symlink loop: the link never reaches a real file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "unreadable: permission denied"
    if exc.errno == errno.ENOENT:
        return "unreadable: broken symlink or file vanished"
    if exc.errno == errno.EISDIR:
        return "unreadable: is a directory"
    return f"unreadable: {exc.strerror or exc}"


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise InputError(f"not a valid gzip file ({exc})") from exc
    if len(out) > max_bytes:
        raise InputError(f"decompresses to more than the {readable_size(max_bytes)} limit (--max-bytes)")
    return out


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text: BOM first, then UTF-8, a declared charset, then legacy fallbacks.

    Returns (text, encoding used). Raises InputError for binary data or undecodable bytes.
    """
    if not data:
        raise InputError("empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"has a {encoding} byte-order mark but invalid bytes ({exc.reason})") from exc
    sample = data[:SAMPLE_SIZE]
    nuls = sample.count(0)
    if nuls / len(sample) > MAX_NUL_RATIO:
        raise InputError(f"binary file ({nuls} NUL bytes in its first {len(sample)}), not text or HTML")
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    for encoding in _declared_charsets(data) + list(LEGACY_ENCODINGS):
        try:
            return _checked(data.decode(encoding)), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(
        f"invalid UTF-8 at byte {utf8_error.start} and no fallback encoding ({', '.join(LEGACY_ENCODINGS)}) decodes it"
    )


def _declared_charsets(data: bytes) -> list[str]:
    match = META_CHARSET.search(data[:4096])
    if not match:
        return []
    name = match.group(1).decode("ascii", "ignore").lower()
    return [] if name in ("utf-8", "utf8") else [name]


# Control characters other than tab, newline, carriage return and form feed (Unicode category Cc).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _checked(text: str) -> str:
    """The text without a leading BOM and without stray control characters (a NUL breaks the HTML
    parser); InputError if there are so many that the file is binary."""
    sample = text[:SAMPLE_SIZE]
    if sample:
        # A regex count, not a per-character category lookup: this runs on every input of every build.
        controls = len(CONTROL_CHARS.findall(sample))
        if controls / len(sample) > MAX_CONTROL_CHAR_RATIO:
            raise InputError("binary file (control characters), not text or HTML")
        if controls or CONTROL_CHARS.search(text, len(sample)):
            text = CONTROL_CHARS.sub("", text)
    return text.lstrip("\ufeff")


TAGS = re.compile(r"<!--.*?-->|<[^>]+>", re.S)
# Parts of a page that never show as body text.
INVISIBLE = re.compile(r"<(head|script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)


def _check_content(text: str, fmt: str) -> None:
    if not text.strip():
        raise InputError("empty file (only whitespace)")
    if fmt == "html":
        visible = TAGS.sub(" ", INVISIBLE.sub(" ", text))
        if not visible.strip():
            raise InputError("HTML has no body: no visible text outside <head>")
