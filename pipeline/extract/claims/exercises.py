"""Exercise and stretch claims that reach beyond one clause: lists, labels, tables, "this exercise".

- "Calf raises: ... targets both the gastrocnemius and the soleus" (a labelled list item);
- an exercise list under a heading or lead-in that names a muscle;
- "... some clamshells. This exercise targets your gluteus medius." (the exercise of the last
  sentence that named one);
- tables flattened into text: "Hip Flexor StretchesHip Flexor Exercises" then rows.
"""

from __future__ import annotations

import re

from spacy.language import Language

from pipeline.extract.claims.context import (
    DocumentState,
    Found,
    Sentence,
    first_coordinated,
    inside_object,
    unique_ids,
)
from pipeline.extract.claims.subjects import LINKS
from pipeline.extract.claims.toolkit import Toolkit
from pipeline.extract.objects import OBJECTS, ObjectsOnly
from pipeline.records import Block, Claim, Mention

THIS_EXERCISE = re.compile(
    r"\b(?:this|these|the|that) (?:exercises?|moves?|movements?|stretch(?:es)?|poses?|drills?)\b"
    # or a description that opens on the exercise it follows: "It targets ...", "Targets the glutes ..."
    r"|^\W*(?:it|this|these|they)\b|^\W*(?:targets?|works?|strengthens?|activates?|engages?|builds?|"
    r"hits?|isolates?|stretches|loosens|releases|(?:great|good|ideal|perfect|excellent) for)\b",
    re.I,
)
# What a sentence that opens an exercise list talks about: exercises it counts or points to
# ("these three moves", "the following stretches", "5 simple drills"), not a verb ("the stretch
# moves up the thigh") or one session ("a bonus workout").
LEAD_IN = re.compile(
    r"\b(?:these|the following|following|some|a few|few|several|more|\d+|two|three|four|five|six|seven|eight|"
    r"nine|ten|best|top|simple|easy|effective|great|key|favou?rite|useful|essential|my|our|basic|targeted)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:exercises|stretches|moves|drills|workouts|routines|progressions|circuits)\b",
    re.I,
)
# A list item is an exercise's name (not a sentence about it) if it is this short.
MAX_ITEM_NAME_WORDS = 8
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")


def is_exercise(found: Found) -> bool:
    return found.vocabulary in LINKS


def this_exercise(kit: Toolkit, s: Sentence, previous: list[Found], describing: bool = False) -> list[Claim]:
    """'... get ready for some clamshells. This exercise targets your gluteus medius.'

    Text `describing` an exercise item (the paragraphs under "3. Clamshell") needs no pointer
    back to it: "A gentle way to train the gluteus medius." A negation counts only before the
    muscle it would deny ("isolates the gluteus medius, so don't rush").
    """
    text = s.text
    if not s.mentions or not (describing or THIS_EXERCISE.search(text)):
        return []
    modality = kit.modality(text)
    affirmed = [m for m in s.mentions if not kit.negated(s.block.text[s.start : m.char_start])]
    claims = []
    for found in previous:
        if kit.cues.search(LINKS[found.vocabulary], text):
            claims += [
                kit.object_claim(s.block, (s.start, s.end), m, found, "this_exercise", modality)
                for m in unique_ids(affirmed)
            ]
    return claims


