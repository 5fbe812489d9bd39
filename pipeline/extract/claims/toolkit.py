"""What every claim rule family shares: the data, the cue tests, and how a claim is made."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.common.ids import short_id
from pipeline.extract.claims.context import Found
from pipeline.extract.claims.cues import Cues
from pipeline.extract.lexicon import Lexicon
from pipeline.extract.stats import ClaimStats
from pipeline.extract.vocabulary import Vocabulary
from pipeline.records import RELATION_MEMBER, RELATION_MEMBER_COUNT, RELATION_PROMINENCE, Block, Claim, Mention

# Objects of the prominence relation, which are not vocabulary entries.
PROMINENCE_LABELS = {"primary": "primary muscle", "supporting": "supporting muscle"}

# Confidence of each attribution rule, before hedging. Set by reading the claims each rule
# produced on the seed articles: explicit clause subjects and labels were right nearly always,
# topic-based attribution less often (a heading's topic can outlive its section).
RULE_CONFIDENCE = {
    "definition_label": 0.9,
    "clause_subject": 0.85,
    "exercise_target": 0.85,
    "exercise_list_topic": 0.75,
    "exercise_named_muscle": 0.8,
    "this_exercise": 0.8,
    "anaphor_paragraph_topic": 0.75,
    "anaphor_discourse_topic": 0.7,
    "table_column": 0.85,
    "member_cue": 0.9,
    "member_heading_list": 0.8,
    "member_count": 0.8,
    "prominence_cue": 0.8,
    "continuation": 0.65,
}
# Hedged claims ("may help") keep this share of their rule's confidence.
HEDGE_FACTOR = 0.7


@dataclass
class Toolkit:
    lexicon: Lexicon
    vocabulary: Vocabulary
    cues: Cues
    stats: ClaimStats = field(default_factory=ClaimStats)
    muscle_like: set[str] = field(default_factory=set)  # structures this document calls muscles

    def negated(self, text: str) -> bool:
        return self.cues.search("negation", text) is not None

    def modality(self, text: str) -> str:
        return "hedged" if self.cues.search("hedge", text) else "asserted"

    def can_be_subject(self, mention: Mention) -> bool:
        """Structures act only where the text treats them as muscles ("the ITB muscle")."""
        return self.lexicon[mention.muscle_id].kind != "structure" or mention.muscle_id in self.muscle_like

    def is_group(self, muscle_id: str) -> bool:
        return self.lexicon[muscle_id].kind == "group"

    def is_member(self, group_id: str, member_id: str) -> bool:
        """True if every muscle the member stands for is one of the group's muscles."""
        if group_id == member_id:
            return False
        return self.lexicon.leaves(member_id) <= self.lexicon.leaves(group_id)

    def object_label(self, relation: str, object_id: str) -> str:
        if relation == RELATION_MEMBER:
            return self.lexicon[object_id].name
        if relation == RELATION_MEMBER_COUNT:
            return f"{object_id} members"
        if relation == RELATION_PROMINENCE:
            return PROMINENCE_LABELS[object_id]
        return self.vocabulary[f"{relation}:{object_id}"].label

    def object_claim(
        self, block: Block, span: tuple[int, int], muscle_id: str, found: Found, rule: str, modality: str = "asserted"
    ) -> Claim:
        """A claim about a vocabulary object (or a candidate term) found in the block."""
        surface = block.text[found.start : found.end]
        return self.claim(
            block, span, muscle_id, found.vocabulary, found.object_id, rule, modality, surface, found.candidate_label
        )

    def claim(
        self,
        block: Block,
        span: tuple[int, int],
        muscle_id: str,
        relation: str,
        object_id: str,
        rule: str,
        modality: str = "asserted",
        surface: str | None = None,
        candidate_label: str | None = None,
    ) -> Claim:
        """A claim whose evidence is the text of `block` between the offsets in `span`.

        `surface` is the object as written; `candidate_label` names a candidate term (an object
        the vocabularies lack), which the claim is marked as.
        """
        start, end = span
        confidence = RULE_CONFIDENCE[rule] * (HEDGE_FACTOR if modality == "hedged" else 1.0)
        label = candidate_label or self.object_label(relation, object_id)
        return Claim(
            claim_id=short_id(block.doc_id, muscle_id, relation, object_id, block.block_idx, start),
            doc_id=block.doc_id,
            muscle_id=muscle_id,
            relation=relation,
            object_id=object_id,
            object_label=label,
            object_text=surface or label,
            candidate=candidate_label is not None,
            modality=modality,
            sentence=block.text[start:end].strip(),
            block_idx=block.block_idx,
            section_path=list(block.section_path),
            char_start=start,
            char_end=start + len(block.text[start:end].rstrip()),
            line_start=block.line_start,
            line_end=block.line_end,
            rule_id=rule,
            confidence=round(confidence, 3),
        )
