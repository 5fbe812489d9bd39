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
import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from pipeline.common.locks import exclusive_lock
from pipeline.run.stages import BY_NAME, PER_DOCUMENT

# $CURATE_CACHE_DIR moves it (the test suite uses a temporary one).
DEFAULT_CACHE_DIR = Path(os.environ.get("CURATE_CACHE_DIR", ".cache/curate"))
PACKAGE_DIR = Path(__file__).resolve().parents[1]

LOCK_NAME = ".lock"
SCRATCH_NAME = ".tmp"  # entries being written
COMPILED_NAME = "compiled"  # built objects (spaCy pipelines), reused across builds

T = TypeVar("T")

# Bumped when the layout of cached values changes.
CACHE_FORMAT = "6"


@cache
def stage_fingerprint(stage: str) -> str:
    """Hash of the sources, data files and library versions a stage's result depends on."""
    spec = BY_NAME[stage]
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{stage}".encode())
    for path in _module_files(spec.modules):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + path.read_bytes())
    for path in _data_files(spec.data):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + path.read_bytes())
    for library in spec.libraries:
        digest.update(f"{library}=={library_version(library) or 'absent'}".encode())
    return digest.hexdigest()


def pipeline_key(stages: tuple[str, ...]) -> str:
    """Hash of what the pipelines of these stages are built from: their fingerprints, the module
    that builds them (`run/steps.py`, which only the strip stage's fingerprint covers) and Python."""
    steps = (PACKAGE_DIR / "run" / "steps.py").read_bytes()
    parts = [sys.version, hashlib.sha256(steps).hexdigest(), *(stage_fingerprint(stage) for stage in stages)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _data_files(names: tuple[str, ...]) -> list[Path]:
    """The data files a stage lists: a file in pipeline/data, or every file of a folder ('vocabulary/')."""
    files: list[Path] = []
    for name in names:
        path = PACKAGE_DIR / "data" / name
        files += sorted(p for p in path.rglob("*") if p.is_file()) if name.endswith("/") else [path]
    return files


def _module_files(modules: tuple[str, ...]) -> list[Path]:
    """The files a stage lists: a module, or every module of a folder ('strip/')."""
    files: list[Path] = []
    for name in modules:
        path = PACKAGE_DIR / name
        files += sorted(path.rglob("*.py")) if name.endswith("/") else [path]
    return files


def library_version(name: str) -> str | None:
    """The installed version of a library, or None if it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def stage_keys(content_key: str) -> dict[str, str]:
    """The chained cache key of each per-document stage for one document (do not modify it)."""
    return _chained_keys(content_key, tuple(stage_fingerprint(stage) for stage in PER_DOCUMENT))


@lru_cache(maxsize=4096)  # a build asks for each document's keys two or three times
def _chained_keys(content_key: str, fingerprints: tuple[str, ...]) -> dict[str, str]:
    keys, previous = {}, content_key
    for stage, fingerprint in zip(PER_DOCUMENT, fingerprints, strict=True):
        previous = hashlib.sha256(f"{previous}|{fingerprint}".encode()).hexdigest()
        keys[stage] = previous
    return keys


class StageCache:
    """Pickled stage outputs under `root/stage/ab/abcdef...`; disabled, it stores nothing."""

    def __init__(self, root: Path = DEFAULT_CACHE_DIR, enabled: bool = True) -> None:
        self.root = Path(root)
        self.enabled = enabled
        self._root = str(self.root)

    def _path(self, stage: str, key: str) -> str:
        # Joined as strings: a build serving 5,000 documents asks for 30,000 paths, and pathlib
        # made that a quarter of a second.
        return os.path.join(self._root, stage, key[:2], key)

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
            Path(path).unlink(missing_ok=True)  # unreadable: recompute it
            return None

    def has(self, stage: str, key: str) -> bool:
        return self.enabled and os.path.isfile(self._path(stage, key))

    def put(self, stage: str, key: str, value: Any) -> None:
        """Store an entry: written under `root/.tmp/`, then renamed into place, so a worker killed
        midway leaves a temporary file there (removed by `sweep`), never a half entry."""
        if not self.enabled:
            return
        self._write(Path(self._path(stage, key)), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.root / SCRATCH_NAME
        scratch.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=scratch)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def compiled(self, name: str, key: str, build: Callable[[], T]) -> T:
        """The object `build()` makes, kept as `compiled/NAME-KEY.pickle` for later builds.

        For objects that are slow to build and quick to unpickle, such as the spaCy pipelines:
        `key` must hash everything they are built from. A new key replaces the older entries of
        the same name. The file starts with the SHA-256 of the pickle after it: an entry damaged
        on disk, or one that does not unpickle for any reason, is built again, never used.
        """
        if not self.enabled:
            return build()
        path = self.root / COMPILED_NAME / f"{name}-{key}.pickle"
        with contextlib.suppress(Exception):  # a cache: whatever goes wrong reading it, build instead
            data = path.read_bytes()
            if hashlib.sha256(data[32:]).digest() == data[:32]:
                return pickle.loads(data[32:])
        value = build()
        same_name = re.compile(rf"{re.escape(name)}-[0-9a-f]+\.pickle")
        for older in path.parent.glob(f"{name}-*.pickle"):
            if older != path and same_name.fullmatch(older.name):
                older.unlink(missing_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._write(path, hashlib.sha256(data).digest() + data)
        return value

    def sweep(self) -> None:
        """Remove the temporary files of entries whose writer was killed (call under `run_lock`)."""
        shutil.rmtree(self.root / SCRATCH_NAME, ignore_errors=True)

    def clear(self) -> int:
        """Remove every entry; returns how many there were. The lock file stays: a build waiting on
        it must find the same file as the next build."""
        if not self.root.exists():
            return 0
        stages = [self.root / stage for stage in PER_DOCUMENT]
        count = sum(1 for folder in stages for p in folder.rglob("*") if p.is_file())
        for child in self.root.iterdir():
            if child.name == LOCK_NAME:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        return count


def run_lock(root: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the cache for one build at a time; a second build waits for the first, and says so."""
    return exclusive_lock(root / LOCK_NAME, f"the stage cache {root}")
