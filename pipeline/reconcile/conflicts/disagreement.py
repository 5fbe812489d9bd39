"""Disagreements: sources giving incompatible values for a single-valued slot (how many members a
group has; whether a muscle is a primary or a supporting one)."""

from __future__ import annotations

from pipeline.extract.lexicon import Lexicon
from pipeline.reconcile.conflicts import Conflict, fact_conflict
from pipeline.reconcile.conflicts.naming import LEXICON_FILE
from pipeline.reconcile.evidence import MAX_EVIDENCE_PER_SIDE, Evidence, EvidenceIndex, one_per_doc
from pipeline.reconcile.facts import Fact
from pipeline.records import DISAGREEMENT, RELATION_MEMBER, RELATION_MEMBER_COUNT, RELATION_PROMINENCE


def _by_muscle(facts: list[Fact], relation: str) -> list[tuple[str, list[Fact]]]:
    grouped: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.relation == relation:
            grouped.setdefault(fact.muscle_id, []).append(fact)
    return sorted(grouped.items())


def count_disagreements(facts: list[Fact], index: EvidenceIndex, lexicon: Lexicon) -> list[Conflict]:
    """'A squad of four' hamstrings against the three members named and listed."""
    conflicts = []
    for muscle_id, stated in _by_muscle(facts, RELATION_MEMBER_COUNT):
        entry = lexicon[muscle_id]
        listed = len(entry.members)
        values = sorted({int(f.object_id) for f in stated})
        if values == [listed]:
            continue
        members = ", ".join(lexicon[m].name for m in entry.members)
        evidence = [index.of_claim(f"says {f.object_id}", c) for f in stated for c in one_per_doc(f.claims)]
        evidence += _named_members(muscle_id, stated, index, lexicon)
        evidence.append(Evidence(f"names {listed}", None, LEXICON_FILE, f"the lexicon lists {members}"))
        wrong = [f.fact_id for f in stated if int(f.object_id) != listed]
        conflicts.append(
            fact_conflict(
                DISAGREEMENT,
                muscle_id,
                RELATION_MEMBER_COUNT,
                (RELATION_MEMBER_COUNT, *map(str, values)),
                summary=f"how many {entry.name}: sources say {' or '.join(map(str, values))}; "
                f"{listed} are named ({members})",
                evidence=evidence,
                resolution=f"reject the count{'s' if len(wrong) > 1 else ''} other than {listed}: "
                f"the {entry.name} are {members}",
                fact_ids=[f.fact_id for f in stated],
                suggested_fact_ids=wrong,
                object_ids=[str(v) for v in values],
            )
        )
    return conflicts


def _named_members(muscle_id: str, stated: list[Fact], index: EvidenceIndex, lexicon: Lexicon) -> list[Evidence]:
    """Where the members are named: member claims, else member mentions near the count."""
    member_ids = lexicon.leaves(muscle_id) | set(lexicon[muscle_id].members)
    claims = [c for c in index.claims if c.relation == RELATION_MEMBER and c.muscle_id == muscle_id]
    if claims:
        return [index.of_claim("named", c) for c in one_per_doc(claims)]
    docs = {c.doc_id for f in stated for c in f.claims}
    mentions = [m for m in index.mentions if m.doc_id in docs and m.muscle_id in member_ids]
    first = list({m.muscle_id: m for m in reversed(mentions)}.values())[::-1]
    return [index.of_mention("named", m) for m in first[:MAX_EVIDENCE_PER_SIDE]]


def prominence_disagreements(facts: list[Fact], index: EvidenceIndex, lexicon: Lexicon) -> list[Conflict]:
    """A muscle called primary in one source and only supporting in another."""
    conflicts = []
    for muscle_id, stated in _by_muscle(facts, RELATION_PROMINENCE):
        if len(stated) < 2:
            continue
        ranked = sorted(stated, key=lambda f: (-f.support, f.object_id))
        tie = ranked[0].support == ranked[1].support
        resolution = (
            "the sources are evenly split: decide which view to keep"
            if tie
            else f"keep '{ranked[0].object_id}' (support {ranked[0].support}) and reject "
            f"'{ranked[1].object_id}' (support {ranked[1].support})"
        )
        conflicts.append(
            fact_conflict(
                DISAGREEMENT,
                muscle_id,
                RELATION_PROMINENCE,
                (RELATION_PROMINENCE,),
                summary=f"is the {lexicon[muscle_id].name} a primary or a supporting muscle? the sources disagree",
                evidence=[index.of_claim(f.object_id, c) for f in ranked for c in one_per_doc(f.claims)],
                resolution=resolution,
                fact_ids=[f.fact_id for f in stated],
                suggested_fact_ids=[] if tie else [f.fact_id for f in ranked[1:]],
                object_ids=sorted(f.object_id for f in stated),
            )
        )
    return conflicts
