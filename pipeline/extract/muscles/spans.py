"""What the muscle components share: span keys, the records they pass on, and Doc helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline.common.rules import PatternError
from pipeline.common.sentences import sentence_span, sentence_starts

# doc.spans keys: every candidate (overlaps included), then the resolved mentions.
CANDIDATES = "muscle_candidates"
MENTIONS = "muscles"
WORDS = re.compile(r"[\w'’-]+")
# Doc.user_data key: the lower-cased words of the whole document a block belongs to.
DOCUMENT_WORDS = "document_words"

for _name in ("muscle_mentions", "muscle_dropped", "abbreviation_definitions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass
class MentionMatch:
    """A resolved mention inside one spaCy Doc (one block)."""

    start: int
    end: int
    muscle_id: str
    match_type: str
    note: str | None = None
    category_note: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A short form the text defines, and the entry its long form names."""

    short_form: str
    muscle_id: str
    long_form: str
    cue: str
    strong: bool  # parenthetical or "stands for": may override the lexicon's reading


def add_validated(matcher: Matcher, key: str, pattern: list, path: Path) -> None:
    try:
        matcher.add(key, [pattern])
    except (ValueError, KeyError) as exc:
        raise PatternError(f"{path.name}: pattern '{key}' does not validate: {exc}") from exc


def sentence_words(span: Span) -> set[str]:
    """Lower-cased words of the sentence around a span."""
    text = doc_text(span.doc)
    starts = span.doc.user_data.get("sentence_starts")
    if starts is None:
        starts = span.doc.user_data["sentence_starts"] = sentence_starts(text)
    start, end = sentence_span(starts, text, span.start_char)
    return set(WORDS.findall(text[start:end].lower()))


def doc_text(doc: Doc) -> str:
    """The doc's text, built once: Doc.text joins every token on each access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def notes_of(doc: Doc) -> dict[tuple[int, int], str]:
    return doc.user_data.setdefault("muscle_notes", {})


def dropped_of(doc: Doc) -> list[tuple[str, str]]:
    if doc._.muscle_dropped is None:
        doc._.muscle_dropped = []
    return doc._.muscle_dropped
