"""Progress bars with an ETA on an interactive terminal, one per stage; elsewhere (CI, pipes, log
files) a heartbeat line now and then, so a long build is seen to be alive."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

# Seconds between heartbeat lines when the output is not a terminal: a log shows within this
# long that a build is alive, and a build of a few minutes adds a dozen lines at most.
HEARTBEAT_SECONDS = 10.0


class Heartbeat:
    """A line on stderr every HEARTBEAT_SECONDS while a stage runs, from a sleeping thread (so it
    also speaks while one long document holds up the stage); nothing if the stage ends sooner."""

    def __init__(self, label: str, enabled: bool, total: int | None = None) -> None:
        self.label, self.total, self.done, self.step = label, total, 0, ""
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if enabled and not sys.stderr.isatty():
            self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{label}", daemon=True)
            self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            print(self.line(), file=sys.stderr, flush=True)

    def line(self) -> str:
        elapsed = f"{time.monotonic() - self.started:.0f} s elapsed"
        if self.total is not None:
            return f"curate: {self.label}: {self.done} of {self.total} done, {elapsed}"
        return f"curate: {self.label}: {self.step or 'working'}, {elapsed}"

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def _bar(enabled: bool, **options: Any) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(leave=False, **options)


def progress(items: Iterable[T], total: int, label: str, enabled: bool, unit: str = "doc") -> Iterator[T]:
    """Iterate `items`, advancing a bar of `total` steps."""
    bar = _bar(enabled, total=total, desc=label, unit=unit)
    heartbeat = Heartbeat(label, enabled and bar is None, total)
    try:
        for item in items:
            yield item
            heartbeat.done += 1
            if bar is not None:
                bar.update(1)
    finally:
        heartbeat.stop()
        if bar is not None:
            bar.close()


class Steps:
    """A bar over a stage made of a few named steps (reconcile, write): shows the current one."""

    def __init__(self, label: str, total: int, enabled: bool) -> None:
        self.bar = _bar(enabled, total=total, desc=label, unit="step")
        self.heartbeat = Heartbeat(label, enabled and self.bar is None)

    def __enter__(self) -> Steps:
        return self

    def __exit__(self, *exc: object) -> None:
        self.heartbeat.stop()
        if self.bar is not None:
            self.bar.close()

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Show `name` while the block runs; advance the bar when it ends."""
        self.heartbeat.step = name
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=True)
        yield
        if self.bar is not None:
            self.bar.update(1)

    def advance(self, name: str) -> None:
        """One step done; `name` says which."""
        self.heartbeat.step = name
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=False)
            self.bar.update(1)
