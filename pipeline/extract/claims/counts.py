"""Single-valued slots sources can disagree on: how many members a group has, and whether a muscle
is a primary or a supporting one."""

from __future__ import annotations

from pipeline.extract.claims.context import Sentence
from pipeline.extract.claims.toolkit import PROMINENCE_LABELS, Toolkit
from pipeline.records import RELATION_MEMBER_COUNT, RELATION_PROMINENCE, Claim

NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def member_count(kit: Toolkit, s: Sentence) -> list[Claim]:
    """'Picture them as a squad of four superheroes': how many members a group has."""
    text = s.text
    count = kit.cues.search("member_count", text)
    if count is None or kit.negated(text[: count.start()]):
        return []
    groups = [m for m in s.mentions if kit.is_group(m.muscle_id)]
    before = [m for m in groups if m.char_start < s.start + count.start()]
    if groups:
        group = (before or groups)[-1 if before else 0].muscle_id
    elif kit.cues.search("anaphor", text):
        topic = s.paragraph_topic or s.state.topic
        if len(topic) != 1 or not kit.is_group(topic[0]):
            return []
        group = topic[0]
    else:
        return []
    word = count.group(1).lower()
    number = str(NUMBER_WORDS.get(word) or int(word))
    return [kit.claim(s.block, (s.start, s.end), group, RELATION_MEMBER_COUNT, number, "member_count")]


def prominence(kit: Toolkit, s: Sentence) -> list[Claim]:
    """'The primary leg muscles ... are assisted by supporting muscles which consist of the biceps ...'."""
    text = s.text
    cues = [
        (match.start() + s.start, label)
        for label in PROMINENCE_LABELS
        for cue in kit.cues.by_label[label]
        for match in cue.regex.finditer(text)
    ]
    if not cues or kit.negated(text):
        return []
    claims = []
    for mention in s.mentions:
        if not kit.can_be_subject(mention):
            continue
        preceding = [c for c in cues if c[0] < mention.char_start]
        _, label = max(preceding) if preceding else min(cues)
        claims.append(
            kit.claim(s.block, (s.start, s.end), mention.muscle_id, RELATION_PROMINENCE, label, "prominence_cue")
        )
    return claims
