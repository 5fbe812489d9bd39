"""Candidate conflicts: a term the vocabularies lack ("wall sit", "piriformis syndrome") that claims use.

One conflict per term, like OpenRefine's "create new item" during reconciliation: accepting it
makes the term an object of this dataset (no longer marked as a candidate); rejecting it rejects
every fact about it. Until then its facts are flagged.
"""

from __future__ import annotations

from collections import Counter

from pipeline.common.ids import short_id
from pipeline.extract.lexicon import Lexicon
from pipeline.reconcile.conflicts import Conflict
from pipeline.reconcile.evidence import EvidenceIndex, one_per_doc
from pipeline.reconcile.facts import Fact
from pipeline.records import CANDIDATE


def candidate_conflicts(facts: list[Fact], index: EvidenceIndex, lexicon: Lexicon) -> list[Conflict]:
    by_term: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        if any(c.candidate for c in fact.claims):
            by_term.setdefault((fact.relation, fact.object_id), []).append(fact)
    return [_candidate_conflict(term, found, index, lexicon) for term, found in sorted(by_term.items())]


def _candidate_conflict(term: tuple[str, str], facts: list[Fact], index: EvidenceIndex, lexicon: Lexicon) -> Conflict:
    relation, object_id = term
    claims = [c for f in facts for c in f.claims]
    label = facts[0].object_label
    muscles = sorted({f.muscle_id for f in facts})
    names = ", ".join(lexicon[m].name for m in muscles)
    counts = Counter((c.object_text, c.doc_id) for c in claims)
    forms = [
        {"form": form, "doc_id": doc_id, "source_path": index.paths.get(doc_id), "n": n}
        for (form, doc_id), n in sorted(
            counts.items(), key=lambda kv: (kv[0][0].lower(), index.paths.get(kv[0][1], ""))
        )
    ]
    return Conflict(
        conflict_id=short_id(CANDIDATE, relation, object_id),
        kind=CANDIDATE,
        summary=f"'{label}' is a new {relation.replace('_', ' ')} term ({len(claims)} claims, about {names})",
        muscle_ids=muscles,
        evidence=[index.of_claim("claim", c) for c in one_per_doc(claims)],
        suggested_resolution=f"accept '{label}' as a {relation.replace('_', ' ')} of this dataset, or reject its claims",
        suggested_action="keep",
        fact_ids=sorted(f.fact_id for f in facts),
        relation=relation,
        object_ids=[object_id],
        surface=label,
        forms=forms,
    )
