"""Component `muscle_resolver`: overlapping candidates become final mentions.

Longest match wins; "X muscle" heads extend a mention; "gluteus medius and minimus" ellipses
and "muscles of the chest and back" coordinations add mentions; a structure the text calls a
muscle is flagged.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.extract.lexicon import MUSCLE_HEADS, Lexicon, plural
from pipeline.extract.muscles.lists import list_items
from pipeline.extract.muscles.misspellings import LEXICON
from pipeline.extract.muscles.spans import CANDIDATES, MENTIONS, MentionMatch, doc_text, notes_of
from pipeline.records import (
    FLAG_CATEGORY_ERROR,
    FLAG_FUZZY,
    MATCH_CATEGORY_ERROR,
    MATCH_COORDINATED,
    MATCH_DEFINED,
    MATCH_ELLIPTICAL,
    MATCH_MISSPELLING,
)

MUSCLES_WORD = re.compile(r"(?i)\bmuscles\b")
COORDINATION_AFTER = re.compile(r"\s+(?:of|in|around)\s", re.I)
COORDINATION_BEFORE = re.compile(r"(?:,|\band\b|\bor\b|&)", re.I)


# Words that end a Latin name and can stand alone after it: "gluteus maximus, medius and minimus".
ELLIPSIS_PARTS = frozenset(
    [
        "maximus",
        "medius",
        "minimus",
        "longus",
        "brevis",
        "tertius",
        "major",
        "minor",
        "anterior",
        "posterior",
        "medialis",
        "lateralis",
        "intermedius",
        "magnus",
        "superior",
        "inferior",
        "internus",
        "externus",
        "femoris",
        "brachii",
    ]
)
LIST_SEPARATORS = frozenset({",", "and", "or", "&", "/", "as", "well"})
# Tokens after a muscle name that are part of "the X muscle group" rather than new words.
GROUP_HEADS = frozenset({"group", "groups", "complex"})
# "muscles of/in your core, back and shoulders": what may sit between "muscles" and the list.
COORDINATION_OPENERS = frozenset({"of", "in", "around"})
COORDINATION_DETERMINERS = frozenset({"the", "your", "our", "their", "his", "her", "both"})


@Language.factory("muscle_resolver", default_config={"lexicon": LEXICON})
def make_resolver(nlp: Language, name: str, lexicon: Lexicon) -> MuscleResolver:
    return MuscleResolver(lexicon)


class MuscleResolver:
    """Turns overlapping candidates into final mentions."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.modifiers = {
            form.lower(): entry.id
            for entry in lexicon.entries.values()
            for modifier in entry.modifier_forms
            for form in (modifier, plural(modifier))
        }

    def __call__(self, doc: Doc) -> Doc:
        notes = notes_of(doc)
        mentions = []
        for span in filter_spans(doc.spans.get(CANDIDATES, [])):
            note = notes.get((span.start, span.end))
            flags = (FLAG_FUZZY,) if span.label_ == MATCH_MISSPELLING else ()
            mentions.append(MentionMatch(span.start, span.end, span.id_, span.label_, note, flags=flags))
        mentions = _merge_parentheticals(doc, mentions)
        mentions += self._ellipses(doc, mentions)
        mentions += self._coordinations(doc, mentions)
        for start, end, muscle_id, note in list_items(doc, mentions, self.lexicon):
            mentions.append(MentionMatch(start, end, muscle_id, MATCH_COORDINATED, note))
        doc._.muscle_mentions = sorted((finalise(doc, m, self.lexicon) for m in mentions), key=lambda m: m.start)
        doc.spans[MENTIONS] = [Span(doc, m.start, m.end, label=m.match_type, span_id=m.muscle_id) for m in mentions]
        return doc

    def _ellipses(self, doc: Doc, mentions: list[MentionMatch]) -> list[MentionMatch]:
        """'gluteus maximus, medius, and minimus' -> three muscles."""
        taken = {i for m in mentions for i in range(m.start, m.end)}
        found = []
        for mention in mentions:
            if mention.end - mention.start < 2 or doc[mention.end - 1].lower_ not in ELLIPSIS_PARTS:
                continue
            words = [t.lower_ for t in doc[mention.start : mention.end]]
            prefix = " ".join(words[:-1])
            i = mention.end
            while i < len(doc) and (doc[i].lower_ in LIST_SEPARATORS or doc[i].lower_ in ELLIPSIS_PARTS):
                token = doc[i]
                term = self.lexicon.phrase_index.get(f"{prefix} {token.lower_}")
                if token.lower_ in ELLIPSIS_PARTS and term and i not in taken:
                    note = f"elliptical: '{token.text}' after '{doc[mention.start : mention.end].text}'"
                    found.append(MentionMatch(i, i + 1, term.muscle_id, MATCH_ELLIPTICAL, note))
                    taken.add(i)
                elif token.lower_ in ELLIPSIS_PARTS:
                    break
                i += 1
        return found

    def _coordinations(self, doc: Doc, mentions: list[MentionMatch]) -> list[MentionMatch]:
        """'muscles of your chest, back and shoulders' and 'chest and back muscles'."""
        taken = {i for m in mentions for i in range(m.start, m.end)}
        found = []
        text = doc_text(doc)
        for match in MUSCLES_WORD.finditer(text):
            # Cheap text checks first: a list needs "of/in/around" after, or "and/or/," before.
            after = COORDINATION_AFTER.match(text, match.end()) is not None
            before = COORDINATION_BEFORE.search(text[max(0, match.start() - 40) : match.start()]) is not None
            span = doc.char_span(match.start(), match.end()) if after or before else None
            if span is None:
                continue
            token = span[0]
            following = self._modifier_list(doc, token.i + 1, step=1) if after else []
            preceding = self._modifier_list(doc, token.i - 1, step=-1) if before else []
            for start, end, muscle_id in following + preceding[1:]:
                if not taken.intersection(range(start, end)):
                    note = f"coordinated with '{token.text}'"
                    found.append(MentionMatch(start, end, muscle_id, MATCH_COORDINATED, note))
                    taken.update(range(start, end))
        return found

    def _modifier_list(self, doc: Doc, i: int, step: int) -> list[tuple[int, int, str]]:
        """Modifiers in a list running from token i in one direction: [(start, end, muscle_id)]."""
        if step > 0:
            if i >= len(doc) or doc[i].lower_ not in COORDINATION_OPENERS:
                return []
            i += 1
            while i < len(doc) and doc[i].lower_ in COORDINATION_DETERMINERS:
                i += 1
        items: list[tuple[int, int, str]] = []
        expect_item = True
        while 0 <= i < len(doc):
            if expect_item:
                hit = self._modifier_at(doc, i, step)
                if not hit:
                    break
                items.append(hit)
                i = hit[1] if step > 0 else hit[0] - 1
                expect_item = False
            elif doc[i].lower_ in {",", "and", "or", "&"}:
                i += step
                while 0 <= i < len(doc) and doc[i].lower_ in {"and", "or"} | COORDINATION_DETERMINERS:
                    i += step
                expect_item = True
            else:
                break
        # "muscles of the chest" alone is already matched by its own term; a list needs two items.
        return items if len(items) >= 2 or step < 0 else []

    def _modifier_at(self, doc: Doc, i: int, step: int) -> tuple[int, int, str] | None:
        for width in (2, 1):
            start, end = (i, i + width) if step > 0 else (i - width + 1, i + 1)
            if start < 0 or end > len(doc):
                continue
            muscle_id = self.modifiers.get(doc[start:end].text.lower())
            if muscle_id:
                return start, end, muscle_id
        return None


