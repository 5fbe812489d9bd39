"""Component `muscle_abbreviation_definitions`: short forms that the text defines.

"TLF, which stands for tensor fascia latae"; "tensor fasciae latae (TFL)": the Schwartz-Hearst
parenthetical forms, plus fitness writers' cues kept as token patterns in
`data/abbreviation_cues.jsonl`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from pipeline.common.rules import DATA_DIR, PatternError, could_match, read_jsonl, required_words
from pipeline.extract.lexicon import ABBREVIATION_FORMAT, MUSCLE_HEADS, Lexicon
from pipeline.extract.muscles.misspellings import LEXICON
from pipeline.extract.muscles.spans import WORDS, Definition, add_validated, doc_text

# A long form is at most this many words; a short form at most this many characters.
MAX_LONG_FORM_WORDS = 6
MAX_SHORT_FORM_CHARS = 8
DEFAULT_CUES = DATA_DIR / "abbreviation_cues.jsonl"


def load_abbreviation_cues(path: Path) -> list[dict]:
    rows = read_jsonl(path, {"id": str, "label": str, "pattern": list}, {"note": str})
    for row in rows:
        if row["label"] not in ("defines", "alias"):
            raise PatternError(f"{path.name}: cue '{row['id']}' label must be 'defines' or 'alias'")
    return rows


@Language.factory("muscle_abbreviation_definitions", default_config={"lexicon": LEXICON, "cues_path": None})
def make_abbreviation_definitions(
    nlp: Language, name: str, lexicon: Lexicon, cues_path: str | None
) -> AbbreviationDefinitions:
    return AbbreviationDefinitions(nlp, lexicon, Path(cues_path) if cues_path else DEFAULT_CUES)


class AbbreviationDefinitions:
    """Finds short forms defined in the text, in the Schwartz-Hearst forms and fitness writers' cues."""

    def __init__(self, nlp: Language, lexicon: Lexicon, path: Path) -> None:
        self.lexicon = lexicon
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.strong: dict[str, bool] = {}
        # Each cue's required words, one set of alternatives per token: the cue matcher runs only
        # on blocks that contain every required word of some cue, which most blocks do not.
        self.required_words: list[list[frozenset[str]]] = []
        for row in load_abbreviation_cues(path):
            add_validated(self.matcher, row["id"], row["pattern"], path)
            self.strong[row["id"]] = row["label"] == "defines"
            self.required_words.append(required_words(row["pattern"]))

    def __call__(self, doc: Doc) -> Doc:
        found = list(self._parenthetical(doc))
        words = set(WORDS.findall(doc_text(doc).lower()))
        if could_match(self.required_words, words):
            found += list(self._cued(doc))
        doc._.abbreviation_definitions = found
        return doc

    def _parenthetical(self, doc: Doc) -> Iterator[Definition]:
        opening = (doc.char_span(m.start(), m.end()) for m in re.finditer(r"\(", doc_text(doc)))
        for open_ in (span[0] for span in opening if span is not None):
            close = next((t.i for t in doc[open_.i + 1 : open_.i + 2 + MAX_LONG_FORM_WORDS] if t.text == ")"), None)
            if close is None:
                continue
            inner = doc[open_.i + 1 : close]
            if len(inner) == 1 and is_short_form(inner.text):
                # long form (SF): the shortest preceding phrase that names an entry and spells SF
                for k in range(1, MAX_LONG_FORM_WORDS + 1):
                    if open_.i - k < 0 or doc[open_.i - k].is_punct:
                        break
                    long_form = doc[open_.i - k : open_.i].text
                    term = self.lexicon.resolve(long_form)
                    if term and spells_short_form(inner.text, long_form):
                        yield Definition(inner.text, term.muscle_id, long_form, "parenthetical", True)
                        break
            elif open_.i > 0 and is_short_form(doc[open_.i - 1].text):
                # SF (long form)
                term = self.lexicon.resolve(inner.text)
                if term and spells_short_form(doc[open_.i - 1].text, inner.text):
                    yield Definition(doc[open_.i - 1].text, term.muscle_id, inner.text, "parenthetical", True)

    def _cued(self, doc: Doc) -> Iterator[Definition]:
        for key, start, end in self.matcher(doc):
            cue = doc.vocab.strings[key]
            left = _phrase_before(doc, start)
            right = _phrase_after(doc, end)
            for short, longs in ((left, right), (right, left)):
                if len(short) != 1 or not is_short_form(short[0]):
                    continue
                for long_form in longs:
                    term = self.lexicon.resolve(long_form)
                    if term and long_form[:1].lower() == short[0][:1].lower():
                        yield Definition(short[0], term.muscle_id, long_form, cue, self.strong[cue])
                        break


def _phrase_before(doc: Doc, index: int) -> list[str]:
    """Words before a cue, without a trailing 'muscle' head: ['TLF'] for 'The TLF muscle, which'."""
    words: list[str] = []
    i = index - 1
    while i >= 0 and not doc[i].is_punct and len(words) < MAX_LONG_FORM_WORDS:
        words.insert(0, doc[i].text)
        i -= 1
    while words and words[-1].lower() in MUSCLE_HEADS:
        words.pop()
    while words and words[0].lower() in {"the", "a", "an", "your"}:
        words.pop(0)
    if len(words) > 1 and is_short_form(words[-1]):
        return [words[-1]]
    return [" ".join(words[i:]) for i in range(len(words))] if words else []


def _phrase_after(doc: Doc, index: int) -> list[str]:
    """Candidate phrases after a cue, longest first, stopping at punctuation."""
    words: list[str] = []
    i = index
    while i < len(doc) and not doc[i].is_punct and len(words) < MAX_LONG_FORM_WORDS:
        words.append(doc[i].text)
        i += 1
    while words and words[0].lower() in {"the", "a", "an", "your"}:
        words.pop(0)
    if words and is_short_form(words[0]):
        return [words[0]]
    return [" ".join(words[:k]) for k in range(len(words), 0, -1)]


def is_short_form(text: str) -> bool:
    return len(text) <= MAX_SHORT_FORM_CHARS and ABBREVIATION_FORMAT.match(text) is not None


def spells_short_form(short: str, long: str) -> bool:
    """Schwartz-Hearst check: the short form's letters appear in order in the long form, and its
    first letter starts a word of the long form."""
    short, long = short.lower(), long.lower()
    words = long.split()
    if not any(w.startswith(short[0]) for w in words):
        return False
    position = 0
    for char in short:
        position = long.find(char, position)
        if position < 0:
            return False
        position += 1
    return True
