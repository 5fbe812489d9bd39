"""What the claim rules read: the objects of a block, what earlier blocks said, and one sentence.

`DocumentState` carries what earlier blocks of a document say about the current one (the
section's muscle, what "they" refers to, whether an exercise list is open). `Sentence` gathers
what every rule family needs about the sentence at hand, so rules take one argument, not ten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.records import Block, Mention

# Where a new clause starts: "; ...", ", but ...", ", whereas ...", ", while the soleus ..." ("while
# contracting" and "while also" continue the clause).
CLAUSE_BREAK = re.compile(r";|,? while (?!also\b|\w+ing\b)|,? whereas |,? but (?!also)|—but ", re.IGNORECASE)
# A subordinate clause with a subject of its own: "... as the calf muscles push off". It starts a
# clause only where a muscle is named within the next few words (so "act as the main shock
# absorbers" does not).
# "as a hip abductor" is a predicate and "as well as" a conjunction, not a clause.
SUBORDINATE = re.compile(
    r"\b(?<!such )(?<!well )(?:as(?!\s+(?:an?|well|much|many|long|far|soon|part|one)\b)|when|while|once|because|since|until|so that)"
    r"\s+(?:the |your |their |its )?",
    re.I,
)
SUBORDINATE_REACH = 25
# ", and the tibialis anterior is ...": a second clause with its own subject, once the first has
# said something (named an object) of its own.
# Words after a muscle that make its own clause before ", and the ...": "extend the foot".
MIN_PREDICATE_WORDS = 2
# "... the adductor group: the adductor magnus extends the hip": a colon before a muscle opens a clause.
COLON = re.compile(r":\s+")
# ", then ...": a new clause when it names a subject of its own.
THEN = re.compile(r",\s+then\b", re.I)
COORDINATE = re.compile(r",\s+(?:and|but|whereas)\s+(?:the |your |their |its )?", re.I)
# "While the calves push off, the peroneus longus ...": the main clause after an opening subordinate one.
OPENING_SUBORDINATE = re.compile(r"^\W*(?:while|although|though|whereas|when|as|because|if|since|once)\b", re.I)
MAIN_CLAUSE = re.compile(r",\s+(?:the |your |their |its )?")
DEFINITION_LABEL = re.compile(r"^[^:.!?]{1,60}:\s")
# A label names its subject in a few words, without a verb: "Upper Body Muscles:", not "The inner
# thigh is home to the adductor group:".
MAX_LABEL_WORDS = 6
LABEL_VERB = re.compile(r"\b(?:is|are|was|were|has|have|include|includes|consists?|contains?)\b", re.I)
# Tokens allowed between two mentions that name the same subject: "the quads and hamstrings",
# "the calves at the back of the leg, the quads along the front of it and ...", "the calf group
# (soleus + gastroc) and the peroneals".
COORDINATION_GAP = re.compile(
    r"^(?:\s+(?:at|in|on|of|along)\s+(?:the|your)\s+[\w-]+(?:\s+[\w-]+){0,3})?"
    r"[\s,()]*(?:(?:and|or|&|as well as|both|plus)\b[\s,()]*|\+\s*)?(?:(?:the|your|its)\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class Found:
    """An object found in a block: its character span, vocabulary and id."""

    start: int
    end: int
    vocabulary: str
    object_id: str
    candidate_label: str | None = None  # for a candidate term: its name (the vocabularies lack it)
    ruled: bool = False  # found by a token rule (lay phrasing: "propels you forward"), not as a name

    @property
    def candidate(self) -> bool:
        return self.candidate_label is not None


@dataclass
class DocumentState:
    """What earlier blocks of the document say about the current one."""

    topic: list[str] = field(default_factory=list)  # muscles of the nearest heading that names one
    discourse: list[str] = field(default_factory=list)  # the last muscles named as a subject, heading or text
    exercise_list: bool = False  # under an exercise heading or an exercise lead-in ending in ':'
    lead_in: bool = False  # the exercise list was opened by a lead-in paragraph, not a heading
    lead_in_block: int | None = None  # the block of that lead-in
    member_group: str | None = None  # a heading group whose member list follows
    table_columns: list[tuple[str, list[str]]] = field(default_factory=list)  # (relation, muscles)
    current_exercises: list[Found] = field(default_factory=list)  # the exercise item being described
    recent_groups: list[str] = field(default_factory=list)  # groups named so far, latest last
    announced: list[str] = field(default_factory=list)  # groups whose members the text is naming next
    announced_misses: int = 0  # sentences since then that named none of them


@dataclass
class Label:
    """A definition-list label opening the block ("Quadriceps: The mighty front thigh muscles ...")."""

    end: int | None  # offset of the ':' (None: the block has no label)
    objects: list[Found] = field(default_factory=list)  # objects named inside the label
    muscles: list[str] = field(default_factory=list)  # muscles named inside the label


@dataclass
class Sentence:
    """One sentence of a block, with everything the rules look at."""

    block: Block
    start: int
    end: int
    mentions: list[Mention]  # muscle mentions in the sentence
    objects: list[Found]  # objects found in the sentence
    label: Label
    state: DocumentState
    paragraph_topic: list[str]  # the latest muscles this paragraph named as a subject

    @property
    def text(self) -> str:
        return self.block.text[self.start : self.end]

    def _names_muscle_at(self, offset: int, reach: int = SUBORDINATE_REACH) -> bool:
        """Whether a muscle is named within `reach` characters after an offset of the sentence."""
        return any(0 <= m.char_start - self.start - offset < reach for m in self.mentions)

    def _free_muscle_after(self, offset: int) -> bool:
        """Whether a muscle outside any object is named after an offset of the sentence."""
        return any(m.char_start - self.start >= offset and not inside_object(m, self.objects) for m in self.mentions)

    def _predicate_before(self, offset: int) -> bool:
        """Whether words other than a list's commas follow the last muscle named before an offset:
        "The calf muscles point the foot, and ..." ends a clause; "the glutes, and ..." a list item."""
        before = [m.char_end - self.start for m in self.mentions if m.char_end - self.start <= offset]
        if not before:
            return False
        words = self.text[max(before) : offset]
        return "," not in words and len(words.split()) >= MIN_PREDICATE_WORDS

    def clauses(self) -> list[tuple[int, int]]:
        """Block offsets of the sentence's clauses (split at ';', 'while', 'whereas', 'but', ', then'
        and ', and' before a new subject, and before a subordinate clause that names a muscle as its subject)."""
        cuts = [(m.start(), m.end()) for m in CLAUSE_BREAK.finditer(self.text)]
        for match in SUBORDINATE.finditer(self.text):
            if match.start() > 0 and self._names_muscle_at(match.end()):
                cuts.append((match.start(), match.start()))
        if OPENING_SUBORDINATE.match(self.text):
            main = next((m for m in MAIN_CLAUSE.finditer(self.text) if self._names_muscle_at(m.end(), reach=1)), None)
            if main is not None:
                cuts.append((main.start(), main.start()))
        for match in COLON.finditer(self.text):
            if self._names_muscle_at(match.end()):
                cuts.append((match.start(), match.end()))
        for match in THEN.finditer(self.text):
            if self._free_muscle_after(match.end()):
                cuts.append((match.start(), match.start()))
        for match in COORDINATE.finditer(self.text):
            said = any(o.end <= self.start + match.start() for o in self.objects) or self._predicate_before(
                match.start()
            )
            if said and self._names_muscle_at(match.end(), reach=1):
                cuts.append((match.start(), match.start()))
        bounds, start = [], 0
        for cut_start, cut_end in sorted(cuts):
            if cut_start < start:
                continue
            bounds.append((self.start + start, self.start + cut_start))
            start = cut_end
        bounds.append((self.start + start, self.end))
        return [(a, b) for a, b in bounds if b > a]


def definition_label(text: str) -> int | None:
    """End offset of the 'Label:' that opens a definition-list item, if there is one."""
    match = DEFINITION_LABEL.match(text)
    if match is None or len(match.group().split()) > MAX_LABEL_WORDS or LABEL_VERB.search(match.group()):
        return None
    return match.end() - 1


def inside_object(mention: Mention, objects: Iterable[Found]) -> bool:
    return any(o.start <= mention.char_start and mention.char_end <= o.end for o in objects)


def first_coordinated(mentions: list[Mention], text: str) -> list[Mention]:
    """The first mention and those joined to it by 'and', ',' or 'or': 'quadriceps and hamstrings'."""
    if not mentions:
        return []
    group = [mentions[0]]
    for mention in mentions[1:]:
        if not COORDINATION_GAP.match(text[group[-1].char_end : mention.char_start]):
            break
        group.append(mention)
    return list({m.muscle_id: m for m in group}.values())


def unique_ids(mentions: Iterable[Mention]) -> list[str]:
    return list(dict.fromkeys(m.muscle_id for m in mentions))
