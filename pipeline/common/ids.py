"""Short, stable identifiers: the first 16 hex digits of a SHA-256.

Every id in the tables (doc_id, mention_id, claim_id, fact_id, conflict_id) and the digests of
the rule files are made here, so they are all made the same way: 64 bits are plenty to keep
ids of one dataset apart, and short enough to type as a prefix in `curate decide`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.common.files import open_regular

ID_LENGTH = 16
# Files are hashed in pieces of this size, so a large input is never held whole.
READ_CHUNK = 1 << 20


def short_hash(data: str | bytes) -> str:
    """The first 16 hex digits of the SHA-256 of `data` (text is hashed as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:ID_LENGTH]


def short_id(*parts: object) -> str:
    """An id made of several values: the short hash of their text joined by '|'."""
    return short_hash("|".join(str(part) for part in parts))


def file_sha256(path: Path) -> str:
    """The full SHA-256 of a file's bytes, read in pieces. Raises OSError if it cannot be read,
    and NotRegularFile (an OSError) for a FIFO, device or socket, which is never opened for reading."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
