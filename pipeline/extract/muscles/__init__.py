"""Stage 3a: find every muscle mention in the kept blocks and name it canonically.

The spaCy pipeline is `spacy.blank("en")` plus registered components, in this order:

1. `muscle_ruler` and `muscle_abbreviation_ruler` - SpanRulers built from the lexicon: names
   match case-insensitively, abbreviations case-sensitively. They keep every candidate, overlaps
   included.
2. `muscle_misspellings` (`misspellings.py`) - candidates for names with one misspelt word (see
   `spelling`).
3. `muscle_sense_guard` (`guards.py`) - drops candidates where a word's everyday sense is meant;
   each drop keeps its guard id as reason.
4. `muscle_abbreviation_definitions` (`abbreviations.py`) - short forms that the text defines.
5. `muscle_resolver` (`resolver.py`) - longest match wins; heads, ellipses, coordinations;
   list items ("the glutes, back and hamstrings", `lists.py`); structures called muscles.

Each component gets its lexicon through its config (`{"@misc": "curate.lexicon.v1", "path": ...}`).
`document.py` builds the pipeline and runs it over one document's blocks.
"""

from pipeline.extract.muscles import abbreviations, guards, misspellings, resolver  # noqa: F401  (register factories)
from pipeline.extract.muscles.document import (
    apply_definitions,
    build_muscle_nlp,
    recognise_document,
    recognise_muscles,
    resolve_definitions,
    ruler_patterns,
)
from pipeline.extract.muscles.spans import Definition, MentionMatch
from pipeline.extract.stats import RecognitionStats

__all__ = [
    "Definition",
    "MentionMatch",
    "RecognitionStats",
    "apply_definitions",
    "build_muscle_nlp",
    "recognise_document",
    "recognise_muscles",
    "resolve_definitions",
    "ruler_patterns",
]
