"""Progress bars with an ETA on an interactive terminal, one per stage; silence anywhere else (CI, pipes)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


def _bar(enabled: bool, **options: Any) -> Any:
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(leave=False, **options)


def progress(items: Iterable[T], total: int, label: str, enabled: bool, unit: str = "doc") -> Iterator[T]:
    """Iterate `items`, advancing a bar of `total` steps."""
    bar = _bar(enabled, total=total, desc=label, unit=unit)
    try:
        for item in items:
            yield item
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()


class Steps:
    """A bar over a stage made of a few named steps (reconcile, write): shows the current one."""

    def __init__(self, label: str, total: int, enabled: bool) -> None:
        self.bar = _bar(enabled, total=total, desc=label, unit="step")

    def __enter__(self) -> Steps:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Show `name` while the block runs; advance the bar when it ends."""
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=True)
        yield
        if self.bar is not None:
            self.bar.update(1)

    def advance(self, name: str) -> None:
        """One step done; `name` says which."""
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=False)
            self.bar.update(1)
