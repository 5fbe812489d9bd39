"""Swapping two directories in one step, and making a directory tree durable before it is swapped in.

On Linux, `renameat2(..., RENAME_EXCHANGE)` exchanges two paths atomically: at every moment each
name holds one complete directory. It needs glibc 2.28 and a file system that supports it (ext4,
xfs, btrfs, tmpfs do; NFS, SMB and FUSE file systems mostly do not). `exchange` reports whether
it could; callers fall back to a journalled pair of renames (`pipeline/run/staging.py`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import stat
import sys
from functools import cache
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1
# Errors meaning "this system or file system cannot exchange", as opposed to a real failure.
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM}


@cache
def _renameat2():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    function = getattr(libc, "renameat2", None)  # glibc 2.28 and later; musl 1.2.2 and later
    if function is None:
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap the directories at `a` and `b` (both must exist) in one atomic step.

    Returns False, having changed nothing, when the system or file system cannot; raises
    OSError for any other failure.
    """
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def fsync_tree(root: Path) -> None:
    """Flush every file and directory under `root` (and `root`) to disk, so that after a power
    failure a swapped-in directory holds its files' contents, not empty files."""
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue  # links, and pipes a user keeps there: nothing to flush, and a pipe would block
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_directory(Path(folder))


def fsync_directory(path: Path) -> None:
    """Flush a directory's entries (renames into or out of it) to disk."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a directory; nothing more can be done there
    finally:
        os.close(fd)
