"""Stage 3a: find every muscle mention in the kept blocks and name it canonically.

The spaCy pipeline is `spacy.blank("en")` plus registered components, in this order:

1. `muscle_ruler` and `muscle_abbreviation_ruler` - SpanRulers built from the lexicon: names
   match case-insensitively, abbreviations case-sensitively. They keep every candidate, overlaps
   included.
2. `muscle_misspellings` - candidates for names with one misspelt word (see `spelling`).
3. `muscle_sense_guard` - drops candidates where a word's everyday sense is meant, using the
   guard patterns in `data/muscle_sense_guards.jsonl`; each drop keeps its guard id as reason.
4. `muscle_abbreviation_definitions` - short forms that the text defines ("TLF, which stands
   for tensor fascia latae"; "tensor fasciae latae (TFL)").
5. `muscle_resolver` - longest match wins; "X muscle" heads, "gluteus medius and minimus"
   ellipses and "muscles of the chest and back" coordinations; structures called muscles.

A short form defined anywhere in a document resolves in every block of that document, so that
step runs over the whole document after the pipeline (`recognise_document`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.common.rules import DATA_DIR, PatternError, could_match, read_jsonl, required_words
from pipeline.common.sentences import sentence_of, sentence_span, sentence_starts
from pipeline.extract.lexicon import ABBREVIATION_FORMAT, MUSCLE_HEADS, Lexicon, load_lexicon, plural
from pipeline.extract.muscle_lists import list_items
from pipeline.extract.spelling import SpellingIndex, is_rare_word
from pipeline.records import (
    FLAG_CATEGORY_ERROR,
    FLAG_FUZZY,
    FLAG_NONSTANDARD_ABBREVIATION,
    MATCH_CATEGORY_ERROR,
    MATCH_COORDINATED,
    MATCH_DEFINED,
    MATCH_ELLIPTICAL,
    MATCH_MISSPELLING,
    Block,
    Mention,
)

CANDIDATES = "muscle_candidates"
MUSCLES_WORD = re.compile(r"(?i)\bmuscles\b")
COORDINATION_AFTER = re.compile(r"\s+(?:of|in|around)\s", re.I)
COORDINATION_BEFORE = re.compile(r"(?:,|\band\b|\bor\b|&)", re.I)
WORDS = re.compile(r"[\w'’-]+")
LONG_WORD = re.compile(r"\b[^\W\d_]{6,}\b")
# Doc.user_data key: the lower-cased words of the whole document a block belongs to.
DOCUMENT_WORDS = "document_words"
MENTIONS = "muscles"


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
# A guard either matches a token pattern around the word, or looks at the words of its
# sentence ("context": drop if any is present), or of the whole document ("require_context":
# drop unless one is present; a trailing * matches any ending). "forms" narrows a guard to
# the ambiguous spellings ("calf", not "triceps surae").
GUARD_KINDS = ("pattern", "context", "require_context")
# Guard patterns are matched in a window of this many tokens either side of a candidate.
GUARD_WINDOW = 4
# A long form is at most this many words; a short form at most this many characters.
MAX_LONG_FORM_WORDS = 6
MAX_SHORT_FORM_CHARS = 8

for _name, _default in (("muscle_mentions", None), ("muscle_dropped", None), ("abbreviation_definitions", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


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


@dataclass
class RecognitionStats:
    by_match_type: Counter[str] = field(default_factory=Counter)
    dropped_by_guard: Counter[str] = field(default_factory=Counter)
    definitions: int = 0


# --------------------------------------------------------------------------- data files


@lru_cache(maxsize=8)
def cached_lexicon(path: str = "") -> Lexicon:
    return load_lexicon(Path(path) if path else None)


def _guard_path(path: str) -> Path:
    return Path(path) if path else DATA_DIR / "muscle_sense_guards.jsonl"


def _cue_path(path: str) -> Path:
    return Path(path) if path else DATA_DIR / "abbreviation_cues.jsonl"


def load_sense_guards(path: Path, lexicon: Lexicon) -> list[dict]:
    rows = read_jsonl(
        path,
        {"id": str, "label": str},
        {"pattern": list, "context": list, "require_context": list, "forms": list, "note": str},
    )
    for row in rows:
        where = f"{path.name}: guard '{row['id']}'"
        if row["label"] not in lexicon.entries:
            raise PatternError(f"{where}: label '{row['label']}' is not a lexicon id")
        kinds = [key for key in GUARD_KINDS if key in row]
        if len(kinds) != 1:
            raise PatternError(f"{where}: give exactly one of {', '.join(GUARD_KINDS)}")
        for key in (kinds[0], "forms"):
            words = row.get(key, []) if key != "pattern" else []
            if not all(isinstance(w, str) and w == w.lower() and w for w in words):
                raise PatternError(f"{where}: '{key}' must be a list of lower-case words")
    return rows


def load_abbreviation_cues(path: Path) -> list[dict]:
    rows = read_jsonl(path, {"id": str, "label": str, "pattern": list}, {"note": str})
    for row in rows:
        if row["label"] not in ("defines", "alias"):
            raise PatternError(f"{path.name}: cue '{row['id']}' label must be 'defines' or 'alias'")
    return rows


def _add_validated(matcher: Matcher, key: str, pattern: list, path: Path) -> None:
    try:
        matcher.add(key, [pattern])
    except (ValueError, KeyError) as exc:
        raise PatternError(f"{path.name}: pattern '{key}' does not validate: {exc}") from exc


def ruler_patterns(lexicon: Lexicon, case_sensitive: bool) -> list[dict]:
    """SpanRuler phrase patterns, spaCy-projects style: label = match type, id = muscle id.

    Case-sensitive terms ("TFL", "IT band") go to a ruler matching ORTH, with the non-abbreviation
    words in their usual capitalisations; phrase matching is far faster than token patterns.
    """
    patterns = []
    for term in lexicon.terms:
        if term.case_sensitive != case_sensitive:
            continue
        texts = _capitalisations(term.text) if case_sensitive else [term.text]
        patterns += [{"label": term.match_type, "pattern": text, "id": term.muscle_id} for text in texts]
    return patterns


def _capitalisations(text: str) -> list[str]:
    """'IT band' -> 'IT band', 'IT Band', 'IT BAND': abbreviations keep their case, words vary."""
    words = text.split(" ")
    variants = []
    for style in (str.lower, str.capitalize, str.upper):
        variants.append(" ".join(w if ABBREVIATION_FORMAT.match(w) else style(w) for w in words))
    return sorted(set(variants), key=variants.index)


# --------------------------------------------------------------------------- components


@Language.factory("muscle_misspellings", default_config={"lexicon_path": ""})
def make_misspellings(nlp: Language, name: str, lexicon_path: str) -> MisspellingRecovery:
    return MisspellingRecovery(nlp, cached_lexicon(lexicon_path))


class MisspellingRecovery:
    """Adds candidates for lexicon names in which one word is misspelt by one edit."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.spelling = SpellingIndex(lexicon.words)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_muscle: dict[str, list[str]] = {}
        for term in lexicon.terms:
            if not term.case_sensitive:
                by_muscle.setdefault(term.muscle_id, []).append(term.text)
        for muscle_id, texts in by_muscle.items():
            self.matcher.add(muscle_id, list(nlp.tokenizer.pipe(texts)))

    def __call__(self, doc: Doc) -> Doc:
        corrections = {}
        # Scanning the text with a regex, not the tokens one by one, keeps this step cheap.
        for match in LONG_WORD.finditer(_text(doc)):
            word = match.group()
            if word.isupper():
                continue  # abbreviations are never corrected
            fixed = self.spelling.correct(word.lower())
            token = doc.char_span(match.start(), match.end()) if fixed else None
            if token is not None and len(token) == 1:
                corrections[token.start] = fixed
        if not corrections:
            return doc
        words = [corrections.get(t.i, t.lower_) for t in doc]
        shadow = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
        spans = list(doc.spans.get(CANDIDATES, []))
        for match_id, start, end in self.matcher(shadow):
            fixed = [i for i in range(start, end) if i in corrections]
            if not fixed or (end - start == 1 and not is_rare_word(doc[start].lower_)):
                continue
            span = Span(doc, start, end, label=MATCH_MISSPELLING, span_id=doc.vocab.strings[match_id])
            spans.append(span)
            notes = ", ".join(f"{doc[i].text} -> {corrections[i]} ({self.spelling.how(doc[i].lower_)})" for i in fixed)
            _notes(doc)[(start, end)] = f"misspelling corrected: {notes}"
        doc.spans[CANDIDATES] = spans
        return doc


