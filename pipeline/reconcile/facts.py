"""Facts: one per distinct (muscle, relation, object), with the claims behind it.

Copies of one article (a source group, see `dedupe.py`) count once: support sums each group's
best claim confidence. Exercise and stretch facts of a group also take the same claim made
about one of its members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.common.ids import short_id
from pipeline.extract.lexicon import Lexicon
from pipeline.reconcile.knowledge import Judgement, ReferenceKnowledge
from pipeline.records import Claim

# Relations where a claim about a member supports the same claim about its group: an exercise
# that trains the soleus trains the calves. Support rolls up only to group facts some source
# states directly, so no fact is invented from members alone.
ROLL_UP_RELATIONS = ("exercise", "stretch")

FactKey = tuple[str, str, str]


def fact_id(muscle_id: str, relation: str, object_id: str) -> str:
    return short_id(muscle_id, relation, object_id)


@dataclass
class Fact:
    fact_id: str
    muscle_id: str
    relation: str
    object_id: str
    object_label: str
    claims: list[Claim]
    groups: dict[str, str]  # doc_id -> source group
    judgement: Judgement
    member_claims: list[Claim] = field(default_factory=list)  # the same claim about a member (roll-up)
    status: str = "accepted"
    conflict_ids: list[str] = field(default_factory=list)
    all_claims_rejected: bool = False

    @property
    def key(self) -> FactKey:
        return (self.muscle_id, self.relation, self.object_id)

    @property
    def evidence(self) -> list[Claim]:
        return self.claims + self.member_claims

    @property
    def source_groups(self) -> list[str]:
        return sorted({self.groups[c.doc_id] for c in self.evidence})

    @property
    def support(self) -> float:
        """Sum over independent source groups of the group's best claim confidence.

        Confidence already carries the attribution rule and the modality (hedged claims keep
        a share of it), so a hedged claim from one site adds less than an asserted one.
        """
        best: dict[str, float] = {}
        for claim in self.evidence:
            group = self.groups[claim.doc_id]
            best[group] = max(best.get(group, 0.0), claim.confidence)
        return round(sum(best.values()), 3)

    def drop_claims(self, rejected: set[str]) -> None:
        """Take out rejected claims; a fact whose every claim is rejected keeps them, marked."""
        self.member_claims = [c for c in self.member_claims if c.claim_id not in rejected]
        remaining = [c for c in self.claims if c.claim_id not in rejected]
        self.all_claims_rejected = not remaining
        self.claims = remaining or self.claims


def merge_facts(
    claims: list[Claim], groups: dict[str, str], lexicon: Lexicon, reference: ReferenceKnowledge
) -> list[Fact]:
    """Claims (in evidence order) -> facts sorted by key, each judged against the reference."""
    by_key: dict[FactKey, list[Claim]] = {}
    by_object: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        by_key.setdefault((claim.muscle_id, claim.relation, claim.object_id), []).append(claim)
        if claim.relation in ROLL_UP_RELATIONS:
            by_object.setdefault((claim.relation, claim.object_id), []).append(claim)
    facts = []
    for (muscle_id, relation, object_id), fact_claims in sorted(by_key.items()):
        members = []
        if relation in ROLL_UP_RELATIONS and lexicon[muscle_id].members:
            leaves = lexicon.leaves(muscle_id)
            members = [
                c
                for c in by_object[(relation, object_id)]
                if c.muscle_id != muscle_id and lexicon.leaves(c.muscle_id) <= leaves
            ]
        facts.append(
            Fact(
                fact_id=fact_id(muscle_id, relation, object_id),
                muscle_id=muscle_id,
                relation=relation,
                object_id=object_id,
                object_label=fact_claims[0].object_label,
                claims=fact_claims,
                groups=groups,
                judgement=reference.judge(muscle_id, relation, object_id, lexicon),
                member_claims=members,
            )
        )
    return facts
