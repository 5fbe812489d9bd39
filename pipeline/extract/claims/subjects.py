"""Who a claim is about: the subject of an object found in a clause.

In this order: a definition-list label; for exercises and stretches, the muscles the sentence
says they target, else the section's muscle inside an exercise list; for injuries, the muscle
the injury names when no muscle precedes it; the muscles named in the clause; for an anaphor
("they", "this muscle"), the latest muscles named in the sentence, the paragraph, or the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.claims.context import Found, Sentence, first_coordinated, inside_object, unique_ids
from pipeline.extract.claims.toolkit import Toolkit
from pipeline.records import Claim, Mention

# "It" and "this muscle" refer to one muscle; "they" and "these muscles" to a group or several.
SINGULAR_ANAPHORS = frozenset({"it", "its", "muscle"})
LINKS = {"exercise": "exercise_link", "stretch": "stretch_link"}
# Between the last of a list of muscles and an item listed after them: separators and an article.
LIST_GAP = re.compile(
    r"^(?:\s*(?:muscles?|group)\b)?(?:[^.;:,]{0,25}[,\"”’)])?[\s,;\"'”“’)]*(?:\b(?:and|or|and even|even)\b)?"
    r"\s*(?:a|an|the)?\s*$",
    re.I,
)
# A fragment that carries on from the sentence before.
CONTINUATION = re.compile(r"^(?:and|also|plus|as well as|besides|mainly|mostly|primarily)\b", re.I)
# A hindering verb this close before an action ("which inhibits breathing") means it is not done.
HINDER_REACH = 30
# "as you straighten the leg": the reader moves, not a muscle.
YOU_REACH = 25
# ("gives you more endurance": "you" receives, and the word after it is no verb).
YOU_MOVE = re.compile(
    r"\byou(?:'re| are)?\s+(?:(?!(?:more|less|a|an|the|greater|better|extra|added|some)\b)\w+\s+)?$", re.I
)
# "It helps you push off": the muscle makes the movement the reader does.
HELPS_YOU = re.compile(
    r"\b(?:help(?:s|ed|ing)?|allow(?:s|ed|ing)?|let(?:s|ting)?|enabl(?:e|es|ed|ing)|power(?:s)?)\s+you\b", re.I
)
# An instruction: "Bend the banded knee slightly", "Lie on your back and lift ...".
INSTRUCTION = re.compile(
    r"^\W*(?:bend|lie|stand|place|hold|lift|raise|lower|keep|squat|step|sit|start|begin|repeat|push|pull|bring|"
    r"extend|straighten|slowly|gently|try|make sure|engage|tighten|squeeze|focus|return|rotate|turn|point|reach|"
    r"walk|jump|hop|do|perform|grab|loop|hinge|drive|sink|open|press|roll|rest|put)\b",
    re.I,
)


# A role named by an agent noun ("pelvic stabiliser", "shock absorber", "propeller") says by itself
# that the muscle plays it; a plain noun ("speed", "balance") needs a link such as "helps".
AGENT_NOUN = re.compile(r"(?:i[sz]er|orber|ller|ator)s?$", re.I)
# A comma and an article, no conjunction: the next name renames the one before.
APPOSITION = re.compile(r"^(?:\s+muscles?)?\s*,\s*(?:the|your)\s+$", re.I)


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
        if not kit.cues.search("injury_link", s.text) or _listed_with_muscles(s, found):
            return [], ""
        named = [m for m in s.mentions if found.start <= m.char_start < found.end and kit.can_be_subject(m)]
        before = [m for m in clause.mentions if m.char_end <= found.start]
        anaphor = kit.cues.search("anaphor", clause.text)
        if not before and named and (anaphor is None or clause.start + anaphor.start() > found.start):
            # "hamstring strain and tears become a threat when ...": the injury names its muscle
            return [named[0].muscle_id], "clause_subject"
    role_named = AGENT_NOUN.search(s.block.text[found.start : found.end]) is not None
    if found.vocabulary == "running_role" and not (
        found.ruled or role_named or kit.cues.search("role_link", clause.text)
    ):
        return [], ""  # "speed" or "balance" merely mentioned near a muscle is not its role
    if found.vocabulary in ("action", "running_role") and _not_done_by_the_muscle(kit, s, clause, found):
        return [], ""
    return _clause_or_anaphor_subjects(kit, s, found, clause, free)


def _not_done_by_the_muscle(kit: Toolkit, s: Sentence, clause: Clause, found: Found) -> bool:
    """'... which inhibits breathing'; 'as you straighten the leg'; 'Bend the knee slightly': a
    movement the text hinders, or one the reader makes, is not the muscle's action."""
    before = s.block.text[clause.start : found.start]
    return (
        kit.cues.search("hinder", before[-HINDER_REACH:]) is not None
        or (YOU_MOVE.search(before[-YOU_REACH:]) is not None and not HELPS_YOU.search(before[-YOU_REACH:]))
        or (INSTRUCTION.match(s.text) is not None and not [m for m in clause.mentions if m.char_end <= found.start])
    )


def _continues(s: Sentence) -> bool:
    """A fragment that goes on listing what the previous sentence's subject does: "Knee flexion
    too, and above all a brake in late swing."""
    if not s.paragraph_topic or any(not inside_object(m, s.objects) for m in s.mentions):
        return False
    opening = s.text.lstrip()
    starts_with_object = any(o.start - s.start <= len(s.text) - len(opening) for o in s.objects)
    return starts_with_object or CONTINUATION.match(opening) is not None


def _listed_with_muscles(s: Sentence, found: Found) -> bool:
    """'... due to the adductors, hip flexors or a stress fracture': an injury listed among muscles
    is one more cause, not what they lead to."""
    before = [m for m in s.mentions if m.char_end <= found.start and not inside_object(m, s.objects)]
    return bool(before) and LIST_GAP.match(s.block.text[before[-1].char_end : found.start]) is not None


def _exercise_subjects(
    kit: Toolkit, s: Sentence, found: Found, clause: Clause, free: list[Mention]
) -> tuple[list[str], str]:
    targets = clause.mentions or free
    if targets and kit.cues.search(LINKS[found.vocabulary], s.text):
        return unique_ids(targets), "exercise_target"
    if not free and s.state.topic and s.state.exercise_list:
        return s.state.topic, "exercise_list_topic"
    return [], ""


def _without_apposed_groups(kit: Toolkit, subjects: list[Mention], text: str) -> list[str]:
    """'A deep hip flexor, the iliacus, draws the thigh up': a group that a member renames
    only describes the member, which is the subject."""
    apposed = {
        group.muscle_id
        for group, member in zip(subjects, subjects[1:], strict=False)
        if APPOSITION.match(text[group.char_end : member.char_start])
        and kit.is_member(group.muscle_id, member.muscle_id)
    }
    return [m.muscle_id for m in subjects if m.muscle_id not in apposed]


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
        return _without_apposed_groups(kit, first_coordinated(clause.mentions, text), text), "clause_subject"
    if anaphor is None and not clause.mentions and _continues(s):
        return s.paragraph_topic, "continuation"
    if anaphor is None or not anaphor_first or "tendon" in anaphor.group().lower():
        return [], ""  # "this tendon" is a structure, never one of the muscles named before
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