@Language.factory("muscle_sense_guard", default_config={"lexicon_path": "", "guards_path": ""})
def make_sense_guard(nlp: Language, name: str, lexicon_path: str, guards_path: str) -> SenseGuard:
    return SenseGuard(nlp, cached_lexicon(lexicon_path), _guard_path(guards_path))


class SenseGuard:
    """Drops candidates whose everyday sense is meant ("the core of the problem", "calf's liver")."""

    def __init__(self, nlp: Language, lexicon: Lexicon, path: Path) -> None:
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.labels: dict[str, str] = {}
        self.forms: dict[str, frozenset[str]] = {}
        self.pattern_labels: set[str] = set()
        # per label, each pattern's required words (one set of alternatives per token)
        self.pattern_words: dict[str, list[list[frozenset[str]]]] = {}
        self.context: dict[str, list[tuple[str, frozenset[str]]]] = {}
        self.required: dict[str, list[tuple[str, ContextWords]]] = {}
        for row in load_sense_guards(path, lexicon):
            self.labels[row["id"]] = row["label"]
            if "forms" in row:
                self.forms[row["id"]] = frozenset(row["forms"])
            if "pattern" in row:
                _add_validated(self.matcher, row["id"], row["pattern"], path)
                self.pattern_labels.add(row["label"])
                self.pattern_words.setdefault(row["label"], []).append(required_words(row["pattern"]))
                if len(row["pattern"]) > GUARD_WINDOW:
                    raise PatternError(f"{path.name}: guard '{row['id']}' is longer than {GUARD_WINDOW} tokens")
            elif "context" in row:
                self.context.setdefault(row["label"], []).append((row["id"], frozenset(row["context"])))
            else:
                self.required.setdefault(row["label"], []).append((row["id"], ContextWords(row["require_context"])))

    def __call__(self, doc: Doc) -> Doc:
        candidates = list(doc.spans.get(CANDIDATES, []))
        if not candidates:
            return doc
        guarded = []
        for span in candidates:
            if span.id_ not in self.pattern_labels:
                continue
            window_words = {t.lower_ for t in doc[max(0, span.start - GUARD_WINDOW) : span.end + GUARD_WINDOW]}
            if not could_match(self.pattern_words[span.id_], window_words):
                continue  # no guard pattern of this label can match here
            # Match only a window around the candidate: guard patterns are a few tokens long,
            # and matching whole blocks would cost more than the rest of the pipeline.
            offset = max(0, span.start - GUARD_WINDOW)
            window = doc[offset : span.end + GUARD_WINDOW]
            guarded += [
                (doc.vocab.strings[key], offset + start, offset + end) for key, start, end in self.matcher(window)
            ]
        kept = []
        for span in candidates:
            reason = self._reason(span, guarded)
            if reason:
                _dropped(doc).append((reason, span.text))
            else:
                kept.append(span)
        doc.spans[CANDIDATES] = kept
        return doc

    def _reason(self, span: Span, guarded: list[tuple[str, int, int]]) -> str | None:
        for guard_id, start, end in guarded:
            if self._applies(guard_id, span) and span.start < end and start < span.end:
                return guard_id
        for guard_id, words in self.context.get(span.id_, ()):
            if self._applies(guard_id, span) and not words.isdisjoint(_sentence_words(span)):
                return guard_id
        document_words = span.doc.user_data.get(DOCUMENT_WORDS) or {t.lower_ for t in span.doc}
        for guard_id, required in self.required.get(span.id_, ()):
            if self._applies(guard_id, span) and not required.any_in(document_words):
                return guard_id
        return None

    def _applies(self, guard_id: str, span: Span) -> bool:
        """A guard covers its label's candidates, or only those written in one of its `forms`."""
        forms = self.forms.get(guard_id)
        return self.labels[guard_id] == span.id_ and (forms is None or span.text.lower() in forms)


