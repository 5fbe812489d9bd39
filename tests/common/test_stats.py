from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.common.stats import Stats
from pipeline.extract.claims import ClaimStats


@dataclass
class Example(Stats):
    seen: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)


def test_stats_add_field_by_field_without_changing_either_side():
    a, b = Example(2, Counter(x=1)), Example(3, Counter(x=2, y=1))
    total = a + b
    assert (total.seen, total.by_kind) == (5, Counter(x=3, y=1))
    assert (a.seen, a.by_kind, b.seen) == (2, Counter(x=1), 3)


def test_stats_of_different_stages_do_not_add():
    assert Example().__add__(ClaimStats()) is NotImplemented


def test_to_dict_sorts_counters_for_stable_json():
    assert Example(1, Counter(b=1, a=2)).to_dict() == {"seen": 1, "by_kind": {"a": 2, "b": 1}}
    assert list(Example(1, Counter(b=1, a=2)).to_dict()["by_kind"]) == ["a", "b"]
