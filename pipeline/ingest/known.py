"""What earlier builds learned from each input file, so that an unchanged file need not be read.

Reading, decoding and checking a thousand HTML pages costs about two seconds; a build in which
one article changed needs the text of that one only, since every other document comes whole
from the stage cache. The index maps each input's relative path to the file's identity (size,
modification and change times, inode) and the document it read as (id, format, encoding,
length): `iter_documents` yields that document, without its text, for a file whose identity is
unchanged and whose stages the cache holds; any other file is read as usual.

A file written within `RACY_NS` of the moment its entry was recorded is not trusted on its
identity alone: a change inside one tick of the file system's clock could leave size and times
as they were. It is trusted once this build's key has hashed it to the bytes recorded. Documents
that failed to read are not recorded; they are read again every time.

Entries also keep the SHA-256 of the file's bytes that the build key hashed, so the next build
key takes a trusted file's hash from here instead of reading the file (`digest`): at 5,000 inputs
that is most of the cost of finding that nothing changed.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.common.atomic import write_json_atomically
from pipeline.records import STATUS_OK, Document, Source

INDEX_FILE = ".inputs.json"  # hidden: not a cache entry, but `clean-cache` removes it too
FORMAT_VERSION = 1
# Two seconds: coarser than any file system's timestamp resolution (FAT's is two seconds).
RACY_NS = 2_000_000_000
RECORDED = ("doc_id", "format", "encoding", "n_chars_raw")


def identity(path: str) -> list[int] | None:
    """A file's size, modification and change times and inode; None if it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


@dataclass
class KnownInputs:
    """The index of one cache folder: loaded at the start of a build, saved at its end."""

    path: Path | None  # None: an index that remembers nothing (the cache is off)
    entries: dict[str, dict] = field(default_factory=dict)
    recorded_ns: int = field(default_factory=time.time_ns)
    digests: dict[str, str] = field(default_factory=dict)  # rel_path -> SHA-256 this build's key hashed
    hashed: dict[str, list[int] | None] = field(default_factory=dict)  # rel_path -> identity when hashed

    @classmethod
    def load(cls, cache_dir: Path | None) -> KnownInputs:
        if cache_dir is None:
            return cls(None)
        path = Path(cache_dir) / INDEX_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["entries"] if data.get("version") == FORMAT_VERSION else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # a missing or damaged index only means reading every file
        return cls(path, entries if isinstance(entries, dict) else {})

    def document(self, source: Source, max_bytes: int) -> Document | None:
        """The document an unchanged file read as last time, without its text; else None (also
        for a file over `max_bytes`, which must be read to be refused).

        An entry recorded before the index kept hashes takes the one this build's key made."""
        entry = self._unchanged(source, max_bytes)
        if entry is None:
            return None
        if "sha256" not in entry and self._hashed_as(source.rel_path, entry["identity"]):
            entry["sha256"] = self.digests[source.rel_path]
        try:
            fields = {name: entry[name] for name in RECORDED}
        except KeyError:
            return None
        return Document(source_path=source.rel_path, status=STATUS_OK, **fields)

    def digest(self, source: Source, max_bytes: int) -> str | None:
        """The SHA-256 an unchanged file's bytes had when it was last read in full; else None."""
        entry = self._unchanged(source, max_bytes)
        if entry is None:
            return None
        sha256 = entry.get("sha256")
        return sha256 if isinstance(sha256, str) else None

    def _unchanged(self, source: Source, max_bytes: int) -> dict | None:
        """The entry of a file whose identity is as recorded, long enough before the record to
        trust, and no larger than `max_bytes` (a larger file must be read to be refused)."""
        entry = self.entries.get(source.rel_path)
        now = identity(source.path)
        if not isinstance(entry, dict) or now is None or entry.get("identity") != now or now[0] > max_bytes:
            return None
        if entry.get("format") != source.format:
            return None
        if entry.get("recorded_ns", 0) - now[1] < RACY_NS:
            if not self._hashed_same(source.rel_path, entry, now):
                return None
            # Verified now, as a read would have: recorded again, so a later build can trust the
            # identity alone (and take the hash from here) once the file is old enough.
            entry["recorded_ns"] = self.recorded_ns
        return entry

    def _hashed_same(self, rel_path: str, entry: dict, now: list[int]) -> bool:
        """Whether this build's key hashed the file, as it is now, to the bytes the entry was read
        from: then an entry recorded too soon after the file's last write is as good as any (a
        build run right after an edit need not read that file again on the next build)."""
        return self._hashed_as(rel_path, now) and entry.get("sha256") == self.digests[rel_path]

    def remember(self, source: Source, doc: Document) -> None:
        """Record a document read in full (only a clean read: errors are read again next time)."""
        now = identity(source.path)
        if self.path is None or doc.status != STATUS_OK or now is None:
            return
        entry = {name: getattr(doc, name) for name in RECORDED}
        entry |= {"identity": now, "recorded_ns": self.recorded_ns}
        if self._hashed_as(source.rel_path, now):
            entry["sha256"] = self.digests[source.rel_path]
        self.entries[source.rel_path] = entry

    def _hashed_as(self, rel_path: str, now: list[int]) -> bool:
        """Whether the build key hashed this file in the state it has now (not before an edit)."""
        return rel_path in self.digests and self.hashed.get(rel_path) == now

    def forget_others(self, sources: list[Source]) -> None:
        """Drop the entries of files no longer among the inputs."""
        present = {s.rel_path for s in sources}
        self.entries = {k: v for k, v in self.entries.items() if k in present}

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomically(self.path, {"version": FORMAT_VERSION, "entries": dict(sorted(self.entries.items()))})