class ContextWords:
    """Words and word*-prefixes, tested against a set of lower-cased words."""

    def __init__(self, words: list[str]) -> None:
        self.exact = frozenset(w for w in words if not w.endswith("*"))
        self.prefixes = tuple(w[:-1] for w in words if w.endswith("*"))

    def any_in(self, words: set[str] | frozenset[str]) -> bool:
        return not self.exact.isdisjoint(words) or any(w.startswith(self.prefixes) for w in words)


@Language.factory("muscle_abbreviation_definitions", default_config={"lexicon_path": "", "cues_path": ""})
def make_abbreviation_definitions(
    nlp: Language, name: str, lexicon_path: str, cues_path: str
) -> AbbreviationDefinitions:
    return AbbreviationDefinitions(nlp, cached_lexicon(lexicon_path), _cue_path(cues_path))


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
            _add_validated(self.matcher, row["id"], row["pattern"], path)
            self.strong[row["id"]] = row["label"] == "defines"
            self.required_words.append(required_words(row["pattern"]))

    def __call__(self, doc: Doc) -> Doc:
        found = list(self._parenthetical(doc))
        words = set(WORDS.findall(_text(doc).lower()))
        if could_match(self.required_words, words):
            found += list(self._cued(doc))
        doc._.abbreviation_definitions = found
        return doc

    def _parenthetical(self, doc: Doc) -> Iterator[Definition]:
        opening = (doc.char_span(m.start(), m.end()) for m in re.finditer(r"\(", _text(doc)))
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


