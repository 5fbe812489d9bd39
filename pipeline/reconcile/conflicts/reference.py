"""Reference conflicts: a fact that standard anatomy or exercise references contradict, or hold
only for part of a group."""

from __future__ import annotations

from pipeline.extract.lexicon import Lexicon
from pipeline.reconcile.conflicts import Conflict, fact_conflict
from pipeline.reconcile.evidence import Evidence, EvidenceIndex, one_per_doc
from pipeline.reconcile.facts import Fact
from pipeline.records import CONTRADICTS, PARTIAL, REFERENCE

# Relations checked against the reference tables; the others have no reference yet.
REFERENCE_RELATIONS = ("action", "exercise", "stretch")


def reference_conflicts(facts: list[Fact], index: EvidenceIndex, lexicon: Lexicon) -> list[Conflict]:
    return [
        _reference_conflict(fact, index, lexicon)
        for fact in facts
        if fact.relation in REFERENCE_RELATIONS and fact.judgement.agreement in (CONTRADICTS, PARTIAL)
    ]


def _reference_conflict(fact: Fact, index: EvidenceIndex, lexicon: Lexicon) -> Conflict:
    judgement = fact.judgement
    name = lexicon[fact.muscle_id].name
    citation = str(judgement.citation) if judgement.citation else None
    evidence = [index.of_claim("claim", c) for c in one_per_doc(fact.claims)]
    evidence.append(Evidence("reference", None, citation, judgement.explanation))
    if judgement.agreement == PARTIAL:
        narrower = ", ".join(lexicon[m].name for m in judgement.narrower)
        resolution = f"reject for the {name} as a whole; {fact.object_label} belongs to {narrower}"
        verdict = "only partly agrees"
    else:
        resolution = f"reject: {judgement.explanation}"
        verdict = "contradicts it"
    return fact_conflict(
        REFERENCE,
        fact.muscle_id,
        fact.relation,
        (fact.relation, fact.object_id),
        summary=f"{name} -> {fact.relation} -> {fact.object_label}: the reference {verdict}",
        evidence=evidence,
        resolution=resolution,
        fact_ids=[fact.fact_id],
        suggested_fact_ids=[fact.fact_id],
        object_ids=[fact.object_id],
    )
