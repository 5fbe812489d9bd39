"""Whole-build shortcut: a `curate run` that would rebuild exactly what is already there does nothing.

A build key hashes everything a build's output depends on: every input file's bytes and path,
the pipeline's own code and data files, the library and Python versions, the settings that
reach the output (input and output folders, --max-bytes, the decisions file's path) and the
decisions file's content. The manifest records the key and a hash of every file written. When
the key is unchanged and every written file is still as written, the build is skipped, as
`make` skips a target newer than its sources.

`BuildInputs` discovers the raw folder and reads the decisions file once; the key and the build
both use what it found. This module imports only the standard library and light pipeline
modules, so the check costs the hashing of the inputs, not the start-up of spaCy and Arrow.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.common.files import NotRegularFile, read_regular, regular_file_size
from pipeline.common.ids import file_sha256
from pipeline.ingest.known import KnownInputs, identity
from pipeline.ingest.read import discover
from pipeline.records import Source
from pipeline.review.decisions import Decision, decode_decisions, parse_decisions, read_decisions_file
from pipeline.run.cache import library_version

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Bumped when what the key covers changes.
KEY_VERSION = "1"
LIBRARIES = (
    "trafilatura", "justext", "lxml", "beautifulsoup4", "spacy", "wordfreq", "pyarrow", "pandas", "pyyaml",
)  # fmt: skip


@dataclass
class BuildInputs:
    """What a build reads: found once, so the key, the build and the manifest agree on it."""

    raw_dir: Path
    out_dir: Path
    max_bytes: int
    decisions_path: Path
    known: KnownInputs | None = None  # the index of the build's cache: hashes of unchanged files

    @cached_property
    def sources(self) -> list[Source]:
        return discover(self.raw_dir)

    @property
    def input_digests(self) -> dict[str, str]:
        """rel_path -> what the key hashes of each input: its bytes' SHA-256 (from the index for a
        file unchanged since a build read it), or what keeps the build from reading it."""
        return self._hashed[0]

    @property
    def hashed_identities(self) -> dict[str, list[int] | None]:
        """rel_path -> the file's identity just before its bytes were hashed: a file edited
        after that no longer matches it, so the index never pairs a hash with a later state."""
        return self._hashed[1]

    @cached_property
    def _hashed(self) -> tuple[dict[str, str], dict[str, list[int] | None]]:
        known = self.known or KnownInputs(None)
        digests, identities = {}, {}
        for source in self.sources:
            identities[source.rel_path] = identity(source.path)
            cached = known.digest(source, self.max_bytes)
            digests[source.rel_path] = cached or _input_digest(Path(source.path), self.max_bytes)
        return digests, identities

    @cached_property
    def decisions_bytes(self) -> bytes | None:
        """The decisions file as read, or None when there is none yet."""
        return read_decisions_file(self.decisions_path)

    @cached_property
    def decisions(self) -> list[Decision]:
        data = self.decisions_bytes
        if data is None:
            return []
        return parse_decisions(decode_decisions(data, self.decisions_path), self.decisions_path)

    @property
    def decisions_sha256(self) -> str | None:
        data = self.decisions_bytes
        return hashlib.sha256(data).hexdigest() if data is not None else None


def build_key(inputs: BuildInputs) -> str:
    digest = hashlib.sha256(f"{KEY_VERSION}|{__version__}|{platform.python_version()}".encode())
    for name in LIBRARIES:
        digest.update(f"|{name}={library_version(name)}".encode())
    for path in _package_files():
        digest.update(f"|code:{path.relative_to(PACKAGE_DIR).as_posix()}:".encode())
        digest.update(path.read_bytes())
    settings = f"|raw={inputs.raw_dir}|out={inputs.out_dir}|max={inputs.max_bytes}|decisions={inputs.decisions_path}"
    digest.update(settings.encode())
    digest.update(f"|decisions-content:{inputs.decisions_sha256 or 'none'}".encode())
    for rel_path, input_digest in inputs.input_digests.items():
        digest.update(f"|input:{rel_path}:{input_digest}".encode())
    return digest.hexdigest()


def _package_files() -> list[Path]:
    """The pipeline's modules and data files: its code and rules."""
    data = [p for p in (PACKAGE_DIR / "data").rglob("*") if p.is_file()]
    return sorted([*PACKAGE_DIR.rglob("*.py"), *data])


def _input_digest(path: Path, max_bytes: int) -> str:
    """The hash of an input's bytes; for files the build cannot read, what stops it (that is its input too).

    A FIFO, device or socket is never opened (reading one would block or never end)."""
    try:
        size = regular_file_size(path)
        if size > max_bytes:
            return f"too-large:{size}"
        return file_sha256(path)
    except NotRegularFile as exc:
        return f"not-a-file:{exc.strerror}"
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def output_digests(paths: list[Path], root: Path | None = None) -> dict[str, str]:
    """path relative to the output folder -> sha256 of every file a build wrote, for the manifest."""
    root = root or (paths[0].parent if paths else Path())
    return {path.relative_to(root).as_posix(): _output_digest(path) for path in sorted(paths)}


def _output_digest(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError as exc:
        return f"unreadable:{exc.errno}"


@dataclass(frozen=True)
class LastBuild:
    manifest: dict[str, Any]
    stats: dict[str, Any]


def up_to_date(inputs: BuildInputs, key: str) -> LastBuild | None:
    """The last build, if a run with these inputs (whose `build_key` is `key`) would rebuild it
    unchanged; else None."""
    manifest = _read_json(inputs.out_dir / "manifest.json")
    if not manifest or manifest.get("build_key") != key:
        return None
    outputs = manifest.get("outputs") or {}
    for name, digest in outputs.items():
        if _output_digest(inputs.out_dir / name) != digest:
            return None  # an output was edited or removed: rebuild it
    stats = _read_json(inputs.out_dir / "stats.json")
    if stats is None or "stats.json" not in outputs:
        return None
    return LastBuild(manifest=manifest, stats=stats)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