@Language.factory("muscle_resolver", default_config={"lexicon_path": ""})
def make_resolver(nlp: Language, name: str, lexicon_path: str) -> MuscleResolver:
    return MuscleResolver(cached_lexicon(lexicon_path))


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
        notes = _notes(doc)
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
        text = _text(doc)
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


def _sentence_words(span: Span) -> set[str]:
    """Lower-cased words of the sentence around a span."""
    text = _text(span.doc)
    starts = span.doc.user_data.get("sentence_starts")
    if starts is None:
        starts = span.doc.user_data["sentence_starts"] = sentence_starts(text)
    start, end = sentence_span(starts, text, span.start_char)
    return set(WORDS.findall(text[start:end].lower()))


def _text(doc: Doc) -> str:
    """The doc's text, built once: Doc.text joins every token on each access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def _notes(doc: Doc) -> dict[tuple[int, int], str]:
    return doc.user_data.setdefault("muscle_notes", {})


def _dropped(doc: Doc) -> list[tuple[str, str]]:
    if doc._.muscle_dropped is None:
        doc._.muscle_dropped = []
    return doc._.muscle_dropped


# --------------------------------------------------------------------------- pipeline


def build_muscle_nlp(lexicon_path: Path | None = None, guards_path: Path | None = None) -> Language:
    """spacy.blank('en') with the muscle components; no model download is involved."""
    lexicon_arg = str(lexicon_path or "")
    lexicon = cached_lexicon(lexicon_arg)
    nlp = spacy.blank("en")
    for name, attr, case_sensitive in (("muscle_ruler", "LOWER", False), ("muscle_abbreviation_ruler", "ORTH", True)):
        ruler = nlp.add_pipe(
            "span_ruler",
            name=name,
            config={"spans_key": CANDIDATES, "phrase_matcher_attr": attr, "validate": True, "overwrite": False},
        )
        ruler.add_patterns(ruler_patterns(lexicon, case_sensitive))
    nlp.add_pipe("muscle_misspellings", config={"lexicon_path": lexicon_arg})
    nlp.add_pipe("muscle_sense_guard", config={"lexicon_path": lexicon_arg, "guards_path": str(guards_path or "")})
    nlp.add_pipe("muscle_abbreviation_definitions", config={"lexicon_path": lexicon_arg})
    nlp.add_pipe("muscle_resolver", config={"lexicon_path": lexicon_arg})
    return nlp


def resolve_definitions(docs: list[Doc], lexicon: Lexicon) -> dict[str, Definition]:
    """Short forms defined anywhere in one document, checked against the lexicon's reading."""
    definitions: dict[str, Definition] = {}
    for doc in docs:
        for definition in doc._.abbreviation_definitions or []:
            lexicon_term = lexicon.phrase_index.get(definition.short_form.lower())
            standard = next(
                (t for t in lexicon.terms if t.case_sensitive and t.text == definition.short_form),
                lexicon_term,
            )
            if standard and standard.muscle_id != definition.muscle_id and not definition.strong:
                continue  # "X, also known as SF" may not overrule what SF means everywhere else
            definitions.setdefault(definition.short_form, definition)
    return definitions


