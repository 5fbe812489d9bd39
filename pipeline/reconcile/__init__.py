"""Stage 4, reconcile: claims merge into facts, conflicts are flagged, reviewer decisions applied.

Claims in, facts and conflicts out. Conflicts come in five kinds, one module each under
`conflicts/`: naming (a muscle written in a non-standard way), category (a structure such as
the iliotibial band called a muscle), reference (a fact the reference tables contradict, or
hold only for part of a group), disagreement (sources giving incompatible values for a
single-valued slot) and candidate (a term the vocabularies lack). `apply.py` applies the reviewer's decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.extract.lexicon import Lexicon
from pipeline.reconcile.apply import (
    accepted_candidates,
    apply_merges,
    attach,
    rejected_candidate_claims,
    rejected_claims,
    set_statuses,
    stale_decisions,
)
from pipeline.reconcile.conflicts import Conflict, conflict_order
from pipeline.reconcile.conflicts.candidate import candidate_conflicts
from pipeline.reconcile.conflicts.disagreement import count_disagreements, prominence_disagreements
from pipeline.reconcile.conflicts.naming import category_conflicts, naming_conflicts
from pipeline.reconcile.conflicts.reference import reference_conflicts
from pipeline.reconcile.evidence import BlockTexts, EvidenceIndex
from pipeline.reconcile.facts import Fact, merge_facts
from pipeline.reconcile.knowledge import ReferenceKnowledge
from pipeline.records import Claim, Document, Mention
from pipeline.review.decisions import Decision, latest


@dataclass
class ReconcileInputs:
    """What the per-document stages produced for the whole build."""

    documents: list[Document]
    block_texts: BlockTexts  # texts of the kept blocks: the sentences evidence quotes
    mentions: list[Mention]
    claims: list[Claim]
    groups: dict[str, str]  # doc_id -> near-duplicate source group


@dataclass
class Reconciled:
    facts: list[Fact]
    conflicts: list[Conflict]
    stale: list[Decision]  # decisions whose conflict no longer exists (kept in the file)
    rejected_claims: set[str]
    mentions: list[Mention] = field(default_factory=list)  # after reviewer merges
    claims: list[Claim] = field(default_factory=list)  # after reviewer merges
    accepted_candidates: set[tuple[str, str]] = field(default_factory=set)  # (relation, object_id)


def reconcile(
    inputs: ReconcileInputs, lexicon: Lexicon, reference: ReferenceKnowledge, decisions: list[Decision]
) -> Reconciled:
    index = EvidenceIndex(inputs.documents, inputs.block_texts, inputs.mentions, inputs.claims)
    applied = latest(decisions)
    form_conflicts = naming_conflicts(index, lexicon) + category_conflicts(index, lexicon)
    attach(form_conflicts, applied)
    apply_merges(form_conflicts, index, lexicon)
    for conflict in form_conflicts:
        conflict.fact_ids = index.facts_of_mentions(conflict.mentions)
    facts = merge_facts(index.claims, inputs.groups, lexicon, reference)
    fact_conflicts = [
        *candidate_conflicts(facts, index, lexicon),
        *reference_conflicts(facts, index, lexicon),
        *count_disagreements(facts, index, lexicon),
        *prominence_disagreements(facts, index, lexicon),
    ]
    attach(fact_conflicts, applied)
    conflicts = sorted(form_conflicts + fact_conflicts, key=conflict_order)
    rejected = rejected_claims(conflicts) | rejected_candidate_claims(conflicts, index.claims)
    for fact in facts:
        fact.drop_claims(rejected)
    set_statuses(facts, conflicts)
    stale = stale_decisions(conflicts, applied)
    accepted = accepted_candidates(conflicts)
    return Reconciled(facts, conflicts, stale, rejected, index.mentions, index.claims, accepted)
