"""The rule data spaCy components name in their config: `{"@misc": "curate.lexicon.v1", "path": ...}`.

Each loader reads its file once per process (see `cached_lexicon`, `cached_vocabulary`), so every
component naming the same file shares one object.
"""

from __future__ import annotations

from pathlib import Path

import spacy

from pipeline.extract.lexicon import Lexicon, cached_lexicon
from pipeline.extract.vocabulary import cached_vocabulary

spacy.registry.misc.register("curate.lexicon.v1", func=cached_lexicon)
spacy.registry.misc.register("curate.vocabulary.v1", func=cached_vocabulary)


def lexicon_config(lexicon: Lexicon | Path | str | None) -> dict:
    """The config naming a lexicon: its files, so that a component loads the very same one."""
    if isinstance(lexicon, Lexicon):
        path, generated = lexicon.path, lexicon.generated
    else:
        path, generated = lexicon, None
    return {
        "@misc": "curate.lexicon.v1",
        "path": str(path) if path else None,
        "generated": str(generated) if generated else None,
    }


def vocabulary_config(path: object) -> dict:
    return {"@misc": "curate.vocabulary.v1", "path": str(path) if path else None}
