"""The per-document stages (strip, muscles, claims) for one document, each served from the cache
when it can be.

`DocumentProcessor(doc)` runs the per-document stages of the registry (`stages.py`) in order,
up to the stage a build stops after. Each step reads what the steps before it left in the
`DocumentOutput`, stores its own result in the cache, and reports its stats; stats are merged
by the build with `+`. Both engines (`engines.py`) map this one function over the documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.common.ids import short_id
from pipeline.common.stats import Stats
from pipeline.extract.claims import ClaimExtractor, ClaimStats, objects_of
from pipeline.extract.claims.context import Found
from pipeline.extract.lexicon import Lexicon, cached_lexicon
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, recognise_document
from pipeline.extract.objects import add_object_pipes
from pipeline.extract.vocabulary import cached_vocabulary
from pipeline.reconcile.dedupe import text_signature
from pipeline.records import Block, Claim, Document, Mention
from pipeline.run.cache import StageCache, stage_keys
from pipeline.run.stages import PER_DOCUMENT, per_document_through
from pipeline.strip.html import strip_boilerplate
from pipeline.strip.stats import StripStats

# Document fields the strip stage sets; cached with its blocks.
STRIP_FIELDS = ("status", "error", "title", "author", "published", "language", "sitename", "url")


@dataclass
class DocumentOutput:
    document: Document  # with the metadata strip recovered; its text is dropped
    blocks: list[Block] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    signature: np.ndarray | None = None  # MinHash of the kept text, for near-duplicate grouping
    objects: dict[int, list[Found]] | None = None  # claim objects per kept block, when the muscles step found them
    stats: dict[str, Stats] = field(default_factory=dict)  # stage name -> that stage's stats
    stages_cached: int = 0  # how many of the stages run came from the cache
    stages_run: int = 0

    @property
    def from_cache(self) -> bool:
        return self.stages_run > 0 and self.stages_cached == self.stages_run


class DocumentProcessor:
    """The per-document stages through `through`, with their spaCy pipelines built on first use."""

    def __init__(self, cache: StageCache | None = None, through: str = "claims", lexicon: Lexicon | None = None):
        self.cache = cache or StageCache(enabled=False)
        self.through = through
        self.stages = per_document_through(through)
        self.lexicon = lexicon or cached_lexicon()
        self.steps: dict[str, Callable[[DocumentOutput], tuple[Any, Stats]]] = {
            "strip": self._strip,
            "muscles": self._muscles,
            "claims": self._claims,
        }
        assert set(self.steps) == set(PER_DOCUMENT), "a per-document stage of the registry has no step"

    @cached_property
    def muscle_nlp(self) -> Language:
        """Built on first use: a document served from the cache never needs it. When claims follow,
        it finds their objects too, so each block is tokenised once."""
        nlp = build_muscle_nlp(self.lexicon)
        if "claims" in self.stages:
            add_object_pipes(nlp, cached_vocabulary())
        return nlp

    @cached_property
    def extractor(self) -> ClaimExtractor:
        return ClaimExtractor(self.lexicon, cached_vocabulary())

    def serves(self, doc: Document) -> bool:
        """Whether the cache holds every stage this document needs (nothing is read)."""
        if not self.cache.enabled:
            return False
        keys = stage_keys(_content_key(doc))
        return all(self.cache.has(stage, keys[stage]) for stage in self.stages)

    def cached(self, doc: Document) -> DocumentOutput | None:
        """The document's output if every stage it needs is in the cache, else None (no work done)."""
        return self(doc) if self.serves(doc) else None

    def __call__(self, doc: Document) -> DocumentOutput:
        keys = stage_keys(_content_key(doc))
        out = DocumentOutput(document=doc)
        for stage in self.stages:
            value = self.cache.get(stage, keys[stage])
            if value is None:
                value = self.steps[stage](out)
                self.cache.put(stage, keys[stage], value)
            else:
                out.stages_cached += 1
            out.stages_run += 1
            self._restore(stage, out, value)
        return out

    @staticmethod
    def _restore(stage: str, out: DocumentOutput, value: tuple[Any, Stats]) -> None:
        result, out.stats[stage] = value
        if stage == "strip":
            fields, out.blocks, out.signature = result
            for name, field_value in fields.items():
                setattr(out.document, name, field_value)
            out.document.text = ""  # the decoded input is not needed downstream; do not carry it around
        elif stage == "muscles":
            out.mentions = result
        else:
            out.claims = result

    def _strip(self, out: DocumentOutput) -> tuple[Any, Stats]:
        doc, blocks = strip_boilerplate(out.document)
        signature = text_signature("\n".join(b.text for b in blocks if b.kept))
        fields = {name: getattr(doc, name) for name in STRIP_FIELDS}
        return (fields, blocks, signature), StripStats.of(blocks)

    def _muscles(self, out: DocumentOutput) -> tuple[Any, Stats]:
        stats = RecognitionStats()
        objects: dict[int, list[Found]] = {}

        def keep_objects(block: Block, doc: Doc) -> None:
            objects[block.block_idx] = objects_of(doc)

        sharing = "claims" in self.stages
        mentions = recognise_document(
            self.muscle_nlp, self.lexicon, out.blocks, stats, keep_objects if sharing else None
        )
        out.objects = objects if sharing else None
        return mentions, stats

    def _claims(self, out: DocumentOutput) -> tuple[Any, Stats]:
        if not out.blocks:
            return [], ClaimStats()
        return self.extractor.document(out.blocks, out.mentions, out.objects)


def _content_key(doc: Document) -> str:
    return short_id(doc.doc_id, doc.source_path, doc.format, doc.status)
