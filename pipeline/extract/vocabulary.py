"""Controlled vocabularies of claim objects: actions, running roles, exercises, stretches, injuries.

`data/claim_vocabulary.jsonl` holds one object per line: a stable `id` within its `vocabulary`,
the canonical `label`, the `phrases` that name it (matched case-insensitively, plurals
generated) and optional spaCy token `patterns` for lay phrasing ("straighten the leg at the
knee" is knee extension). The loader validates the file; the object ruler is built from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import spacy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.common.ids import short_hash
from pipeline.common.rules import DATA_DIR, PatternError, could_match, read_jsonl, required_words
from pipeline.extract.lexicon import plural
from pipeline.records import VOCABULARIES


class VocabularyError(PatternError):
    """A vocabulary file that does not validate."""


@dataclass(frozen=True)
class VocabularyEntry:
    id: str
    vocabulary: str
    label: str
    phrases: tuple[str, ...]
    patterns: tuple[tuple[dict, ...], ...] = ()
    exclude: tuple[str, ...] = ()  # longer phrases that contain a match but do not name the object
    note: str | None = None

    @property
    def key(self) -> str:
        return f"{self.vocabulary}:{self.id}"


@dataclass
class Vocabulary:
    entries: dict[str, VocabularyEntry]  # by key "vocabulary:id"
    path: Path
    digest: str

    def __getitem__(self, key: str) -> VocabularyEntry:
        return self.entries[key]

    def __len__(self) -> int:
        return len(self.entries)


def default_vocabulary_path() -> Path:
    return DATA_DIR / "claim_vocabulary.jsonl"


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    path = path or default_vocabulary_path()
    try:
        rows = read_jsonl(
            path,
            {"id": str, "vocabulary": str, "label": str, "phrases": list},
            {"patterns": list, "exclude": list, "note": str},
        )
    except PatternError as exc:
        raise VocabularyError(str(exc)) from exc
    entries: dict[str, VocabularyEntry] = {}
    owner: dict[tuple[str, str], str] = {}
    matcher = Matcher(spacy.blank("en").vocab, validate=True)
    for row in rows:
        where = f"{path.name}: '{row['id']}'"
        if row["vocabulary"] not in VOCABULARIES:
            raise VocabularyError(f"{where}: vocabulary must be one of {', '.join(VOCABULARIES)}")
        if not all(isinstance(p, str) and p and p == p.strip() for p in row["phrases"]):
            raise VocabularyError(f"{where}: phrases must be non-empty, trimmed strings")
        for pattern in row.get("patterns", []):
            try:
                matcher.add("check", [pattern])
            except (ValueError, KeyError, TypeError) as exc:
                raise VocabularyError(f"{where}: a token pattern does not validate: {exc}") from exc
        entry = VocabularyEntry(
            id=row["id"],
            vocabulary=row["vocabulary"],
            label=row["label"],
            phrases=tuple(row["phrases"]),
            patterns=tuple(tuple(p) for p in row.get("patterns", [])),
            exclude=tuple(row.get("exclude", [])),
            note=row.get("note"),
        )
        if entry.key in entries:
            raise VocabularyError(f"{where}: duplicate id in vocabulary '{entry.vocabulary}'")
        for phrase in _forms(entry.phrases):
            previous = owner.setdefault((entry.vocabulary, phrase), entry.id)
            if previous != entry.id:
                raise VocabularyError(f"{where}: phrase '{phrase}' also names '{previous}'")
        entries[entry.key] = entry
    return Vocabulary(entries=entries, path=path, digest=short_hash(path.read_bytes()))


def _forms(phrases: tuple[str, ...]) -> list[str]:
    forms = []
    for phrase in phrases:
        for form in (phrase.lower(), plural(phrase.lower())):
            if form not in forms:
                forms.append(form)
    return forms


def cached_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The vocabularies at `path` (default: the shipped file), loaded once per process and file.

    Registered with spaCy as "curate.vocabulary.v1", so the object component names its data in its config.
    """
    return _cached_vocabulary(Path(path) if path else default_vocabulary_path())


@cache
def _cached_vocabulary(path: Path) -> Vocabulary:
    return load_vocabulary(path)


spacy.registry.misc.register("curate.vocabulary.v1", func=cached_vocabulary)
OBJECTS = "claim_objects"


@Language.factory(
    "claim_object_patterns", default_config={"vocabulary": {"@misc": "curate.vocabulary.v1", "path": None}}
)
def make_object_patterns(nlp: Language, name: str, vocabulary: Vocabulary) -> ObjectPatterns:
    return ObjectPatterns(nlp, vocabulary)


class ObjectPatterns:
    """Token patterns for lay phrasing, added to the phrase ruler's spans; then longest match wins."""

    def __init__(self, nlp: Language, vocabulary: Vocabulary) -> None:
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.exclude = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Each pattern's required words: the Matcher runs only on blocks holding all of some
        # pattern's, which most blocks do not (it was a third of claim extraction's time).
        # Words are compared as the string-store hashes of their lower-case forms, which
        # `Doc.to_array` gives without building a Token per word.
        self.required: list[list[frozenset[int]]] = []
        for key, entry in vocabulary.entries.items():
            if entry.patterns:
                self.matcher.add(key, [list(p) for p in entry.patterns])
                for pattern in entry.patterns:
                    words = required_words(list(pattern))
                    self.required.append([frozenset(nlp.vocab.strings.add(w) for w in ws) for ws in words])
            if entry.exclude:
                self.exclude.add(key, list(nlp.tokenizer.pipe(entry.exclude)))

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(OBJECTS, []))
        words = set(doc.to_array(LOWER).tolist())
        for match_id, start, end in self.matcher(doc) if could_match(self.required, words) else []:
            vocabulary, object_id = doc.vocab.strings[match_id].split(":", 1)
            spans.append(Span(doc, start, end, label=vocabulary, span_id=object_id))
        excluded = [(doc.vocab.strings[key], start, end) for key, start, end in self.exclude(doc)]
        spans = [
            span
            for span in spans
            if not any(
                key == f"{span.label_}:{span.id_}" and start <= span.start and span.end <= end
                for key, start, end in excluded
            )
        ]
        # Longest match within each vocabulary; one phrase may name objects in two ("lift your
        # knees" is hip flexion and, as a running role, knee lift).
        by_vocabulary: dict[str, list[Span]] = {}
        for span in spans:
            by_vocabulary.setdefault(span.label_, []).append(span)
        kept = [span for group in by_vocabulary.values() for span in filter_spans(group)]
        # ...but a span inside a longer object of another vocabulary is part of that name:
        # "breathing" in "diaphragmatic breathing" (an exercise) is not a second object.
        kept = [
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
        doc.spans[OBJECTS] = sorted(kept, key=lambda span: (span.start, span.label_))
        return doc


def build_object_nlp(vocabulary: Vocabulary) -> Language:
    """spacy.blank('en') with a phrase ruler and lay-phrasing patterns for claim objects."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="claim_object_ruler",
        config={"spans_key": OBJECTS, "phrase_matcher_attr": "LOWER", "validate": True, "overwrite": False},
    )
    ruler.add_patterns(
        [
            {"label": entry.vocabulary, "pattern": form, "id": entry.id}
            for entry in vocabulary.entries.values()
            for form in _forms(entry.phrases)
        ]
    )
    nlp.add_pipe(
        "claim_object_patterns", config={"vocabulary": {"@misc": "curate.vocabulary.v1", "path": str(vocabulary.path)}}
    )
    return nlp