def apply_definitions(doc: Doc, definitions: dict[str, Definition], lexicon: Lexicon) -> None:
    """Resolve defined short forms in a block; they replace any other reading of the same tokens."""
    if not definitions:
        return
    mentions = list(doc._.muscle_mentions or [])
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(definitions))) + r")s?\b")
    for match in pattern.finditer(_text(doc)):
        token_span = doc.char_span(match.start(), match.end())
        if token_span is None or len(token_span) != 1:
            continue
        token, short = token_span[0], match.group(1)
        definition = definitions[short]
        entry = lexicon[definition.muscle_id]
        existing = [m for m in mentions if m.start <= token.i < m.end]
        if any(m.muscle_id == entry.id for m in existing):
            continue  # already read as this entry (a standard abbreviation, "iliotibial (ITB)")
        mentions = [m for m in mentions if m not in existing]
        note = f"'{short}' is defined in this document as '{definition.long_form}'"
        flags: tuple[str, ...] = ()
        if short not in entry.standard_abbreviations and entry.standard_abbreviations:
            standard = entry.standard_abbreviations[0]
            transposed = sorted(short.upper()) == sorted(standard.upper())
            how = "a transposition of" if transposed else "not"
            note += f"; it is {how} the standard abbreviation {standard} for {entry.name}"
            flags = (FLAG_NONSTANDARD_ABBREVIATION,)
        mention = MentionMatch(token.i, token.i + 1, entry.id, MATCH_DEFINED, note, flags=flags)
        mentions.append(finalise(doc, mention, lexicon))
    doc._.muscle_mentions = sorted(mentions, key=lambda m: m.start)


def recognise_document(nlp: Language, lexicon: Lexicon, blocks: list[Block], stats: RecognitionStats) -> list[Mention]:
    """All mentions in one document's kept blocks, in block order."""
    kept = [b for b in blocks if b.kept]
    docs = [nlp.make_doc(b.text) for b in kept]
    document_words = frozenset(w for b in kept for w in WORDS.findall(b.text.lower()))
    for block, doc in zip(kept, docs, strict=True):
        doc.user_data[DOCUMENT_WORDS] = document_words
        doc.user_data["text"] = block.text
    docs = list(nlp.pipe(docs))
    definitions = resolve_definitions(docs, lexicon)
    stats.definitions += len(definitions)
    mentions: list[Mention] = []
    for block, doc in zip(kept, docs, strict=True):
        apply_definitions(doc, definitions, lexicon)
        for reason, _surface in doc._.muscle_dropped or []:
            stats.dropped_by_guard[reason] += 1
        starts = sentence_starts(block.text)
        for match in doc._.muscle_mentions or []:
            span = doc[match.start : match.end]
            stats.by_match_type[match.match_type] += 1
            mentions.append(
                Mention(
                    doc_id=block.doc_id,
                    block_idx=block.block_idx,
                    sentence_idx=sentence_of(starts, span.start_char),
                    char_start=span.start_char,
                    char_end=span.end_char,
                    line_start=block.line_start,
                    line_end=block.line_end,
                    surface=span.text,
                    muscle_id=match.muscle_id,
                    match_type=match.match_type,
                    note=match.note,
                    category_note=match.category_note,
                    flags=match.flags,
                )
            )
    return mentions


def recognise_muscles(
    blocks: Iterable[Block],
    nlp: Language | None = None,
    lexicon: Lexicon | None = None,
    progress: Callable[[Collection[list[Block]]], Iterable[list[Block]]] = lambda docs: docs,
) -> tuple[list[Mention], RecognitionStats]:
    """Stage 3a over many documents: blocks in, mentions out (kept blocks only)."""
    lexicon = lexicon or cached_lexicon("")
    nlp = nlp or build_muscle_nlp()
    stats = RecognitionStats()
    by_doc: dict[str, list[Block]] = {}
    for block in blocks:
        by_doc.setdefault(block.doc_id, []).append(block)
    mentions: list[Mention] = []
    for doc_blocks in progress(list(by_doc.values())):
        mentions.extend(recognise_document(nlp, lexicon, doc_blocks, stats))
    return mentions, stats
