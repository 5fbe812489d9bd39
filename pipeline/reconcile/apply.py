"""Applying the reviewer's decisions: rejections, merges, and the statuses they give facts.

The latest decision per conflict applies. `reject` drops the conflict's facts (or only the facts
or claims it names); `accept` applies the suggestion; `merge --into NAME` on a naming conflict
treats the written form as the entry NAME names, so its mentions, and the claims made in their
sentences, move to that entry. A decision whose conflict no longer exists is stale: it stays in
the file and is reported.
"""

from __future__ import annotations

import dataclasses

from pipeline.extract.lexicon import Lexicon
from pipeline.reconcile.conflicts import Conflict
from pipeline.reconcile.evidence import EvidenceIndex
from pipeline.reconcile.facts import Fact
from pipeline.records import ACCEPT, CANDIDATE, MERGE, NOT_A_CONFLICT, REJECT, Claim, Mention
from pipeline.review.decisions import Decision


def attach(conflicts: list[Conflict], applied: dict[str, Decision]) -> None:
    """Give each conflict its decision; a decision recorded for another kind of conflict does not apply."""
    for conflict in conflicts:
        decision = applied.get(conflict.conflict_id)
        if decision is not None and decision.kind in (None, conflict.kind):
            conflict.decision = decision


def stale_decisions(conflicts: list[Conflict], applied: dict[str, Decision]) -> list[Decision]:
    used = {c.decision.conflict_id for c in conflicts if c.decision is not None}
    return [d for d in applied.values() if d.conflict_id not in used]


def merge_target(decision: Decision, lexicon: Lexicon) -> str | None:
    """The lexicon entry a merge decision names: by id, canonical name or any other name."""
    if decision.action != MERGE or not decision.into:
        return None
    if decision.into in lexicon.entries:
        return decision.into
    term = lexicon.resolve(decision.into)
    return term.muscle_id if term else None


def describe(decision: Decision) -> str:
    """What a decision was about, from the kind and values recorded with it: for stale-decision messages."""
    values = decision.values
    parts = [", ".join(values.get("muscle_ids", []))]
    if values.get("surface"):
        parts.append(f"written '{values['surface']}'")
    if values.get("relation"):
        parts.append(f"{values['relation']} {', '.join(values.get('object_ids', []))}".strip())
    about = "; ".join(p for p in parts if p)
    return f"{decision.kind or 'a'} conflict" + (f" on {about}" if about else "")


def apply_merges(conflicts: list[Conflict], index: EvidenceIndex, lexicon: Lexicon) -> bool:
    """Move the mentions and claims of merged naming conflicts to their target entries.

    A claim moves with a mention when the mention is the only way its sentence names the old
    entry; a sentence that also names the entry in another form keeps its claims. Returns
    whether anything moved (the index is then rebuilt).
    """
    moved_mentions: dict[int, Mention] = {}
    moved_claims: dict[str, Claim] = {}
    for conflict in conflicts:
        target = merge_target(conflict.decision, lexicon) if conflict.decision else None
        if target is None or target == conflict.muscle_ids[0]:
            continue
        note = f"merged into {lexicon[target].name} by a reviewer's decision on {conflict.conflict_id}"
        at_issue = {id(m) for m in conflict.mentions}
        for mention in conflict.mentions:
            moved_mentions[id(mention)] = dataclasses.replace(mention, muscle_id=target, note=note)
            for claim in _claims_only_through(mention, at_issue, index):
                moved_claims[claim.claim_id] = dataclasses.replace(claim, muscle_id=target)
        conflict.mentions = [moved_mentions[id(m)] for m in conflict.mentions]
    if not moved_mentions:
        return False
    mentions = [moved_mentions.get(id(m), m) for m in index.mentions]
    claims = [moved_claims.get(c.claim_id, c) for c in index.claims]
    index.reset(mentions, claims)
    return True


def _claims_only_through(mention: Mention, at_issue: set[int], index: EvidenceIndex) -> list[Claim]:
    others = [
        m
        for m in index.by_muscle.get(mention.muscle_id, [])
        if (m.doc_id, m.block_idx, m.sentence_idx) == (mention.doc_id, mention.block_idx, mention.sentence_idx)
        and id(m) not in at_issue
    ]
    if others:
        return []
    return [c for c in index.claims_around(mention) if c.muscle_id == mention.muscle_id]


def rejected_claims(conflicts: list[Conflict]) -> set[str]:
    return {
        c
        for conflict in conflicts
        if conflict.decision and conflict.decision.action == REJECT
        for c in conflict.decision.claims
    }


def rejected_candidate_claims(conflicts: list[Conflict], claims: list[Claim]) -> set[str]:
    """Every claim about a candidate term a reviewer rejected."""
    rejected = {
        (c.relation, c.object_ids[0])
        for c in conflicts
        if c.kind == CANDIDATE and c.decision is not None and c.decision.action == REJECT and not c.decision.claims
    }
    return {c.claim_id for c in claims if c.candidate and (c.relation, c.object_id) in rejected}


def accepted_candidates(conflicts: list[Conflict]) -> set[tuple[str, str]]:
    """Candidate terms a reviewer accepted (or said were never in doubt): objects of this dataset."""
    return {
        (c.relation, c.object_ids[0])
        for c in conflicts
        if c.kind == CANDIDATE and c.decision is not None and c.decision.action in (ACCEPT, NOT_A_CONFLICT)
    }


def rejected_facts(conflict: Conflict) -> set[str]:
    decision = conflict.decision
    if decision is None or decision.claims:
        return set()
    if decision.action == REJECT:
        return set(decision.facts or conflict.fact_ids) & set(conflict.fact_ids)
    if decision.action == ACCEPT and conflict.suggested_action == "reject":
        return set(conflict.suggested_fact_ids)
    return set()


def set_statuses(facts: list[Fact], conflicts: list[Conflict]) -> None:
    """accepted; flagged while an open conflict touches the fact; rejected by a decision."""
    rejected: set[str] = set()
    under_open_conflict: set[str] = set()
    flagged: dict[str, list[str]] = {}
    for conflict in conflicts:
        for fid in conflict.fact_ids:
            flagged.setdefault(fid, []).append(conflict.conflict_id)
        if conflict.status == "open":
            under_open_conflict.update(conflict.fact_ids)
        rejected |= rejected_facts(conflict)
    for fact in facts:
        fact.conflict_ids = sorted(flagged.get(fact.fact_id, []))
        is_rejected = fact.fact_id in rejected or fact.all_claims_rejected
        is_flagged = fact.fact_id in under_open_conflict
        fact.status = "rejected" if is_rejected else "flagged" if is_flagged else "accepted"
