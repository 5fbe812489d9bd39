"""Stage 3b: claims of the form muscle -> relation -> object, each traceable to its sentence.

Blocks and their muscle mentions in, claims out. Objects (actions, running roles, exercises,
stretches, injuries) come from the controlled vocabularies (`pipeline/extract/vocabulary.py`); the
cues that link them to muscles, and the hedge and negation cues, are regexes in
`data/claim_cues.jsonl`. Who a claim is about is decided in this order:

1. a definition-list label ("Quadriceps: The mighty front thigh muscles that power ...");
2. the muscles named in the clause (clauses split at ';', 'while', 'whereas', 'but');
3. for "they", "these muscles", "this muscle": the topic of the nearest heading that names a
   muscle, else the paragraph's first muscle mention;
4. for exercise and stretch lists under an exercise heading or lead-in: that topic.

Negated clauses produce no claim; hedged ones are kept with `modality = hedged`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from pipeline.common.rules import DATA_DIR, PatternError, read_jsonl
from pipeline.common.sentences import sentence_starts
from pipeline.extract.lexicon import Lexicon
from pipeline.extract.muscles import cached_lexicon
from pipeline.extract.vocabulary import OBJECTS, Vocabulary, build_object_nlp, cached_vocabulary
from pipeline.records import Block, Claim, Mention

RELATION_MEMBER = "member"
CUE_LABELS = (
    "hedge",
    "negation",
    "exercise_link",
    "stretch_link",
    "injury_link",
    "member_cue",
    "member_part_of",
    "anaphor",
    "exercise_section",
    "member_count",
    "primary",
    "supporting",
)
RELATION_MEMBER_COUNT = "member_count"
RELATION_PROMINENCE = "prominence"
# Objects of the two relations that are not vocabulary entries.
PROMINENCE_LABELS = {"primary": "primary muscle", "supporting": "supporting muscle"}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
THIS_EXERCISE = re.compile(
    r"\b(?:this|these|the|that) (?:exercises?|moves?|movements?|stretch(?:es)?|poses?|drills?)\b", re.I
)
CLAUSE_BREAK = re.compile(r";|,? while (?!also)|,? whereas |,? but (?!also)|—but ", re.IGNORECASE)
DEFINITION_LABEL = re.compile(r"^[^:.!?]{1,60}:\s")
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Tokens allowed between two mentions that name the same subject: "the quads and hamstrings".
COORDINATION_GAP = re.compile(r"^[\s,]*(?:(?:and|or|&|as well as|both|plus)\b[\s,]*)?(?:(?:the|your|its)\s+)?$", re.I)

# "It" and "this muscle" refer to one muscle; "they" and "these muscles" to a group or several.
SINGULAR_ANAPHORS = frozenset({"it", "its", "muscle"})

# Confidence of each attribution rule, before hedging. Set by reading the claims each rule
# produced on the seed articles: explicit clause subjects and labels were right nearly always,
# topic-based attribution less often (a heading's topic can outlive its section).
RULE_CONFIDENCE = {
    "definition_label": 0.9,
    "clause_subject": 0.85,
    "exercise_target": 0.85,
    "exercise_list_topic": 0.75,
    "this_exercise": 0.8,
    "anaphor_paragraph_topic": 0.75,
    "anaphor_discourse_topic": 0.7,
    "table_column": 0.85,
    "member_cue": 0.9,
    "member_heading_list": 0.8,
    "member_count": 0.8,
    "prominence_cue": 0.8,
}
# Hedged claims ("may help") keep this share of their rule's confidence.
HEDGE_FACTOR = 0.7


@dataclass(frozen=True)
class Cue:
    id: str
    label: str
    regex: re.Pattern[str]


class Cues:
    """The claim cue regexes, by label."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or DATA_DIR / "claim_cues.jsonl"
        rows = read_jsonl(path, {"id": str, "label": str, "pattern": str}, {"note": str})
        self.by_label: dict[str, list[Cue]] = {label: [] for label in CUE_LABELS}
        for row in rows:
            if row["label"] not in CUE_LABELS:
                raise PatternError(f"{path.name}: cue '{row['id']}' has unknown label '{row['label']}'")
            try:
                regex = re.compile(row["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise PatternError(f"{path.name}: cue '{row['id']}' does not compile ({exc})") from exc
            self.by_label[row["label"]].append(Cue(row["id"], row["label"], regex))

    def search(self, label: str, text: str) -> re.Match[str] | None:
        for cue in self.by_label[label]:
            match = cue.regex.search(text)
            if match:
                return match
        return None


@dataclass
class ClaimStats:
    by_relation: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    hedged: int = 0
    negated_dropped: int = 0
    members_rejected: int = 0


@dataclass(frozen=True)
class Found:
    """An object found in a block: its character span, vocabulary and id."""

    start: int
    end: int
    vocabulary: str
    object_id: str


@dataclass
class DocumentState:
    """What earlier blocks of the document say about the current one."""

    topic: list[str] = field(default_factory=list)  # muscles of the nearest heading that names one
    discourse: list[str] = field(default_factory=list)  # the last muscles named as a subject, heading or text
    exercise_list: bool = False  # under an exercise heading or an exercise lead-in ending in ':'
    lead_in: bool = False  # the exercise list was opened by a lead-in paragraph, not a heading
    member_group: str | None = None  # a heading group whose member list follows
    table_columns: list[tuple[str, list[str]]] = field(default_factory=list)  # (relation, muscles)


class ClaimExtractor:
    def __init__(
        self,
        nlp: Language | None = None,
        vocabulary: Vocabulary | None = None,
        lexicon: Lexicon | None = None,
        cues: Cues | None = None,
    ) -> None:
        self.nlp = nlp or build_object_nlp()
        self.vocabulary = vocabulary or cached_vocabulary("")
        self.lexicon = lexicon or cached_lexicon("")
        self.cues = cues or Cues()
        self.stats = ClaimStats()
        self._muscle_like: set[str] = set()

    # ------------------------------------------------------------------ document

    def document(self, blocks: list[Block], mentions: list[Mention]) -> list[Claim]:
        kept = [b for b in blocks if b.kept]
        by_block: dict[int, list[Mention]] = {}
        for mention in sorted(mentions, key=lambda m: (m.block_idx, m.char_start)):
            by_block.setdefault(mention.block_idx, []).append(mention)
        state = DocumentState()
        self._muscle_like = {m.muscle_id for m in mentions if m.match_type == "category_error"}
        claims: list[Claim] = []
        for block, doc in zip(kept, self.nlp.pipe(b.text for b in kept), strict=True):
            block_mentions = by_block.get(block.block_idx, [])
            objects = [Found(s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans.get(OBJECTS, [])]
            claims += self.block(block, block_mentions, objects, state)
        claims = _deduplicated(claims)
        for claim in claims:
            self.stats.by_relation[claim.relation] += 1
            self.stats.by_rule[claim.rule_id] += 1
            self.stats.hedged += claim.modality == "hedged"
        return claims

    def block(self, block: Block, mentions: list[Mention], objects: list[Found], state: DocumentState) -> list[Claim]:
        if block.kind in ("heading", "title"):
            self._enter_heading(block, mentions, state)
            return []
        if block.kind == "table_row":
            return self._table_row(block, state)
        state.table_columns = []
        claims = self._heading_list_member(block, mentions, state)
        label = _definition_label(block.text)
        label_objects = [o for o in objects if label is not None and o.end <= label]
        label_muscles = [
            m.muscle_id
            for m in mentions
            if label is not None and m.char_end <= label and not _inside_object(m, label_objects)
        ]
        starts = sentence_starts(block.text)
        ends = starts[1:] + [len(block.text)]
        paragraph_topic: list[str] = []
        previous_exercises: list[Found] = []
        for start, end in zip(starts, ends, strict=True):
            sentence_mentions = [m for m in mentions if start <= m.char_start < end]
            sentence_objects = [o for o in objects if start <= o.start < end]
            exercises = [o for o in sentence_objects if o.vocabulary in ("exercise", "stretch")]
            if not exercises and previous_exercises:
                claims += self._this_exercise(block, (start, end), sentence_mentions, previous_exercises)
            previous_exercises = exercises or previous_exercises
            claims += self._member_count(block, (start, end), sentence_mentions, state, paragraph_topic)
            claims += self._prominence(block, (start, end), sentence_mentions)
            claims += self._sentence(
                block,
                (start, end),
                sentence_mentions,
                sentence_objects,
                (label, label_objects, label_muscles),
                state,
                paragraph_topic,
            )
            free = [m for m in sentence_mentions if not _inside_object(m, objects) and self._can_be_subject(m)]
            opens_with_anaphor = self.cues.search("anaphor", block.text[start:end][:20])
            if free and not opens_with_anaphor:  # the latest sentence naming a muscle sets what "they" means
                paragraph_topic = [m.muscle_id for m in _first_coordinated(free, block.text)]
        if paragraph_topic:
            state.discourse = paragraph_topic
        if block.kind == "paragraph" and block.text.rstrip().endswith(":"):
            state.exercise_list = state.exercise_list or bool(self.cues.search("exercise_section", block.text))
            state.lead_in = True
        elif block.kind == "paragraph" and state.lead_in:
            state.exercise_list = state.lead_in = False  # a lead-in's list has ended
        return claims

    # ------------------------------------------------------------------ headings and tables

    def _enter_heading(self, block: Block, mentions: list[Mention], state: DocumentState) -> None:
        state.exercise_list = bool(self.cues.search("exercise_section", block.text))
        state.lead_in = False
        state.table_columns = []
        state.member_group = None
        # A heading without a muscle ("Smooth Muscles", "Downsides of Weakness") ends what "they"
        # referred to; the section's muscle still owns its exercise lists.
        state.discourse = []
        if mentions:
            state.topic = [m.muscle_id for m in _first_coordinated(mentions, block.text)]
            state.discourse = state.topic
            first = self.lexicon[state.topic[0]]
            state.member_group = first.id if first.kind == "group" and len(state.topic) == 1 else None

    def _heading_list_member(self, block: Block, mentions: list[Mention], state: DocumentState) -> list[Claim]:
        """A list of bare member names under a heading that names their group."""
        group = state.member_group
        if block.kind != "list_item" or group is None:
            state.member_group = None if block.kind != "list_item" else group
            return []
        words = re.findall(r"[A-Za-z]+", block.text)
        if len(mentions) != 1 or len(words) > 8:
            return []
        member = mentions[0]
        if not self._is_member(group, member.muscle_id):
            return []
        return [self._claim(block, 0, len(block.text), group, RELATION_MEMBER, member.muscle_id, "member_heading_list")]

    def _table_row(self, block: Block, state: DocumentState) -> list[Claim]:
        """Tables flattened into text: 'Hip Flexor StretchesHip Flexor Exercises' then rows."""
        cells = CAMEL_BOUNDARY.split(block.text)
        if not state.table_columns:
            state.table_columns = [self._column(cell) for cell in cells]
            return []
        claims = []
        offset = 0
        for cell, (relation, muscles) in zip(cells, state.table_columns, strict=False):
            cell_start, cell_end = offset, offset + len(cell)
            offset = cell_end
            if not relation or not muscles:
                continue
            # Cells are matched one by one: run together, "twistBicycle" would be one token.
            cell_doc = self.nlp(cell)
            for span in cell_doc.spans.get(OBJECTS, []):
                if span.label_ == relation:
                    claims += [
                        self._claim(block, cell_start, cell_end, m, relation, span.id_, "table_column") for m in muscles
                    ]
        return claims

    def _column(self, header: str) -> tuple[str, list[str]]:
        relation = (
            "stretch"
            if re.search(r"stretch", header, re.I)
            else "exercise"
            if re.search(r"exercise|workout|strength", header, re.I)
            else ""
        )
        term = None
        words = header.split()
        for k in range(len(words), 0, -1):
            term = self.lexicon.resolve(" ".join(words[:k]))
            if term:
                break
        return relation, [term.muscle_id] if term else []

    # ------------------------------------------------------------------ sentences

    def _sentence(
        self,
        block: Block,
        bounds: tuple[int, int],
        mentions: list[Mention],
        objects: list[Found],
        labelled: tuple[int | None, list[Found], list[str]],
        state: DocumentState,
        paragraph_topic: list[str],
    ) -> list[Claim]:
        start, end = bounds
        label, label_objects, label_muscles = labelled
        text = block.text[start:end]
        claims = self._member_claims(block, start, end, mentions, label)
        free = [
            m
            for m in mentions
            if not _inside_object(m, objects) and m.muscle_id not in label_muscles and self._can_be_subject(m)
        ]
        for clause_start, clause_end in _clauses(text, start):
            clause = block.text[clause_start:clause_end]
            clause_objects = [o for o in objects if clause_start <= o.start < clause_end and o not in label_objects]
            if not clause_objects:
                continue
            clause_mentions = [m for m in free if clause_start <= m.char_start < clause_end]
            modality = "hedged" if self.cues.search("hedge", clause) else "asserted"
            for found in clause_objects:
                if self._negated(block.text[clause_start : found.start]):
                    self.stats.negated_dropped += 1
                    continue
                named = [m for m in mentions if found.start <= m.char_start < found.end]
                subjects, rule = self._subjects(
                    found, block, text, clause, clause_mentions, free, label_muscles, state, paragraph_topic, named
                )
                for muscle_id in subjects:
                    claim = self._claim(block, start, end, muscle_id, found.vocabulary, found.object_id, rule, modality)
                    claims.append(claim)
        label_exercises = [o for o in label_objects if o.vocabulary in ("exercise", "stretch")]
        if label_exercises and start == 0:
            claims += self._labelled_exercise(block, mentions, label_exercises, state)
        return claims

    def _this_exercise(
        self, block: Block, bounds: tuple[int, int], mentions: list[Mention], previous: list[Found]
    ) -> list[Claim]:
        """'... get ready for some clamshells. This exercise targets your gluteus medius.'"""
        start, end = bounds
        text = block.text[start:end]
        if not mentions or not THIS_EXERCISE.search(text) or self._negated(text):
            return []
        modality = "hedged" if self.cues.search("hedge", text) else "asserted"
        claims = []
        for found in previous:
            link = "exercise_link" if found.vocabulary == "exercise" else "stretch_link"
            if self.cues.search(link, text):
                claims += [
                    self._claim(block, start, end, m, found.vocabulary, found.object_id, "this_exercise", modality)
                    for m in dict.fromkeys(m.muscle_id for m in mentions)
                ]
        return claims

    def _labelled_exercise(
        self, block: Block, mentions: list[Mention], found: list[Found], state: DocumentState
    ) -> list[Claim]:
        """'Calf raises: ... targets both the gastrocnemius and the soleus' (the whole item)."""
        text = block.text
        link = "exercise_link" if found[0].vocabulary == "exercise" else "stretch_link"
        targets = [m.muscle_id for m in mentions if not _inside_object(m, found)]
        if self._negated(text) or not (targets or state.exercise_list):
            return []
        claims = []
        modality = "hedged" if self.cues.search("hedge", text) else "asserted"
        for obj in found:
            if targets and self.cues.search(link, text):
                claims += [
                    self._claim(block, 0, len(text), m, obj.vocabulary, obj.object_id, "exercise_target", modality)
                    for m in dict.fromkeys(targets)
                ]
            if state.exercise_list and state.topic:
                claims += [
                    self._claim(block, 0, len(text), m, obj.vocabulary, obj.object_id, "exercise_list_topic", modality)
                    for m in state.topic
                ]
        return claims

    def _subjects(
        self,
        found: Found,
        block: Block,
        sentence: str,
        clause: str,
        clause_mentions: list[Mention],
        sentence_mentions: list[Mention],
        label_muscles: list[str],
        state: DocumentState,
        paragraph_topic: list[str],
        named: list[Mention],
    ) -> tuple[list[str], str]:
        if label_muscles:
            return label_muscles, "definition_label"
        if found.vocabulary in ("exercise", "stretch"):
            link = "exercise_link" if found.vocabulary == "exercise" else "stretch_link"
            targets = clause_mentions or sentence_mentions
            if targets and self.cues.search(link, sentence):
                return list(dict.fromkeys(m.muscle_id for m in targets)), "exercise_target"
            if not sentence_mentions and state.topic and state.exercise_list:
                return state.topic, "exercise_list_topic"
            return [], ""
        if found.vocabulary == "injury":
            if not self.cues.search("injury_link", sentence):
                return [], ""
            before = [m for m in clause_mentions if m.char_end <= found.start]
            named = [m for m in named if self._can_be_subject(m)]
            if not before and named:
                # "hamstring strain and tears become a threat when ...": the injury names its muscle
                return [named[0].muscle_id], "clause_subject"
        anaphor = self.cues.search("anaphor", clause)
        # "It is an important muscle located in the calf": the anaphor, not the calf, is the subject.
        anaphor_first = anaphor is not None and (
            not clause_mentions or block.text.find(clause) + anaphor.end() <= clause_mentions[0].char_start
        )
        if clause_mentions and not anaphor_first:
            return [m.muscle_id for m in _first_coordinated(clause_mentions, block.text)], "clause_subject"
        if anaphor is not None and anaphor_first:
            singular = anaphor.group().lower().split()[-1] in SINGULAR_ANAPHORS
            earlier = [m for m in sentence_mentions if m.char_end <= found.start and m not in clause_mentions]
            in_sentence = [m.muscle_id for m in _first_coordinated(earlier, block.text)]
            candidates = (
                (in_sentence, "anaphor_paragraph_topic"),
                (paragraph_topic, "anaphor_paragraph_topic"),
                (state.discourse, "anaphor_discourse_topic"),
            )
            for topic, rule in candidates:
                one_muscle = len(topic) == 1 and self.lexicon[topic[0]].kind == "muscle"
                # "it" names one muscle; "they" and "these" also name one with a plural form (biceps)
                if topic and (one_muscle or not singular):
                    return topic, rule
        return [], ""

    def _member_claims(
        self, block: Block, start: int, end: int, mentions: list[Mention], label: int | None
    ) -> list[Claim]:
        """'The quads, consisting of the vastus medialis, ...': a group, a cue, its members."""
        claims = []
        text = block.text
        for i, group in enumerate(mentions):
            if self.lexicon[group.muscle_id].kind != "group":
                continue
            following = mentions[i + 1 :]
            if not following:
                continue
            between = text[group.char_end : following[0].char_start]
            at_label = label is not None and group.char_end <= label < following[0].char_start
            if not (at_label or self.cues.search("member_cue", between)):
                continue
            for member in following:
                if self._negated(text[start : member.char_start]):
                    self.stats.negated_dropped += 1
                    break
                if not self._is_member(group.muscle_id, member.muscle_id):
                    self.stats.members_rejected += 1
                    continue
                claims.append(
                    self._claim(block, start, end, group.muscle_id, RELATION_MEMBER, member.muscle_id, "member_cue")
                )
            break
        return claims + self._part_of_claims(block, start, end, mentions)

    def _part_of_claims(self, block: Block, start: int, end: int, mentions: list[Mention]) -> list[Claim]:
        """'the soleus is part of the calves'; 'although not directly part of the glutes' is none."""
        claims = []
        text = block.text
        for member, group in zip(mentions, mentions[1:], strict=False):
            between = text[member.char_end : group.char_start]
            cue = self.cues.search("member_part_of", between)
            if not cue or self.lexicon[group.muscle_id].kind != "group":
                continue
            if self._negated(text[start : group.char_start]):
                self.stats.negated_dropped += 1
                continue
            if self._is_member(group.muscle_id, member.muscle_id):
                claims.append(
                    self._claim(block, start, end, group.muscle_id, RELATION_MEMBER, member.muscle_id, "member_cue")
                )
        # "Although not directly part of the glutes, the quadriceps ...": the member comes after.
        for group in mentions:
            before = text[start : group.char_start]
            if self.cues.search("member_part_of", before[-30:]) and self._negated(before):
                self.stats.negated_dropped += 1
        return claims

    def _member_count(
        self,
        block: Block,
        bounds: tuple[int, int],
        mentions: list[Mention],
        state: DocumentState,
        paragraph_topic: list[str],
    ) -> list[Claim]:
        """'Picture them as a squad of four superheroes': how many members a group has."""
        start, end = bounds
        text = block.text[start:end]
        count = self.cues.search("member_count", text)
        if count is None or self._negated(text[: count.start()]):
            return []
        groups = [m for m in mentions if self.lexicon[m.muscle_id].kind == "group"]
        before = [m for m in groups if m.char_start < start + count.start()]
        if groups:
            group = (before or groups)[-1 if before else 0].muscle_id
        elif self.cues.search("anaphor", text):
            topic = paragraph_topic or state.topic
            if len(topic) != 1 or self.lexicon[topic[0]].kind != "group":
                return []
            group = topic[0]
        else:
            return []
        word = count.group(1).lower()
        number = str(NUMBER_WORDS.get(word) or int(word))
        return [self._claim(block, start, end, group, RELATION_MEMBER_COUNT, number, "member_count")]

    def _prominence(self, block: Block, bounds: tuple[int, int], mentions: list[Mention]) -> list[Claim]:
        """'The primary leg muscles ... are assisted by supporting muscles which consist of the biceps ...'."""
        start, end = bounds
        text = block.text[start:end]
        cues = [
            (match.start() + start, label)
            for label in PROMINENCE_LABELS
            for cue in self.cues.by_label[label]
            for match in cue.regex.finditer(text)
        ]
        if not cues or self._negated(text):
            return []
        claims = []
        for mention in mentions:
            if not self._can_be_subject(mention):
                continue
            preceding = [c for c in cues if c[0] < mention.char_start]
            _, label = max(preceding) if preceding else min(cues)
            claims.append(
                self._claim(block, start, end, mention.muscle_id, RELATION_PROMINENCE, label, "prominence_cue")
            )
        return claims

    # ------------------------------------------------------------------ helpers

    def _can_be_subject(self, mention: Mention) -> bool:
        """Structures act only where the text treats them as muscles ("the ITB muscle")."""
        return self.lexicon[mention.muscle_id].kind != "structure" or mention.muscle_id in self._muscle_like

    def _negated(self, text: str) -> bool:
        return self.cues.search("negation", text) is not None

    def _is_member(self, group_id: str, member_id: str) -> bool:
        """True if every muscle the member stands for is one of the group's muscles."""
        if group_id == member_id:
            return False
        return self.lexicon.leaves(member_id) <= self.lexicon.leaves(group_id)

    def _claim(
        self,
        block: Block,
        start: int,
        end: int,
        muscle_id: str,
        relation: str,
        object_id: str,
        rule: str,
        modality: str = "asserted",
    ) -> Claim:
        if relation == RELATION_MEMBER:
            label = self.lexicon[object_id].name
        elif relation == RELATION_MEMBER_COUNT:
            label = f"{object_id} members"
        elif relation == RELATION_PROMINENCE:
            label = PROMINENCE_LABELS[object_id]
        else:
            label = self.vocabulary[f"{relation}:{object_id}"].label
        confidence = RULE_CONFIDENCE[rule] * (HEDGE_FACTOR if modality == "hedged" else 1.0)
        sentence = block.text[start:end].strip()
        key = f"{block.doc_id}|{muscle_id}|{relation}|{object_id}|{block.block_idx}|{start}"
        return Claim(
            claim_id=hashlib.sha256(key.encode()).hexdigest()[:16],
            doc_id=block.doc_id,
            muscle_id=muscle_id,
            relation=relation,
            object_id=object_id,
            object_label=label,
            modality=modality,
            sentence=sentence,
            block_idx=block.block_idx,
            section_path=list(block.section_path),
            char_start=start,
            char_end=start + len(block.text[start:end].rstrip()),
            line_start=block.line_start,
            line_end=block.line_end,
            rule_id=rule,
            confidence=round(confidence, 3),
        )


def _clauses(sentence: str, offset: int) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in CLAUSE_BREAK.finditer(sentence):
        bounds.append((offset + start, offset + match.start()))
        start = match.end()
    bounds.append((offset + start, offset + len(sentence)))
    return bounds


def _definition_label(text: str) -> int | None:
    """End offset of the 'Label:' that opens a definition-list item, if there is one."""
    match = DEFINITION_LABEL.match(text)
    return match.end() - 1 if match else None


def _inside_object(mention: Mention, objects: Iterable[Found]) -> bool:
    return any(o.start <= mention.char_start and mention.char_end <= o.end for o in objects)


def _first_coordinated(mentions: list[Mention], text: str) -> list[Mention]:
    """The first mention and those joined to it by 'and', ',' or 'or': 'quadriceps and hamstrings'."""
    if not mentions:
        return []
    group = [mentions[0]]
    for mention in mentions[1:]:
        if not COORDINATION_GAP.match(text[group[-1].char_end : mention.char_start]):
            break
        group.append(mention)
    return list({m.muscle_id: m for m in group}.values())


def _deduplicated(claims: list[Claim]) -> list[Claim]:
    seen: dict[str, Claim] = {}
    for claim in claims:
        seen.setdefault(claim.claim_id, claim)
    return list(seen.values())


def extract_claims(
    blocks: Iterable[Block],
    mentions: Iterable[Mention],
    extractor: ClaimExtractor | None = None,
    progress: Callable[[Collection[str]], Iterable[str]] = lambda ids: ids,
) -> tuple[list[Claim], ClaimStats]:
    """Stage 3b over many documents: blocks and mentions in, claims out."""
    extractor = extractor or ClaimExtractor()
    blocks_by_doc: dict[str, list[Block]] = {}
    for block in blocks:
        blocks_by_doc.setdefault(block.doc_id, []).append(block)
    mentions_by_doc: dict[str, list[Mention]] = {}
    for mention in mentions:
        mentions_by_doc.setdefault(mention.doc_id, []).append(mention)
    claims: list[Claim] = []
    for doc_id in progress(list(blocks_by_doc)):
        claims += extractor.document(blocks_by_doc[doc_id], mentions_by_doc.get(doc_id, []))
    return claims, extractor.stats
