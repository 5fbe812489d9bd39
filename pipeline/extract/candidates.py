"""Candidate terms: objects the vocabularies lack, found by the shape of their names.

An exercise, stretch or injury is usually named by a noun phrase ending in a telling head noun
("wall sit", "doorway calf stretch", "piriformis syndrome"). A phrase of up to
`MAX_MODIFIERS` naming words (body parts, equipment, positions, anatomy) before such a head, where no vocabulary object names the head,
becomes a candidate object; the claim rules then treat it like any other object, and a
reviewer accepts or rejects each candidate term (see `reconcile/conflicts/candidate.py`).
Heads live in `data/vocabulary/heads.jsonl`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from spacy.attrs import LOWER
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from pipeline.common.rules import PatternError, read_jsonl
from pipeline.extract.lexicon import plural

CANDIDATES = "claim_candidates"
# A name has at most this many words before its head: "single leg romanian deadlift".
MAX_MODIFIERS = 4
# A head noun followed by one of these is a verb: "stretch your hamstrings", "hold this position".
OBJECT_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "your",
        "my",
        "our",
        "their",
        "his",
        "her",
        "its",
        "this",
        "that",
        "these",
        "those",
        "it",
        "them",
        "you",
        "him",
        "each",
        "both",
        "one",
        "yourself",
    }
)
# Words after a verb that say where a muscle lies or goes: "sits under", "runs along", "lies deep".
PLACING_WORDS = frozenset(
    {"on", "in", "under", "over", "higher", "lower", "behind", "between", "at", "along", "across", "from", "to",
     "into", "deep", "deeper", "just", "below", "above", "beneath", "near", "next", "up", "down", "directly",
     "underneath", "alongside", "inside", "outside", "around", "beside", "toward", "towards", "through"}
)  # fmt: skip
# Punctuation that joins words of one name: "single-leg", "quad/hamstring/glute squeezes".
JOINERS = frozenset({"-", "/"})
# "This relaxing seated stretch": a phrase after these refers back to a name already given.
POINTERS = frozenset({"this", "these", "that", "those"})
WORD = re.compile(r"^[a-z][a-z'’]*$")


@dataclass(frozen=True)
class HeadNouns:
    """Per vocabulary, its head nouns (singular and plural forms -> singular) and the words its
    names may hold before the head (the file's modifiers plus the lexicon's anatomical words)."""

    by_vocabulary: dict[str, dict[str, str]]
    modifiers: dict[str, frozenset[str]]

    @cached_property
    def hashes(self) -> frozenset[int]:
        """The string-store hashes of every head form, to find heads in `Doc.to_array(LOWER)`."""
        return frozenset(get_string_id(form) for forms in self.by_vocabulary.values() for form in forms)

    @classmethod
    def load(cls, path: Path, anatomy: frozenset[str] = frozenset()) -> HeadNouns:
        """The head nouns of a heads file; none (so no candidate terms) where there is no such file."""
        if not path.exists():
            return cls({}, {})
        rows = read_jsonl(path, {"vocabulary": str, "heads": list, "modifiers": list}, {"note": str})
        by_vocabulary: dict[str, dict[str, str]] = {}
        modifiers: dict[str, frozenset[str]] = {}
        for row in rows:
            heads = by_vocabulary.setdefault(row["vocabulary"], {})
            for head in row["heads"]:
                if not isinstance(head, str) or not WORD.match(head):
                    raise PatternError(f"{path.name}: head '{head}' must be one lower-case word")
                heads[head] = head
                heads.setdefault(_plural(head), head)
            modifiers[row["vocabulary"]] = frozenset(row["modifiers"]) | (anatomy - STOP_WORDS)
        return cls(by_vocabulary, modifiers)


def _plural(noun: str) -> str:
    """press -> presses, injury -> injuries, splints -> splints: the plural of a head noun."""
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun if noun.endswith("ts") else noun + "es"
    return plural(noun)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def candidate_spans(
    doc: Doc, heads: HeadNouns, taken: list[Span], compounds: frozenset[str], muscle_words: frozenset[str] = frozenset()
) -> list[Span]:
    """Candidate objects in a doc: phrases ending in a head noun that no object in `taken` covers.

    An object of any vocabulary covering the head wins: "hamstring pull" is the injury it names,
    not an exercise with the head "pull", and "low lunge" the stretch, not a kind of lunge.

    Each span's `kb_id_` holds the candidate's name; `compounds` are one-word names the
    vocabularies use, so "dead lift" is named "deadlift".
    """
    found = []
    covered = {i for span in taken for i in range(span.start, span.end)}
    # Tokens are built only for the words that are some head noun, compared by hash.
    lowers = doc.to_array(LOWER).tolist()
    for i in (i for i, word in enumerate(lowers) if word in heads.hashes and i not in covered):
        token = doc[i]
        for vocabulary, forms in heads.by_vocabulary.items():
            head = forms.get(token.lower_)
            if head is None:
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in OBJECT_WORDS:
                continue  # a verb with its object, not a name
            start = _modifiers_start(doc, token.i, heads.modifiers[vocabulary])
            if start == token.i:
                continue  # a bare head ("pain", "squat") names nothing in particular
            if any(t.lower_ in POINTERS for t in doc[max(0, start - 2) : start]):
                continue  # "this yoga pose" points back at a name given before
            if _subject_and_verb(doc, start, token.i, head, muscle_words):
                continue
            name = candidate_name(Span(doc, start, token.i + 1), compounds)
            found.append(Span(doc, start, token.i + 1, label=vocabulary, span_id=slug(name), kb_id=name))
    return found


# Vocabularies whose names a muscle may open: "soleus wall sit", "psoas march".
PREFIXED_VOCABULARIES = ("exercise", "stretch")


def muscle_prefixed(doc: Doc, kept: list[Span], muscle_words: frozenset[str], compounds: frozenset[str]) -> list[Span]:
    """Known exercises and stretches that a muscle's name opens, as longer candidate names.

    "Soleus Wall Sit" is the wall sit done for the soleus; writers and readers call it by the
    whole name, so it becomes a candidate term the reviewer can accept, keeping the muscle word.
    """
    inside = {i for span in kept for i in range(span.start, span.end)}
    found = []
    for span in kept:
        before = span.start - 1
        if span.label_ not in PREFIXED_VOCABULARIES or before < 0 or before in inside:
            continue
        if doc[before].lower_ in muscle_words:
            name = candidate_name(Span(doc, before, span.end), compounds)
            found.append(Span(doc, before, span.end, label=span.label_, span_id=slug(name), kb_id=name))
    return found


def _subject_and_verb(doc: Doc, start: int, head: int, singular_head: str, muscle_names: frozenset[str]) -> bool:
    """'Your hamstrings stretch as ...', 'The gluteus medius sits higher': a subject and its verb.

    After a determiner, a plural noun and a bare head are one; so is a muscle's whole name and a
    head ending in -s, after a determiner or before a word that places it ("sits under", "runs
    along"). Names put the body part in the singular ('hamstring stretch') and need no article.
    """
    after_determiner = start > 0 and doc[start - 1].lower_ in OBJECT_WORDS
    last, word = doc[head - 1].lower_, doc[head].lower_
    if word == singular_head:
        return after_determiner and singular(last) != last
    named = doc[start:head].text.lower() in muscle_names
    placed = head + 1 < len(doc) and doc[head + 1].lower_ in PLACING_WORDS
    return named and (after_determiner or placed)


def candidate_name(span: Span, compounds: frozenset[str] = frozenset()) -> str:
    """A candidate's name: its words in lower case, the head in the singular ('wall sits' -> 'wall sit'),
    words the vocabularies write as one joined ('dead lift' -> 'deadlift')."""
    words = [t.lower_ for t in span[:-1]] + [singular(span[-1].lower_)]
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] + word in compounds:
            joined[-1] += word
        else:
            joined.append(word)
    return " ".join(joined).replace(" - ", "-").replace(" / ", "/")


def singular(noun: str) -> str:
    """The singular of a head noun: squats -> squat, presses -> press, injuries -> injury."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("zes") and noun[:-1].endswith(("eze", "ize", "aze")):
        return noun[:-1]  # squeezes -> squeeze
    if noun.endswith(("sses", "shes", "ches", "xes", "zes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is", "itis")):
        return noun[:-1]
    return noun


def _modifiers_start(doc: Doc, head: int, modifiers: frozenset[str]) -> int:
    """Where the words that name the head's kind begin: "single-leg romanian deadlift"."""
    start, words = head, 0
    i = head - 1
    while i >= 0 and words < MAX_MODIFIERS:
        token = doc[i]
        if token.text in JOINERS and i > 0:
            i -= 1
            continue
        if token.lower_ not in modifiers:
            break
        start, words = i, words + 1
        i -= 1
    while start < head and doc[start].text in JOINERS:
        start += 1
    return start
