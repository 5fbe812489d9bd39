"""Who a claim is about: the subject of an object found in a clause.

In this order: a definition-list label; for exercises and stretches, the muscles the sentence
says they target, else the section's muscle inside an exercise list; for injuries, the muscle
the injury names when no muscle precedes it; the muscles named in the clause; for an anaphor
("they", "this muscle"), the latest muscles named in the sentence, the paragraph, or the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.extract.claims.context import Found, Sentence, first_coordinated, inside_object, unique_ids
from pipeline.extract.claims.toolkit import Toolkit
from pipeline.records import Claim, Mention

# "It" and "this muscle" refer to one muscle; "they" and "these muscles" to a group or several.
SINGULAR_ANAPHORS = frozenset({"it", "its", "muscle"})
LINKS = {"exercise": "exercise_link", "stretch": "stretch_link"}


@dataclass
class Clause:
    start: int
    end: int
    text: str
    mentions: list[Mention]  # muscles named in the clause that can be its subject


def subjects_of(kit: Toolkit, s: Sentence, found: Found, clause: Clause, free: list[Mention]) -> tuple[list[str], str]:
    """(muscle ids, rule id) of the claim an object makes; ([], "") when no subject is clear."""
    if s.label.muscles:
        return s.label.muscles, "definition_label"
    if found.vocabulary in LINKS:
        return _exercise_subjects(kit, s, found, clause, free)
    if found.vocabulary == "injury":
        if not kit.cues.search("injury_link", s.text):
            return [], ""
        named = [m for m in s.mentions if found.start <= m.char_start < found.end and kit.can_be_subject(m)]
        before = [m for m in clause.mentions if m.char_end <= found.start]
        if not before and named:
            # "hamstring strain and tears become a threat when ...": the injury names its muscle
            return [named[0].muscle_id], "clause_subject"
    return _clause_or_anaphor_subjects(kit, s, found, clause, free)


def _exercise_subjects(
    kit: Toolkit, s: Sentence, found: Found, clause: Clause, free: list[Mention]
) -> tuple[list[str], str]:
    targets = clause.mentions or free
    if targets and kit.cues.search(LINKS[found.vocabulary], s.text):
        return unique_ids(targets), "exercise_target"
    if not free and s.state.topic and s.state.exercise_list:
        return s.state.topic, "exercise_list_topic"
    return [], ""


def _clause_or_anaphor_subjects(
    kit: Toolkit, s: Sentence, found: Found, clause: Clause, free: list[Mention]
) -> tuple[list[str], str]:
    text = s.block.text
    anaphor = kit.cues.search("anaphor", clause.text)
    # "It is an important muscle located in the calf": the anaphor, not the calf, is the subject.
    anaphor_first = anaphor is not None and (
        not clause.mentions or text.find(clause.text) + anaphor.end() <= clause.mentions[0].char_start
    )
    if clause.mentions and not anaphor_first:
        return [m.muscle_id for m in first_coordinated(clause.mentions, text)], "clause_subject"
    if anaphor is None or not anaphor_first:
        return [], ""
    singular = anaphor.group().lower().split()[-1] in SINGULAR_ANAPHORS
    earlier = [m for m in free if m.char_end <= found.start and m not in clause.mentions]
    in_sentence = [m.muscle_id for m in first_coordinated(earlier, text)]
    candidates = (
        (in_sentence, "anaphor_paragraph_topic"),
        (s.paragraph_topic, "anaphor_paragraph_topic"),
        (s.state.discourse, "anaphor_discourse_topic"),
    )
    for topic, rule in candidates:
        one_muscle = len(topic) == 1 and kit.lexicon[topic[0]].kind == "muscle"
        # "it" names one muscle; "they" and "these" also name one with a plural form (biceps)
        if topic and (one_muscle or not singular):
            return topic, rule
    return [], ""


def object_claims(kit: Toolkit, s: Sentence) -> list[Claim]:
    """Claims of the vocabulary objects in each clause of the sentence, about their subjects."""
    free = [
        m
        for m in s.mentions
        if not inside_object(m, s.objects) and m.muscle_id not in s.label.muscles and kit.can_be_subject(m)
    ]
    claims = []
    for start, end in s.clauses():
        text = s.block.text[start:end]
        objects = [o for o in s.objects if start <= o.start < end and o not in s.label.objects]
        if not objects:
            continue
        clause = Clause(start, end, text, [m for m in free if start <= m.char_start < end])
        modality = kit.modality(text)
        for found in objects:
            if kit.negated(s.block.text[start : found.start]):
                kit.stats.negated_not_emitted += 1
                continue
            subjects, rule = subjects_of(kit, s, found, clause, free)
            claims += [kit.object_claim(s.block, (s.start, s.end), m, found, rule, modality) for m in subjects]
    return claims
