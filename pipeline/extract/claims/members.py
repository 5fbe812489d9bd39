"""Member claims: which muscles a group is made of.

"The quads, consisting of the vastus medialis, ..." (a group, a cue, its members); "the soleus
is part of the calves"; a list of bare member names under a heading that names their group.
A member claim is kept only when the lexicon lists the member under the group.
"""

from __future__ import annotations

import re

from pipeline.extract.claims.context import DocumentState, Sentence
from pipeline.extract.claims.toolkit import Toolkit
from pipeline.records import RELATION_MEMBER, Block, Claim, Mention

# A list item under a group's heading is a bare member name if it is this short.
MAX_MEMBER_ITEM_WORDS = 8


def heading_list_member(kit: Toolkit, block: Block, mentions: list[Mention], state: DocumentState) -> list[Claim]:
    """A list of bare member names under a heading that names their group."""
    group = state.member_group
    if block.kind != "list_item" or group is None:
        state.member_group = None if block.kind != "list_item" else group
        return []
    words = re.findall(r"[A-Za-z]+", block.text)
    if len(mentions) != 1 or len(words) > MAX_MEMBER_ITEM_WORDS:
        return []
    member = mentions[0]
    if not kit.is_member(group, member.muscle_id):
        return []
    span = (0, len(block.text))
    return [kit.claim(block, span, group, RELATION_MEMBER, member.muscle_id, "member_heading_list")]


def member_claims(kit: Toolkit, s: Sentence) -> list[Claim]:
    """'The quads, consisting of the vastus medialis, ...': a group, a cue, its members."""
    text, label = s.block.text, s.label.end
    for i, group in enumerate(s.mentions):
        following = s.mentions[i + 1 :]
        if not kit.is_group(group.muscle_id) or not following:
            continue
        between = text[group.char_end : following[0].char_start]
        at_label = label is not None and group.char_end <= label < following[0].char_start
        if at_label or kit.cues.search("member_cue", between):
            return _listed_members(kit, s, group, following) + part_of_claims(kit, s)
    return part_of_claims(kit, s)


def _listed_members(kit: Toolkit, s: Sentence, group: Mention, following: list[Mention]) -> list[Claim]:
    claims = []
    for member in following:
        if kit.negated(s.block.text[s.start : member.char_start]):
            kit.stats.negated_not_emitted += 1
            break
        if not kit.is_member(group.muscle_id, member.muscle_id):
            kit.stats.member_claims_rejected_by_lexicon += 1
            continue
        claims.append(
            kit.claim(s.block, (s.start, s.end), group.muscle_id, RELATION_MEMBER, member.muscle_id, "member_cue")
        )
    return claims


def part_of_claims(kit: Toolkit, s: Sentence) -> list[Claim]:
    """'the soleus is part of the calves'; 'although not directly part of the glutes' is none."""
    claims = []
    text = s.block.text
    for member, group in zip(s.mentions, s.mentions[1:], strict=False):
        between = text[member.char_end : group.char_start]
        if not kit.cues.search("member_part_of", between) or not kit.is_group(group.muscle_id):
            continue
        if kit.negated(text[s.start : group.char_start]):
            kit.stats.negated_not_emitted += 1
            continue
        if kit.is_member(group.muscle_id, member.muscle_id):
            claims.append(
                kit.claim(s.block, (s.start, s.end), group.muscle_id, RELATION_MEMBER, member.muscle_id, "member_cue")
            )
    # "Although not directly part of the glutes, the quadriceps ...": the member comes after.
    for group in s.mentions:
        before = text[s.start : group.char_start]
        if kit.cues.search("member_part_of", before[-30:]) and kit.negated(before):
            kit.stats.negated_not_emitted += 1
    return claims
