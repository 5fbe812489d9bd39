"""Member claims: which muscles a group is made of.

A group and a muscle the lexicon lists under it, in one sentence, joined by what states
membership:

- after the group: "the quads, consisting of the vastus medialis ..."; "the calf (gastrocnemius
  and soleus)"; "a deep hip flexor, the iliacus"; "the glutes, particularly the gluteus
  maximus"; "the hamstrings are the biceps femoris, ...";
- before it: "the soleus is part of the calves"; "three muscles make up the hamstrings";
  "the soleus, the broadest of the calf muscles"; "X -- a hamstring muscle --".

Beyond one sentence: a list of member names under a heading that names their group, and a
sentence that announces members ("the hamstring is made up of three muscles:", "there are two
muscles in the calf") followed by sentences or list items naming them. The lexicon has the last
word: a muscle it does not list under the group is never claimed as a member.
"""

from __future__ import annotations

import re

from pipeline.extract.claims.context import DocumentState, Sentence, inside_object
from pipeline.extract.claims.toolkit import Toolkit
from pipeline.records import RELATION_MEMBER, Block, Claim, Mention

# A list item under a group's heading is a member item if it opens with the member's name.
MAX_ITEM_OPENING_CHARS = 12
# A group announced with its members to come reaches this many sentences (or list items) ahead.
MAX_ANNOUNCED_SENTENCES = 3
# Between a group and a member: words that say the member belongs to the group ...
FORWARD = re.compile(
    r"\b(?:consist(?:s|ing|ed)? of|compris(?:e|es|ing|ed)(?: of)?|made up of|composed of|includ(?:e|es|ing)|"
    r"such as|namely|specifically|particularly|especially|notably|mainly|primarily|chiefly|e\.g\.|i\.e\.|"
    r"divided into|split into)\b|[:(—–]|--|\s-\s",
    re.I,
)
# ... or, standing alone between them, a copula or an appositive comma with its article: "the
# hamstrings are the biceps femoris, ..."; "a deep hip flexor, the iliacus". A bare comma
# only lists peers: "works the posterior chain, hamstrings, glutes and back".
FORWARD_WHOLE = re.compile(
    r"^\W*(?:muscles?|group)?\s*(?:,\s*(?:the|your)|\b(?:are|is|are called)\b\s*(?:the|your)?)\s*$", re.I
)
# A group counted ("three adductor muscles, Adductor Magnus, ...") announces its members, so
# a bare comma after it opens their list.
COUNTED = re.compile(r"\b(?:two|three|four|five|six|seven|[2-9])\s+$", re.I)
FORWARD_WHOLE_COUNTED = re.compile(r"^\W*(?:muscles?|group)?\s*,(?:[\s,]|\b(?:and|or|the|your)\b)*$", re.I)
BACKWARD = re.compile(
    r"\b(?:part|member|members|one|component|components|portion|head|heads) of\b|\bbelong(?:s|ing)? to\b|"
    r"\bthe \w+est (?:muscle |one )?(?:of|in)\b|\b(?:make|makes|made|making) up\b|\b(?:form|forms|forming) (?:the|your)\b|\bcompris(?:e|es|ing) (?:the|your)\b|"
    r"\bknown (?:collectively )?as\b|^\s*,?\s*(?:\(|--|—|–)|^\s*,\s*(?:a|an|the|one)\b[^,.;:]{0,50}$",
    re.I,
)
# "The calf has two muscles", "the quadriceps consist of four muscles:": the members follow.
ANNOUNCES = re.compile(
    r"\b(?:consist(?:s|ing)? of|compris(?:e|es|ed|ing)(?: of)?|made up of|composed of|"
    r"(?:two|three|four|five|six|[2-6]) (?:\w+ )?(?:muscles|parts|heads|components|bands))\b|:\s*$",
    re.I,
)
# "Together these make up the calf group": the muscles named just before are the members.
ANAPHORIC_MEMBERS = re.compile(
    r"^\W*(?:together,?\s+)?(?:these|both|they|the two|all three|all four)\b[^.;:]{0,30}?\b(?:compris(?:e|es)|make up|form|are (?:all )?(?:part|members) of|belong to)\b"
    r"|^\W*(?:it|this muscle)\b[^.;:]{0,60}?\b(?:(?:is )?(?:part|one|a member) of|the \w+est (?:muscle )?of)\b",
    re.I,
)
# "The rest of this group are ...", "this group also includes ...": the group named before.
GROUP_ANAPHOR = re.compile(r"\b(?:this|that|the) (?:muscle )?group\b|\bthese (?:muscle )?groups\b", re.I)
# Between such a reference and the members it lists.
GROUP_LISTS = re.compile(r"\b(?:are|include|includes|including|such as|consist of)\b|:", re.I)


def heading_list_member(kit: Toolkit, block: Block, mentions: list[Mention], state: DocumentState) -> list[Claim]:
    """A list item naming one member of the group its heading (or lead-in) announced."""
    group = state.member_group
    if block.kind != "list_item" or group is None:
        state.member_group = None if block.kind != "list_item" else group
        return []
    opening = [m for m in mentions if m.char_start <= MAX_ITEM_OPENING_CHARS]
    if not opening or not kit.is_member(group, opening[0].muscle_id):
        return []
    span = (0, len(block.text))
    return [kit.claim(block, span, group, RELATION_MEMBER, opening[0].muscle_id, "member_heading_list")]