def _merge_parentheticals(doc: Doc, mentions: list[MentionMatch]) -> list[MentionMatch]:
    """'iliotibial (ITB)' and 'tensor fasciae latae (TFL)': one mention, not two."""
    merged: list[MentionMatch] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.muscle_id == mention.muscle_id
            and mention.start == previous.end + 1
            and doc[previous.end].text == "("
            and mention.end < len(doc)
            and doc[mention.end].text == ")"
        ):
            previous.end = mention.end + 1
            continue
        merged.append(mention)
    return merged


def finalise(doc: Doc, mention: MentionMatch, lexicon: Lexicon) -> MentionMatch:
    """Extend over a following 'muscle(s)' head and flag a structure that the text calls a muscle."""
    end = mention.end
    if doc[end - 1].lower_ not in MUSCLE_HEADS and end < len(doc) and doc[end].lower_ in MUSCLE_HEADS:
        end += 1
        if end < len(doc) and doc[end].lower_ in GROUP_HEADS:
            end += 1
    mention.end = end
    entry = lexicon[mention.muscle_id]
    calls_it_muscle = any(t.lower_ in MUSCLE_HEADS for t in doc[mention.start : mention.end])
    if entry.kind == "structure" and calls_it_muscle:
        mention.category_note = f"called a muscle, but the {entry.name} is a {entry.kind}, not a muscle"
        if mention.match_type != MATCH_DEFINED:
            mention.match_type = MATCH_CATEGORY_ERROR
        mention.flags = tuple(sorted(set(mention.flags) | {FLAG_CATEGORY_ERROR}))
    return mention
