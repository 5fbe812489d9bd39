"""Opening files that may not be regular files: a FIFO, a device or a socket is never read.

Opening a named pipe for reading blocks until a writer appears, and reading `/dev/zero` never
ends, so everything the pipeline reads from folders it does not control (the inputs, the
decisions file, the last build's outputs) is opened here: without blocking, then checked with
`fstat` on the open descriptor, so a file swapped for a FIFO between a check and the open is
caught too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """A path that names something other than a regular file; its message says what."""


def kind_of(mode: int) -> str:
    """'a named pipe (FIFO)', 'a character device', ... for a stat mode."""
    for test, name in KINDS:
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path | str) -> BinaryIO:
    """Open `path` for reading if it is a regular file (symlinks followed); raise otherwise.

    Raises NotRegularFile (errno EINVAL, or EISDIR for a directory) naming what the path is,
    or the OSError of the open (missing, permission denied, symlink loop).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
            raise NotRegularFile(code, f"is {kind_of(mode)}, not a regular file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most `limit` + 1 of them when a limit is given)."""
    with open_regular(path) as handle:
        return handle.read() if limit is None else handle.read(limit + 1)


def regular_file_size(path: Path | str) -> int:
    """The size of a regular file, by `stat` (no open); raises NotRegularFile for anything else."""
    mode_size = os.stat(path)
    if not stat.S_ISREG(mode_size.st_mode):
        code = errno.EISDIR if stat.S_ISDIR(mode_size.st_mode) else errno.EINVAL
        raise NotRegularFile(code, f"is {kind_of(mode_size.st_mode)}, not a regular file", str(path))
    return mode_size.st_size
