"""The claim-object component: finds the vocabulary objects of a block as spans (`doc.spans[OBJECTS]`).

A phrase ruler matches the vocabularies' phrases; `claim_object_patterns` adds the matches of
their token rules (lay phrasing), then elliptical coordinations ("hip flexion and abduction" is
also hip abduction; "hip and knee extension" also hip extension), then keeps the longest match
within each vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.common.rules import could_match, required_words
from pipeline.extract.candidates import CANDIDATES, HeadNouns, candidate_spans, muscle_prefixed
from pipeline.extract.lexicon import Lexicon
from pipeline.extract.registry import lexicon_config, vocabulary_config
from pipeline.extract.vocabulary import Vocabulary, phrase_forms

OBJECTS = "claim_objects"


@Language.factory(
    "claim_object_patterns",
    default_config={"vocabulary": vocabulary_config(None), "lexicon": lexicon_config(None), "heads_path": None},
)
def make_object_patterns(
    nlp: Language, name: str, vocabulary: Vocabulary, lexicon: Lexicon, heads_path: str | None
) -> ObjectPatterns:
    path = Path(heads_path) if heads_path else vocabulary.path / HEADS_FILE
    return ObjectPatterns(nlp, vocabulary, HeadNouns.load(path, lexicon.words), muscle_words(lexicon))


def muscle_words(lexicon: Lexicon) -> frozenset[str]:
    """Names of muscles and groups ("soleus", "glutes", "gluteus medius"): what can open an
    exercise's name, or be the subject of a verb that looks like a head noun ("sits")."""
    return frozenset(
        term.text.lower()
        for term in lexicon.terms
        if not term.case_sensitive and lexicon[term.muscle_id].kind != "structure"
    )


HEADS_FILE = "heads.jsonl"
# Objects a token rule found (lay phrasing, "propels you forward"), as against a phrase ("propulsion").
RULED = "claim_objects_ruled"
# A role noun followed by one of these names muscles: "hip flexor muscles".
NAME_HEADS = frozenset({"muscle", "muscles", "group", "groups"})
# Vocabularies whose objects are "<part> <what>" pairs that writers coordinate elliptically.
ELLIPTICAL_VOCABULARIES = ("action", "running_role")
# Words that join coordinated items: "flexion, abduction and external rotation".
JOINERS = frozenset({",", "and", "or", "&", "/", "as", "well", "plus"})
# A coordinated item is at most this many words: "external rotation".
MAX_ITEM_WORDS = 2