def member_claims(kit: Toolkit, s: Sentence) -> list[Claim]:
    """A group and its members named in one sentence, joined by a membership cue.

    Groups are read in order, and a member goes to the first group that claims it: in "the
    scalenes consist of three pairs of neck muscles: ...", the scalenes, not the neck muscles.
    """
    claims: dict[str, Claim] = {}
    named = [m for m in s.mentions if not inside_object(m, s.objects)]  # not "core" of "core stability"
    for group in (m for m in named if kit.is_group(m.muscle_id)):
        for member in named:
            if member.muscle_id in claims or not kit.is_member(group.muscle_id, member.muscle_id):
                continue
            if _joined(kit, s, group, member):
                span = (s.start, s.end)
                claim = kit.claim(s.block, span, group.muscle_id, RELATION_MEMBER, member.muscle_id, "member_cue")
                claims[member.muscle_id] = claim
    return list(claims.values())


def _joined(kit: Toolkit, s: Sentence, group: Mention, member: Mention) -> bool:
    """Whether the text between a group and a member says the member belongs to the group."""
    text = s.block.text
    first, second = (group, member) if group.char_start < member.char_start else (member, group)
    between = text[first.char_end : second.char_start]
    listed = [m for m in s.mentions if first.char_end <= m.char_start < second.char_start]
    if any(not _related(kit, group.muscle_id, member.muscle_id, m.muscle_id) for m in listed):
        return False  # another entity stands between them: they are not one group-and-list
    if kit.negated(text[s.start : second.char_start]):
        kit.stats.negated_not_emitted += 1
        return False
    label = s.label.end
    if first is group and label is not None and group.char_end <= label < member.char_start:
        return True
    joining = _without_mentions(between, listed, first.char_end)
    if first is group:
        if COUNTED.search(text[: group.char_start]):  # members listed one after another
            return FORWARD.search(joining) is not None or FORWARD_WHOLE_COUNTED.match(joining) is not None
        return FORWARD.search(joining) is not None or (not listed and FORWARD_WHOLE.match(joining) is not None)
    return BACKWARD.search(joining) is not None


def _related(kit: Toolkit, group: str, member: str, other: str) -> bool:
    """A name between a group and its member belongs to the list if it is another member, the group
    again, or a group that holds the member too ("three pairs of neck muscles: scalenus anterior")."""
    return other == group or kit.is_member(group, other) or kit.lexicon.leaves(member) <= kit.lexicon.leaves(other)


def _without_mentions(between: str, listed: list[Mention], offset: int) -> str:
    """The text between two mentions with the names listed in it blanked: only the joining words are read."""
    chars = list(between)
    for mention in listed:
        for i in range(mention.char_start - offset, mention.char_end - offset):
            chars[i] = " "
    return "".join(chars)


def announced_members(kit: Toolkit, s: Sentence, announced: list[str]) -> list[Claim]:
    """Members named in a sentence after one that announced them: 'There are two muscles in the calf.
    The outer one is the gastrocnemius.' `announced` holds the announced groups."""
    claims = []
    for group in announced:
        for member in dict.fromkeys(m.muscle_id for m in s.mentions):
            if kit.is_member(group, member) and not kit.negated(s.text):
                claims.append(kit.claim(s.block, (s.start, s.end), group, RELATION_MEMBER, member, "member_cue"))
    return claims


def referred_groups(kit: Toolkit, s: Sentence) -> list[str]:
    """The group "this group" refers to: the last group the text named before."""
    if not GROUP_ANAPHOR.search(s.text) or not s.state.recent_groups:
        return []
    return s.state.recent_groups[-1:]


def group_anaphor_members(kit: Toolkit, s: Sentence) -> list[Claim]:
    """'The rest of this group are the soleus and the plantaris.'"""
    reference = GROUP_ANAPHOR.search(s.text)
    groups = referred_groups(kit, s)
    if reference is None or not groups or any(kit.is_group(m.muscle_id) for m in s.mentions):
        return []
    listed = [m for m in s.mentions if m.char_start >= s.start + reference.end()]
    if not listed or not GROUP_LISTS.search(s.block.text[s.start + reference.end() : listed[0].char_start]):
        return []
    return [
        kit.claim(s.block, (s.start, s.end), groups[0], RELATION_MEMBER, m.muscle_id, "member_cue")
        for m in listed
        if kit.is_member(groups[0], m.muscle_id)
    ]


def announces(kit: Toolkit, s: Sentence) -> list[str]:
    """The groups whose members a sentence announces without naming them."""
    groups = [m.muscle_id for m in s.mentions if kit.is_group(m.muscle_id)] or referred_groups(kit, s)
    named = any(kit.is_member(g, m.muscle_id) for g in groups for m in s.mentions)
    if not groups or named or not ANNOUNCES.search(s.text):
        return []
    return list(dict.fromkeys(groups))


def anaphoric_members(kit: Toolkit, s: Sentence) -> list[Claim]:
    """'These muscles comprise the calf complex': the members are the muscles the paragraph just named."""
    if not ANAPHORIC_MEMBERS.search(s.text):
        return []
    groups = [m.muscle_id for m in s.mentions if kit.is_group(m.muscle_id)]
    topic = s.paragraph_topic or s.state.discourse
    return [
        kit.claim(s.block, (s.start, s.end), group, RELATION_MEMBER, member, "member_cue")
        for group in groups
        for member in topic
        if kit.is_member(group, member)
    ]
