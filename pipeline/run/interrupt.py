"""Stopping a build cleanly on SIGTERM, SIGHUP or SIGINT, and never halfway through a swap.

A signal's default action kills the process at once, leaving the worker pool and the staging
folder behind. While a build runs, these signals instead raise `Interrupted` (SIGINT raises
KeyboardInterrupt, as usual) in the main thread, so the `with` blocks unwind: the workers are
killed, the staging folder is removed and the locks are released. Inside `deferred()` (the few
renames that publish a build) a signal waits until the block ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class Interrupted(BaseException):
    """A termination signal arrived; a BaseException so that no `except Exception` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


_state = {"deferring": 0, "pending": 0}


def _stop(signum: int, frame: FrameType | None) -> None:
    if _state["deferring"]:
        _state["pending"] = signum
        return
    _raise(signum)


def _raise(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn the stop signals into exceptions while the block runs (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold back a stop signal until the block has run; then raise it."""
    _state["deferring"] += 1
    try:
        yield
    finally:
        _state["deferring"] -= 1
        pending = _state["pending"]
        if pending and not _state["deferring"]:
            _state["pending"] = 0
            _raise(pending)
