"""Stage 3b: claims of the form muscle -> relation -> object, each traceable to its sentence.

Blocks and their muscle mentions in, claims out. Objects (actions, running roles, exercises,
stretches, injuries) come from the controlled vocabularies (`pipeline/extract/vocabulary.py`);
the cues that link them to muscles are regexes in `data/claim_cues.jsonl`. Rule families, one
module each: `subjects.py` (who an object's claim is about), `members.py`, `counts.py`
(member counts and prominence), `exercises.py` (lists, labels, tables). Negated clauses give
no claim; hedged ones are kept with `modality = hedged`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.common.sentences import sentence_starts
from pipeline.extract.candidates import CANDIDATES
from pipeline.extract.claims.context import (
    DocumentState,
    Found,
    Label,
    Sentence,
    definition_label,
    first_coordinated,
    inside_object,
)
from pipeline.extract.claims.counts import member_count, prominence
from pipeline.extract.claims.cues import Cues
from pipeline.extract.claims.exercises import (
    exercise_item,
    is_exercise,
    labelled_exercise,
    open_exercise_list,
    table_row,
    this_exercise,
)
from pipeline.extract.claims.members import (
    anaphoric_members,
    announced_members,
    announces,
    group_anaphor_members,
    heading_list_member,
    member_claims,
)
from pipeline.extract.claims.subjects import object_claims
from pipeline.extract.claims.toolkit import Toolkit
from pipeline.extract.lexicon import Lexicon
from pipeline.extract.objects import OBJECTS, RULED, ObjectsOnly, build_object_nlp
from pipeline.extract.stats import ClaimStats
from pipeline.extract.vocabulary import Vocabulary
from pipeline.records import MATCH_CATEGORY_ERROR, Block, Claim, Mention

# An announcement of members ("the calf has two muscles") lapses after this many sentences name none.
MAX_ANNOUNCED_MISSES = 1


class ClaimExtractor:
    def __init__(
        self,
        lexicon: Lexicon,
        vocabulary: Vocabulary,
        cues: Cues | None = None,
        nlp: Language | ObjectsOnly | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.cues = cues or Cues()
        self._nlp = nlp

    @property
    def nlp(self) -> Language | ObjectsOnly:
        """The claim-object pipeline, built on first use: documents whose objects were found with
        their mentions (`objects_of` on the muscle pipeline's Docs) never need it."""
        if self._nlp is None:
            self._nlp = build_object_nlp(self.vocabulary)
        return self._nlp

    def document(
        self, blocks: list[Block], mentions: list[Mention], objects: dict[int, list[Found]] | None = None
    ) -> tuple[list[Claim], ClaimStats]:
        """One document's claims, deduplicated, and the stats of extracting them. `objects` are the
        claim objects of each kept block by index, when the muscle pipeline found them already."""
        muscle_like = {m.muscle_id for m in mentions if m.match_type == MATCH_CATEGORY_ERROR}
        kit = Toolkit(self.lexicon, self.vocabulary, self.cues, muscle_like=muscle_like)
        kept = [b for b in blocks if b.kept]
        by_block: dict[int, list[Mention]] = {}
        for mention in sorted(mentions, key=lambda m: (m.block_idx, m.char_start)):
            by_block.setdefault(mention.block_idx, []).append(mention)
        state = DocumentState()
        claims: list[Claim] = []
        for block, found in zip(kept, self._objects(kept, objects), strict=True):
            claims += self._block(kit, block, by_block.get(block.block_idx, []), found, state)
        claims = _first_of_each_id(claims)
        for claim in claims:
            kit.stats.by_relation[claim.relation] += 1
            kit.stats.by_rule[claim.rule_id] += 1
            kit.stats.hedged += claim.modality == "hedged"
        return claims, kit.stats

    def _objects(self, kept: list[Block], known: dict[int, list[Found]] | None) -> Iterator[list[Found]]:
        if known is not None:
            return (known.get(block.block_idx, []) for block in kept)
        return (objects_of(doc) for doc in self.nlp.pipe(block.text for block in kept))

    def _block(
        self, kit: Toolkit, block: Block, mentions: list[Mention], objects: list[Found], state: DocumentState
    ) -> list[Claim]:
        if block.kind in ("heading", "title"):
            heading = Sentence(block, 0, len(block.text), mentions, objects, Label(None), state, [])
            claims = member_claims(kit, heading) + _members_in_turn(kit, heading)
            if not any(is_exercise(o) for o in objects):  # an exercise's own heading keeps its list going
                _enter_heading(kit, block, mentions, state)
            return claims + exercise_item(kit, block, mentions, objects, state)
        if block.kind == "table_row":
            return table_row(kit, self.nlp, block, state)
        state.table_columns = []
        claims = heading_list_member(kit, block, mentions, state) + exercise_item(kit, block, mentions, objects, state)
        label = _label(block, mentions, objects)
        starts = sentence_starts(block.text)
        paragraph_topic: list[str] = []
        previous_exercises: list[Found] = []
        for start, end in zip(starts, [*starts[1:], len(block.text)], strict=True):
            s = Sentence(
                block,
                start,
                end,
                [m for m in mentions if start <= m.char_start < end],
                [o for o in objects if start <= o.start < end],
                label,
                state,
                paragraph_topic,
            )
            exercises = [o for o in s.objects if is_exercise(o)]
            if not exercises and (previous_exercises or state.current_exercises):
                describing = not previous_exercises and block.kind == "paragraph"
                claims += this_exercise(kit, s, previous_exercises or state.current_exercises, describing)
            previous_exercises = exercises or previous_exercises
            open_exercise_list(kit, s)
            claims += member_count(kit, s) + prominence(kit, s)
            claims += member_claims(kit, s) + anaphoric_members(kit, s) + group_anaphor_members(kit, s)
            claims += _members_in_turn(kit, s)
            _remember_groups(kit, s)
            claims += object_claims(kit, s) + labelled_exercise(kit, s)
            paragraph_topic = _subject_named(kit, s, objects) or paragraph_topic
        if paragraph_topic:
            state.discourse = paragraph_topic
        _track_exercise_lists(kit, block, state)
        return claims


def _members_in_turn(kit: Toolkit, s: Sentence) -> list[Claim]:
    """Members named one sentence at a time after a sentence announced them ("there are two muscles")."""
    state = s.state
    claims = announced_members(kit, s, state.announced) if state.announced else []
    if state.announced and not claims:
        state.announced_misses += 1
        if state.announced_misses > MAX_ANNOUNCED_MISSES:
            state.announced = []
    announced = announces(kit, s)
    if announced:
        state.announced, state.announced_misses = announced, 0
    return claims


def objects_of(doc: Doc) -> list[Found]:
    """The objects the object pipeline found in a block, candidate terms marked with their names."""
    candidates = {(s.start, s.end, s.label_): s for s in doc.spans.get(CANDIDATES, [])}
    ruled = {(s.start, s.end, s.label_, s.id_) for s in doc.spans.get(RULED, [])}
    objects = []
    for span in doc.spans.get(OBJECTS, []):
        candidate = candidates.get((span.start, span.end, span.label_))
        label = candidate.kb_id_ if candidate is not None else None
        by_rule = (span.start, span.end, span.label_, span.id_) in ruled
        objects.append(Found(span.start_char, span.end_char, span.label_, span.id_, label, by_rule))
    return objects


def _remember_groups(kit: Toolkit, s: Sentence) -> None:
    for mention in s.mentions:
        if kit.is_group(mention.muscle_id) and not inside_object(mention, s.objects):
            s.state.recent_groups = [*s.state.recent_groups[-2:], mention.muscle_id]


def _first_of_each_id(claims: list[Claim]) -> list[Claim]:
    """One claim per id: rules earlier in a block's order win (their rule id and confidence stay)."""
    seen: dict[str, Claim] = {}
    for claim in claims:
        seen.setdefault(claim.claim_id, claim)
    return list(seen.values())


def _label(block: Block, mentions: list[Mention], objects: list[Found]) -> Label:
    end = definition_label(block.text)
    if end is None:
        return Label(None)
    label_objects = [o for o in objects if o.end <= end]
    muscles = [m.muscle_id for m in mentions if m.char_end <= end and not inside_object(m, label_objects)]
    return Label(end, label_objects, muscles)


def _subject_named(kit: Toolkit, s: Sentence, objects: list[Found]) -> list[str]:
    """The muscles a sentence names as its subject: what a following "they" refers to."""
    free = [m for m in s.mentions if not inside_object(m, objects) and kit.can_be_subject(m)]
    if not free or kit.cues.search("anaphor", s.text[:20]):
        return []
    named = [m.muscle_id for m in first_coordinated(free, s.block.text)]
    # "the adductor muscles, adductor magnus, longus and brevis": "they" are the group
    groups = [g for g in named if kit.is_group(g)]
    return [m for m in named if m in groups or not any(kit.is_member(g, m) for g in groups)]


PRONOUN_HEADING = re.compile(r"\b(?:they|them|their|it|its|these muscles|this muscle)\b", re.I)


def _enter_heading(kit: Toolkit, block: Block, mentions: list[Mention], state: DocumentState) -> None:
    state.exercise_list = bool(kit.cues.search("exercise_section", block.text))
    state.lead_in = False
    state.current_exercises = []
    state.table_columns = []
    state.member_group = None
    # A heading without a muscle ("Smooth Muscles", "Downsides of Weakness") ends what "they"
    # referred to; the section's muscle still owns its exercise lists. A heading that refers to
    # them ("What do they do?", "How to train them") keeps the muscles of the text before it.
    if PRONOUN_HEADING.search(block.text) and not mentions:
        state.topic = state.discourse or state.topic
        return
    state.discourse = []
    if mentions:
        state.topic = [m.muscle_id for m in first_coordinated(mentions, block.text)]
        state.discourse = state.topic
        if len(state.topic) == 1 and kit.is_group(state.topic[0]):
            state.member_group = state.topic[0]


def _track_exercise_lists(kit: Toolkit, block: Block, state: DocumentState) -> None:
    """A paragraph ending in ':' opens a list. A lead-in's list ends at a plain paragraph that
    follows it before any exercise item does: the list it announced never came. Once items have
    come, paragraphs describe them and the list lasts until the next heading."""
    if block.kind == "paragraph" and block.text.rstrip().endswith(":"):
        state.exercise_list = state.exercise_list or bool(kit.cues.search("exercise_section", block.text))
        state.lead_in, state.lead_in_block = True, block.block_idx
    elif block.kind == "paragraph" and state.lead_in and block.block_idx != state.lead_in_block:
        if not state.current_exercises:
            state.exercise_list = False
        state.lead_in = False


def extract_claims(
    blocks: Iterable[Block], mentions: Iterable[Mention], extractor: ClaimExtractor
) -> tuple[list[Claim], ClaimStats]:
    """Stage 3b over many documents: blocks and mentions in, claims out."""
    blocks_by_doc: dict[str, list[Block]] = {}
    for block in blocks:
        blocks_by_doc.setdefault(block.doc_id, []).append(block)
    mentions_by_doc: dict[str, list[Mention]] = {}
    for mention in mentions:
        mentions_by_doc.setdefault(mention.doc_id, []).append(mention)
    claims: list[Claim] = []
    stats = ClaimStats()
    for doc_id, doc_blocks in blocks_by_doc.items():
        doc_claims, doc_stats = extractor.document(doc_blocks, mentions_by_doc.get(doc_id, []))
        claims += doc_claims
        stats += doc_stats
    return claims, stats