def exercise_item(
    kit: Toolkit, block: Block, mentions: list[Mention], objects: list[Found], state: DocumentState
) -> list[Claim]:
    """A heading or a short list item that names an exercise: the exercise the text then describes.

    A muscle in the exercise's own name is what it works ("Hamstring stretch", "Soleus wall
    sit"). Inside an exercise list (a heading or lead-in that named a muscle) it is claimed for
    that muscle too; the sentences that follow may say what else it works ("Targets the glutes ...").
    """
    if block.kind not in ("heading", "title", "list_item") or len(block.text.split()) > MAX_ITEM_NAME_WORDS:
        return []
    found = [o for o in objects if is_exercise(o)]
    if not found:
        return []
    state.current_exercises = found
    state.discourse = []  # "This is good for balance" under the item is about the exercise, not a muscle
    span = (0, len(block.text))
    claims = [
        kit.object_claim(block, span, m.muscle_id, o, "exercise_named_muscle")
        for o in found
        for m in mentions
        if inside_object(m, [o]) and kit.can_be_subject(m)
    ]
    if state.exercise_list and state.topic:
        claims += [kit.object_claim(block, span, m, o, "exercise_list_topic") for o in found for m in state.topic]
    return claims


def labelled_exercise(kit: Toolkit, s: Sentence) -> list[Claim]:
    """'Calf raises: ... targets both the gastrocnemius and the soleus' (the whole item)."""
    found = [o for o in s.label.objects if is_exercise(o)]
    if not found or s.start != 0:
        return []
    block, text = s.block, s.block.text
    targets = [m.muscle_id for m in s.mentions if not inside_object(m, found)]
    if kit.negated(text) or not (targets or s.state.exercise_list):
        return []
    span, modality = (0, len(text)), kit.modality(text)
    linked = bool(targets) and kit.cues.search(LINKS[found[0].vocabulary], text) is not None
    claims = []
    for obj in found:
        if linked:
            claims += [
                kit.object_claim(block, span, m, obj, "exercise_target", modality) for m in dict.fromkeys(targets)
            ]
        if s.state.exercise_list and s.state.topic:
            claims += [kit.object_claim(block, span, m, obj, "exercise_list_topic", modality) for m in s.state.topic]
    return claims


def open_exercise_list(kit: Toolkit, s: Sentence) -> None:
    """A sentence that announces exercises for a muscle ("here are three exercises to strengthen your
    hamstrings") opens an exercise list about it: the exercise items that follow are claimed for it."""
    if s.objects or not s.mentions or not LEAD_IN.search(s.text):
        return
    if not (kit.cues.search("exercise_link", s.text) or kit.cues.search("stretch_link", s.text)):
        return
    free = [m for m in s.mentions if kit.can_be_subject(m)]
    if free:
        s.state.topic = [m.muscle_id for m in first_coordinated(free, s.block.text)]
        s.state.exercise_list = s.state.lead_in = True
        s.state.lead_in_block = s.block.block_idx


def table_row(kit: Toolkit, nlp: Language | ObjectsOnly, block: Block, state: DocumentState) -> list[Claim]:
    """Tables flattened into text: 'Hip Flexor StretchesHip Flexor Exercises' then rows."""
    cells = CAMEL_BOUNDARY.split(block.text)
    if not state.table_columns:
        state.table_columns = [_column(kit, cell) for cell in cells]
        return []
    claims = []
    offset = 0
    for cell, (relation, muscles) in zip(cells, state.table_columns, strict=False):
        span = (offset, offset + len(cell))
        offset = span[1]
        if not relation or not muscles:
            continue
        # Cells are matched one by one: run together, "twistBicycle" would be one token.
        cell_doc = nlp(cell)  # held: spans are only usable while their Doc lives
        for object_span in cell_doc.spans.get(OBJECTS, []):
            if object_span.label_ == relation:
                claims += [
                    kit.claim(block, span, m, relation, object_span.id_, "table_column", surface=object_span.text)
                    for m in muscles
                ]
    return claims


def _column(kit: Toolkit, header: str) -> tuple[str, list[str]]:
    if re.search(r"stretch", header, re.I):
        relation = "stretch"
    elif re.search(r"exercise|workout|strength", header, re.I):
        relation = "exercise"
    else:
        relation = ""
    words = header.split()
    for k in range(len(words), 0, -1):
        term = kit.lexicon.resolve(" ".join(words[:k]))
        if term:
            return relation, [term.muscle_id]
    return relation, []
