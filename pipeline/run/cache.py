"""A per-document cache of stage outputs, so that a rebuild only redoes what changed.

Each stage's output for a document is stored under a key that hashes the document's content
with a fingerprint of everything that can change that stage's result: the source of the
modules it runs, its data files and the versions of the libraries it calls. Keys chain, so a
lexicon edit re-runs recognition and claims but keeps the stripped blocks, and a change to the
boilerplate patterns re-runs all three.

Entries are pickles written to a temporary file and renamed into place, so a crash leaves
either the old entry or none; `run_lock` keeps two builds from using one cache at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import shutil
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.common.atomic import write_atomically

# $CURATE_CACHE_DIR moves it (the test suite uses a temporary one).
DEFAULT_CACHE_DIR = Path(os.environ.get("CURATE_CACHE_DIR", ".cache/curate"))
PACKAGE_DIR = Path(__file__).resolve().parents[1]

# What each stage depends on: modules, data files, libraries. Listed by hand, because an import
# graph would also pull in modules whose edits cannot change the result (the CLI, the writer).
STAGE_INPUTS: dict[str, dict[str, tuple[str, ...]]] = {
    "strip": {
        "modules": (
            "strip/html.py",
            "strip/textclean.py",
            "strip/htmldump.py",
            "common/rules.py",
            "records.py",
            "reconcile/dedupe.py",
        ),
        "data": ("boilerplate_patterns.jsonl", "stopwords_extra_en.txt"),
        "libraries": ("trafilatura", "justext", "lxml", "beautifulsoup4"),
    },
    "muscles": {
        "modules": (
            "extract/muscles.py",
            "extract/lexicon.py",
            "extract/lexicon_merge.py",
            "extract/muscle_lists.py",
            "extract/spelling.py",
            "common/sentences.py",
            "common/rules.py",
            "records.py",
        ),
        "data": ("muscles.jsonl", "muscles_uberon.jsonl", "muscle_sense_guards.jsonl", "abbreviation_cues.jsonl"),
        "libraries": ("spacy", "wordfreq"),
    },
    "claims": {
        "modules": (
            "extract/claims.py",
            "extract/vocabulary.py",
            "common/sentences.py",
            "extract/lexicon.py",
            "extract/lexicon_merge.py",
            "common/rules.py",
            "records.py",
        ),
        "data": ("claim_vocabulary.jsonl", "claim_cues.jsonl", "muscles.jsonl", "muscles_uberon.jsonl"),
        "libraries": ("spacy",),
    },
}
STAGES = tuple(STAGE_INPUTS)
# Bumped when the layout of cached values changes.
CACHE_FORMAT = "3"


@cache
def stage_fingerprint(stage: str) -> str:
    """Hash of the sources, data files and library versions a stage's result depends on."""
    inputs = STAGE_INPUTS[stage]
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{stage}".encode())
    for name in inputs["modules"]:
        digest.update(name.encode() + (PACKAGE_DIR / name).read_bytes())
    for name in inputs["data"]:
        digest.update(name.encode() + (PACKAGE_DIR / "data" / name).read_bytes())
    for library in inputs["libraries"]:
        digest.update(f"{library}=={library_version(library) or 'absent'}".encode())
    return digest.hexdigest()


def library_version(name: str) -> str | None:
    """The installed version of a library, or None if it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def stage_keys(content_key: str) -> dict[str, str]:
    """The chained cache key of each stage for one document."""
    keys, previous = {}, content_key
    for stage in STAGES:
        previous = hashlib.sha256(f"{previous}|{stage_fingerprint(stage)}".encode()).hexdigest()
        keys[stage] = previous
    return keys


class StageCache:
    """Pickled stage outputs under `root/stage/ab/abcdef...`; disabled, it stores nothing."""

    def __init__(self, root: Path = DEFAULT_CACHE_DIR, enabled: bool = True) -> None:
        self.root = Path(root)
        self.enabled = enabled

    def _path(self, stage: str, key: str) -> Path:
        return self.root / stage / key[:2] / key

    def get(self, stage: str, key: str) -> Any | None:
        if not self.enabled:
            return None
        path = self._path(stage, key)
        try:
            with open(path, "rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            path.unlink(missing_ok=True)  # unreadable: recompute it
            return None

    def has(self, stage: str, key: str) -> bool:
        return self.enabled and self._path(stage, key).is_file()

    def put(self, stage: str, key: str, value: Any) -> None:
        if not self.enabled:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(self._path(stage, key), lambda tmp: tmp.write_bytes(data))

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        if not self.root.exists():
            return 0
        count = sum(1 for p in self.root.rglob("*") if p.is_file() and not p.name.startswith("."))
        shutil.rmtree(self.root)
        return count


@contextlib.contextmanager
def run_lock(root: Path) -> Iterator[None]:
    """Hold the cache for one build at a time; a second build waits for the first."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
