"""Component `muscle_misspellings`: candidates for lexicon names with one misspelt word."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.extract.lexicon import Lexicon
from pipeline.extract.muscles.spans import CANDIDATES, doc_text, notes_of
from pipeline.extract.spelling import SpellingIndex, is_rare_word
from pipeline.records import MATCH_MISSPELLING

LONG_WORD = re.compile(r"\b[^\W\d_]{6,}\b")
LEXICON = {"@misc": "curate.lexicon.v1", "path": None}


@Language.factory("muscle_misspellings", default_config={"lexicon": LEXICON})
def make_misspellings(nlp: Language, name: str, lexicon: Lexicon) -> MisspellingRecovery:
    return MisspellingRecovery(nlp, lexicon)


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
        for match in LONG_WORD.finditer(doc_text(doc)):
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
            notes_of(doc)[(start, end)] = f"misspelling corrected: {notes}"
        doc.spans[CANDIDATES] = spans
        return doc
