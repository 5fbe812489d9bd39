"""Stats that merge themselves, as datatrove's pipeline stats do.

Each stage keeps its counters in a dataclass deriving from `Stats`. Per-document stats add up
with `+` (Counters add, numbers add, nested stats add), so a run sums whatever its documents
report without knowing the fields; `to_dict` gives the JSON written to stats.json.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any, TypeVar

S = TypeVar("S", bound="Stats")


@dataclasses.dataclass
class Stats:
    def __add__(self: S, other: S) -> S:
        if type(other) is not type(self):
            return NotImplemented
        merged = {f.name: _add(getattr(self, f.name), getattr(other, f.name)) for f in dataclasses.fields(self)}
        return type(self)(**merged)

    def __iadd__(self: S, other: S) -> S:
        if type(other) is not type(self):
            return NotImplemented
        for f in dataclasses.fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            else:
                setattr(self, f.name, _add(mine, theirs))
        return self

    def __getstate__(self) -> tuple[dict[str, Any], dict[str, dict]]:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        counters = {name: dict(value) for name, value in values.items() if type(value) is Counter}
        return {name: value for name, value in values.items() if name not in counters}, counters

    def __setstate__(self, state: tuple[dict[str, Any], dict[str, dict]]) -> None:
        values, counters = state
        for name, value in values.items():
            object.__setattr__(self, name, value)
        for name, counts in counters.items():
            object.__setattr__(self, name, counter_of(counts))

    def to_dict(self) -> dict[str, Any]:
        """Fields in order; Counters become dicts sorted by key."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, Counter):
        total = Counter(a)
        total.update(b)  # update, not +: keeps zero and negative counts as they are
        return total
    return a + b


def _plain(value: Any) -> Any:
    if isinstance(value, Counter):
        return dict(sorted(value.items()))
    if isinstance(value, Stats):
        return value.to_dict()
    return value


def counter_of(counts: dict[str, int]) -> Counter[str]:
    """A Counter holding `counts`, made without Counter's own (slow) argument checks."""
    counter: Counter[str] = Counter()
    dict.update(counter, counts)
    return counter
