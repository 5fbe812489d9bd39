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


@dataclass
class Nested(Stats):
    inner: Example = field(default_factory=Example)
    total: int = 0


def test_adding_in_place_gives_the_same_sum_and_leaves_the_other_side_alone():
    a, b = Example(2, Counter(x=1)), Example(3, Counter(x=2, y=-1))
    expected = a + b
    a += b
    assert (a.seen, a.by_kind) == (expected.seen, expected.by_kind) == (5, Counter(x=3, y=-1))
    assert (b.seen, b.by_kind) == (3, Counter(x=2, y=-1))
    outer = Nested(Example(1, Counter(z=1)), 1)
    outer += Nested(Example(1, Counter(z=2)), 2)
    assert (outer.inner.seen, outer.inner.by_kind, outer.total) == (2, Counter(z=3), 3)


def test_stats_come_back_from_pickle_with_real_counters():
    import pickle

    restored = pickle.loads(pickle.dumps(Nested(Example(4, Counter(b=2, a=0)), 7)))
    assert restored == Nested(Example(4, Counter(b=2, a=0)), 7)
    assert type(restored.inner.by_kind) is Counter and restored.inner.by_kind["missing"] == 0
    assert list(restored.inner.by_kind) == ["b", "a"]  # insertion order kept


@dataclass(slots=True)
class Slotted(Stats):
    seen: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)


def test_stats_with_slots_survive_pickle_and_copy():
    import copy
    import pickle

    original = Slotted(3, Counter(x=2))
    assert pickle.loads(pickle.dumps(original)) == original == copy.deepcopy(original)
