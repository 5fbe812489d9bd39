"""Score one article's muscles and claims against its gold entry, and sum scores over articles.

Totals are micro-averages: counts are summed over articles before dividing, so an article
with many claims weighs more than one with a single claim, as it does in the dataset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from pipeline.evaluate.gold import ANNOTATED_RELATIONS, MEMBER, GoldArticle, GoldClaim
from pipeline.evaluate.keys import KeyMapping
from pipeline.evaluate.lines import LineScore
from pipeline.evaluate.text import normalised_set

# What a predicted claim is, against the gold: a required claim, an acceptable one, or neither.
GOLD, ACCEPTABLE, EXTRA = "gold", "acceptable", "extra"


@dataclass(frozen=True)
class Ratio:
    """hits / total, kept as counts so totals can be summed; value is None when total is 0."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.hits + other.hits, self.total + other.total)


def total(ratios: Iterable[Ratio]) -> Ratio:
    """Micro-average: the sum of the counts."""
    return sum(ratios, Ratio(0, 0))


@dataclass
class MuscleScore:
    """Gold keys found and missed, and lexicon ids mentioned that no gold or optional key covers."""

    found: list[str]
    missed: list[str]
    extra: list[str]

    @property
    def precision(self) -> Ratio:
        return Ratio(len(self.found), len(self.found) + len(self.extra))

    @property
    def recall(self) -> Ratio:
        return Ratio(len(self.found), len(self.found) + len(self.missed))


@dataclass(frozen=True)
class PredictedClaim:
    """A distinct (muscle, relation, object) of one document, with its first evidence sentence."""

    muscle_id: str
    relation: str
    object_id: str
    object_label: str
    sentence: str
    rule_id: str
    verdict: str = EXTRA


@dataclass
class ClaimScore:
    """Gold claims found and missed, and every predicted claim with its verdict."""

    found: list[GoldClaim]
    missed: list[GoldClaim]
    predicted: list[PredictedClaim]

    @property
    def recall(self) -> Ratio:
        return Ratio(len(self.found), len(self.found) + len(self.missed))

    @property
    def precision(self) -> Ratio:
        return Ratio(sum(claim.verdict != EXTRA for claim in self.predicted), len(self.predicted))

    def by_relation(self, relation: str) -> tuple[Ratio, Ratio]:
        """(precision, recall) of one relation."""
        predicted = [claim for claim in self.predicted if claim.relation == relation]
        found = sum(claim.relation == relation for claim in self.found)
        missed = sum(claim.relation == relation for claim in self.missed)
        correct = sum(claim.verdict != EXTRA for claim in predicted)
        return Ratio(correct, len(predicted)), Ratio(found, found + missed)


@dataclass
class ArticleScore:
    """Everything measured on one article; `lines` is None where boilerplate was not scored."""

    key: str
    source_path: str
    muscles: MuscleScore
    claims: ClaimScore
    lines: LineScore | None = None
    notes: list[str] = field(default_factory=list)


def score_muscles(article: GoldArticle, mentioned: set[str], mapping: KeyMapping) -> MuscleScore:
    """Map each mentioned lexicon id back to gold keys and compare with the gold's muscle list."""
    gold, optional = set(article.muscles), set(article.optional)
    found: set[str] = set()
    extra: set[str] = set()
    for muscle_id in mentioned:
        keys = mapping.keys(muscle_id)
        if keys & gold:
            found |= keys & gold
        elif not keys & optional:
            extra.add(muscle_id)
    return MuscleScore(sorted(found), sorted(gold - found), sorted(extra))


class ClaimMatcher:
    """Decides whether a predicted claim states a gold claim.

    The subject matches through the key mapping; the object matches when one of the gold's
    wordings, folded, equals the folded object_label or one of the object's vocabulary phrases.
    Matching on the label as well as the vocabulary keeps objects outside the vocabulary
    (candidate terms) matchable; `member` objects are muscle keys, mapped like subjects.
    """

    def __init__(self, mapping: KeyMapping, phrases: dict[tuple[str, str], tuple[str, ...]]) -> None:
        self.mapping = mapping
        self.phrases = phrases
        self._object_forms = cache(self._forms)
        self._wordings = cache(normalised_set)  # gold objects are tuples, so they can be cache keys

    def _forms(self, relation: str, object_id: str, object_label: str) -> frozenset[str]:
        return normalised_set((object_label, *self.phrases.get((relation, object_id), ())))

    def matches(self, predicted: PredictedClaim, gold: GoldClaim) -> bool:
        if predicted.relation != gold.relation or predicted.muscle_id not in self.mapping.ids(gold.subject):
            return False
        if gold.relation == MEMBER:
            return any(predicted.object_id in self.mapping.ids(key) for key in gold.objects)
        forms = self._object_forms(predicted.relation, predicted.object_id, predicted.object_label)
        return bool(forms & self._wordings(gold.objects))


def predicted_claims(rows: list[dict[str, Any]]) -> list[PredictedClaim]:
    """Distinct (muscle, relation, object) of the annotated relations, first occurrence first."""
    seen: dict[tuple[str, str, str], PredictedClaim] = {}
    for row in rows:
        key = (row["muscle_id"], row["relation"], row["object_id"])
        if row["relation"] in ANNOTATED_RELATIONS and key not in seen:
            seen[key] = PredictedClaim(*key, row["object_label"], row["sentence"], row["rule_id"])
    return list(seen.values())


def score_claims(article: GoldArticle, rows: list[dict[str, Any]], matcher: ClaimMatcher) -> ClaimScore:
    """Recall over the gold claims; precision over the predicted ones (acceptable claims count as right)."""
    predicted = []
    for claim in predicted_claims(rows):
        if any(matcher.matches(claim, gold) for gold in article.claims):
            verdict = GOLD
        elif any(matcher.matches(claim, gold) for gold in article.acceptable):
            verdict = ACCEPTABLE
        else:
            verdict = EXTRA
        predicted.append(replace(claim, verdict=verdict))
    found = [gold for gold in article.claims if any(matcher.matches(claim, gold) for claim in predicted)]
    missed = [gold for gold in article.claims if gold not in found]
    return ClaimScore(found, missed, predicted)