class Ellipses:
    """Objects a coordination leaves implicit: "hip flexion and abduction" also names hip abduction;
    "hip and knee extension" also names hip extension.

    Built from the vocabularies' own phrases: a phrase "hip abduction" pairs the part "hip" with
    "abduction", so only pairs some phrase names are ever added.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.pairs: dict[tuple[str, str, str], str] = {}  # (vocabulary, part, what) -> object id
        for entry in vocabulary.entries.values():
            if entry.vocabulary not in ELLIPTICAL_VOCABULARIES:
                continue
            for phrase in entry.phrases:
                part, _, what = phrase.lower().partition(" ")
                if what and " " not in part and what.count(" ") < MAX_ITEM_WORDS:
                    self.pairs.setdefault((entry.vocabulary, part, what), entry.id)
        self.parts = {(v, part) for v, part, _ in self.pairs}

    def __call__(self, doc: Doc, spans: list[Span]) -> list[Span]:
        found = []
        for span in spans:
            if span.label_ not in ELLIPTICAL_VOCABULARIES or len(span) < 2:
                continue
            part, what = span[0].lower_, span[1:].text.lower()
            if self.pairs.get((span.label_, part, what)) == span.id_:
                found += self._following(doc, span, part) + self._preceding(doc, span, what)
        return found

    def _following(self, doc: Doc, span: Span, part: str) -> list[Span]:
        """ "hip flexion, abduction and external rotation": the items after share the part."""
        found, i = [], span.end
        while True:
            j = i
            while j < len(doc) and doc[j].lower_ in JOINERS:
                j += 1
            if j == i:
                return found
            item = self._item(doc, j, span.label_, part)
            if item is None:
                return found
            found.append(item)
            i = item.end

    def _item(self, doc: Doc, start: int, vocabulary: str, part: str) -> Span | None:
        for width in range(MAX_ITEM_WORDS, 0, -1):
            what = doc[start : start + width].text.lower()
            object_id = self.pairs.get((vocabulary, part, what))
            if object_id and start + width <= len(doc):
                return Span(doc, start, start + width, label=vocabulary, span_id=object_id)
        return None

    def _preceding(self, doc: Doc, span: Span, what: str) -> list[Span]:
        """ "hip and knee extension": the parts before share what is done."""
        found, i = [], span.start
        while i >= 2 and doc[i - 1].lower_ in JOINERS:
            part = doc[i - 2].lower_
            object_id = self.pairs.get((span.label_, part, what))
            if object_id is None:
                break
            found.append(Span(doc, i - 2, i - 1, label=span.label_, span_id=object_id))
            i -= 2
        return found


class ObjectPatterns:
    """Token patterns for lay phrasing, added to the phrase ruler's spans; then longest match wins.

    Candidate terms (`candidates.py`) come last, only where no vocabulary object names the head;
    they are listed again in `doc.spans[CANDIDATES]`, so the claim rules can tell them apart.
    """

    def __init__(
        self, nlp: Language, vocabulary: Vocabulary, heads: HeadNouns, muscle_words: frozenset[str] = frozenset()
    ) -> None:
        self.ellipses = Ellipses(vocabulary)
        self.heads = heads
        self.muscle_words = muscle_words
        self.known = {key for key in vocabulary.entries}
        self.compounds = frozenset(
            p.lower() for e in vocabulary.entries.values() for p in e.phrases if " " not in p and "-" not in p
        )
        self.exclude = PhraseMatcher(nlp.vocab, attr="LOWER")
        # One Matcher per entry, run only on blocks that hold all the required words of one of
        # its patterns. A Matcher's cost grows with its patterns times the block's tokens, and
        # most blocks can match none or one entry's rules: one Matcher for all 200 rules spent
        # two thirds of claim extraction's time on the seed articles (bench/claims.py).
        # Words are compared as the string-store hashes of their lower-case forms, which
        # `Doc.to_array` gives without building a Token per word.
        self.rules: list[tuple[list[list[frozenset[int]]], Matcher]] = []
        self.by_word: dict[int, set[int]] = {}  # a word -> the rules some pattern of which requires it
        self.always: set[int] = set()
        for key, entry in vocabulary.entries.items():
            if entry.patterns:
                matcher = Matcher(nlp.vocab, validate=True)
                matcher.add(key, [list(p) for p in entry.patterns])
                required = [
                    [frozenset(nlp.vocab.strings.add(w) for w in ws) for ws in required_words(list(pattern))]
                    for pattern in entry.patterns
                ]
                self.rules.append((required, matcher))
                for pattern_words in required:  # any one required word of a pattern leads to its rules
                    if not pattern_words:
                        self.always.add(len(self.rules) - 1)  # a pattern of optional words only
                    for word in pattern_words[0] if pattern_words else ():
                        self.by_word.setdefault(word, set()).add(len(self.rules) - 1)
            if entry.exclude:
                self.exclude.add(key, list(nlp.tokenizer.pipe(entry.exclude)))

    def _rule_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        words = set(doc.to_array(LOWER).tolist())
        candidates = sorted(self.always.union(*(self.by_word[word] for word in words & self.by_word.keys())))
        found = []
        for i in candidates:
            required, matcher = self.rules[i]
            if could_match(required, words):
                found += matcher(doc)
        return sorted(found, key=lambda match: (match[1], match[2], match[0]))

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(OBJECTS, []))
        phrased = len(spans)
        for match_id, start, end in self._rule_matches(doc):
            if end < len(doc) and doc[end].lower_ in NAME_HEADS:
                continue  # "a major hip flexor muscle" names a muscle; it says nothing it does
            vocabulary, object_id = doc.vocab.strings[match_id].split(":", 1)
            spans.append(Span(doc, start, end, label=vocabulary, span_id=object_id))
        doc.spans[RULED] = spans[phrased:]
        spans += self.ellipses(doc, spans)
        excluded = [(doc.vocab.strings[key], start, end) for key, start, end in self.exclude(doc)]
        spans = [
            span
            for span in spans
            if not any(
                key == f"{span.label_}:{span.id_}" and start <= span.start and span.end <= end
                for key, start, end in excluded
            )
        ]
        kept = _longest(spans)
        prefixed = [
            span
            for span in muscle_prefixed(doc, kept, self.muscle_words, self.compounds)
            if f"{span.label_}:{span.id_}" not in self.known
        ]
        kept = [span for span in kept if not any(p.end == span.end and p.label_ == span.label_ for p in prefixed)]
        # An excluded phrase ("the calf raise test") is no candidate name either.
        taken = kept + prefixed + [Span(doc, start, end) for _, start, end in excluded]
        candidates = prefixed + [
            span
            for span in filter_spans(candidate_spans(doc, self.heads, taken, self.compounds, self.muscle_words))
            if f"{span.label_}:{span.id_}" not in self.known
        ]
        doc.spans[OBJECTS] = sorted(kept + candidates, key=lambda span: (span.start, span.label_))
        doc.spans[CANDIDATES] = candidates
        return doc


def _longest(spans: list[Span]) -> list[Span]:
    """The longest match within each vocabulary; one phrase may name objects in two ("lift your
    knees" is hip flexion and, as a running role, knee lift). But a span inside a longer object of
    another vocabulary is part of that name: "breathing" in "diaphragmatic breathing" (an
    exercise) is not a second object."""
    by_vocabulary: dict[str, list[Span]] = {}
    for span in spans:
        by_vocabulary.setdefault(span.label_, []).append(span)
    kept = [span for group in by_vocabulary.values() for span in filter_spans(group)]
    return [
        span
        for span in kept
        if not any(
            other.label_ != span.label_
            and other.start <= span.start
            and span.end <= other.end
            and len(other) > len(span)
            for other in kept
        )
    ]


# The components `add_object_pipes` adds, in order.
OBJECT_PIPES = ("claim_object_ruler", "claim_object_patterns")


class ObjectsOnly:
    """The claim-object components of a larger pipeline (the muscle pipeline, which takes them
    first), run alone: what `build_object_nlp` would give, without building a second pipeline
    (0.9 s) in every process that meets a table row."""

    def __init__(self, nlp: Language) -> None:
        if tuple(nlp.pipe_names[: len(OBJECT_PIPES)]) != OBJECT_PIPES:
            raise ValueError(f"the pipeline does not start with the claim-object components {OBJECT_PIPES}")
        self.nlp = nlp
        self.disabled = [name for name in nlp.pipe_names if name not in OBJECT_PIPES]

    def __call__(self, text: str) -> Doc:
        return self.nlp(text, disable=self.disabled)

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        return self.nlp.pipe(texts, disable=self.disabled)


def build_object_nlp(vocabulary: Vocabulary, lexicon_path: Path | None = None) -> Language:
    """spacy.blank('en') with a phrase ruler and lay-phrasing patterns for claim objects.

    The lexicon (default: the shipped one) lends its anatomical words to candidate terms.
    """
    return add_object_pipes(spacy.blank("en"), vocabulary, lexicon_path)


def add_object_pipes(nlp: Language, vocabulary: Vocabulary, lexicon_path: Path | None = None) -> Language:
    """The claim-object components, added first to `nlp`: the muscle pipeline takes them too, so that
    a block is tokenised once for its mentions and its claim objects. (First, because a SpanRuler
    runs the components before it over its phrase patterns as it adds them.)"""
    ruler = nlp.add_pipe(
        "span_ruler",
        name=OBJECT_PIPES[0],
        first=True,
        config={"spans_key": OBJECTS, "phrase_matcher_attr": "LOWER", "validate": True, "overwrite": False},
    )
    ruler.add_patterns(
        [
            {"label": entry.vocabulary, "pattern": form, "id": entry.id}
            for entry in vocabulary.entries.values()
            for form in phrase_forms(entry.phrases, vocabulary.splits)
        ]
    )
    nlp.add_pipe(
        OBJECT_PIPES[1],
        after=OBJECT_PIPES[0],
        config={"vocabulary": vocabulary_config(vocabulary.path), "lexicon": lexicon_config(lexicon_path)},
    )
    return nlp
