"""Component `muscle_sense_guard`: drops candidates whose everyday sense is meant.

A guard either matches a token pattern around the word, or looks at the words of its sentence
("context": drop if any is present), or of the whole document ("require_context": drop unless
one is present; a trailing * matches any ending). "forms" narrows a guard to the ambiguous
spellings ("calf", not "triceps surae"). Guards live in `data/muscle_sense_guards.jsonl`.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline.common.rules import DATA_DIR, PatternError, could_match, read_jsonl, required_words
from pipeline.extract.lexicon import Lexicon
from pipeline.extract.muscles.misspellings import LEXICON
from pipeline.extract.muscles.spans import CANDIDATES, DOCUMENT_WORDS, add_validated, dropped_of, sentence_words

GUARD_KINDS = ("pattern", "context", "require_context")
# Guard patterns are matched in a window of this many tokens either side of a candidate.
GUARD_WINDOW = 4
DEFAULT_GUARDS = DATA_DIR / "muscle_sense_guards.jsonl"


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


@Language.factory("muscle_sense_guard", default_config={"lexicon": LEXICON, "guards_path": None})
def make_sense_guard(nlp: Language, name: str, lexicon: Lexicon, guards_path: str | None) -> SenseGuard:
    return SenseGuard(nlp, lexicon, Path(guards_path) if guards_path else DEFAULT_GUARDS)


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
                add_validated(self.matcher, row["id"], row["pattern"], path)
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
                dropped_of(doc).append((reason, span.text))
            else:
                kept.append(span)
        doc.spans[CANDIDATES] = kept
        return doc

    def _reason(self, span: Span, guarded: list[tuple[str, int, int]]) -> str | None:
        for guard_id, start, end in guarded:
            if self._applies(guard_id, span) and span.start < end and start < span.end:
                return guard_id
        for guard_id, words in self.context.get(span.id_, ()):
            if self._applies(guard_id, span) and not words.isdisjoint(sentence_words(span)):
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
