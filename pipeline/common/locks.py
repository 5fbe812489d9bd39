"""One lock implementation: an exclusive lock on a file beside what it protects.

The lock is a POSIX record lock (`fcntl.lockf`), not `flock`: record locks belong to the
process that took them and are not inherited by the worker processes it forks, so a killed
build never leaves its lock held by orphaned workers, and the kernel drops it the moment the
holder dies. The holder writes its PID into the file, so a build that has to wait can say
which process it is waiting for.

Within one process the lock is re-entrant: a POSIX lock is dropped when the process closes *any*
descriptor of the file, so taking it a second time (opening the file again) would release it
on the way out. A nested `exclusive_lock` on a path this process holds just runs its block.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

# Lock files this process holds (real paths), with how many blocks hold each.
_held: dict[str, int] = {}


class LockBusy(Exception):
    """Raised by a non-blocking `exclusive_lock` when another process holds the lock."""


def _default_notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def holder_of(path: Path) -> int | None:
    """The PID recorded in a lock file, if it names a process that is still alive."""
    try:
        pid = int(path.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, owned by another user
    return pid


@contextlib.contextmanager
def exclusive_lock(
    path: Path, what: str, notice: Callable[[str], None] = _default_notice, blocking: bool = True
) -> Iterator[None]:
    """Hold `path` locked while the block runs; wait (saying for whom) while another process holds it.

    `what` names the protected thing in the waiting message ("the stage cache .cache/curate").
    With `blocking=False`, raise LockBusy instead of waiting.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    with _locked(path, what, notice, blocking):
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]


@contextlib.contextmanager
def _locked(path: Path, what: str, notice: Callable[[str], None], blocking: bool) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if not _try_lock(fd):
            if not blocking:
                raise LockBusy(f"{what}: {path} is locked by another process")
            holder = holder_of(path)
            by = f"process {holder}" if holder else "another process"
            notice(f"waiting for {what}: {path} is locked by {by}")
            fcntl.lockf(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True
