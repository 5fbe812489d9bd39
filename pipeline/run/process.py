"""The per-document stages (strip, muscles, claims) for one document, each served from the cache
when it can be.

`DocumentProcessor(doc)` runs the per-document stages of the registry (`stages.py`) in order,
up to the stage a build stops after. Each step reads what the steps before it left in the
`DocumentOutput`, stores its own result in the cache, and reports its stats; stats are merged
by the build with `+=`. Both engines (`engines.py`) map this one function over the documents.

This module imports nothing heavy: the steps themselves (`steps.py`, with spaCy and
trafilatura) load only when a document needs one run, so a build's driver that serves every
document from the cache starts in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pipeline.common.ids import short_id
from pipeline.common.stats import Stats
from pipeline.records import Block, Claim, Document, Mention
from pipeline.run.cache import StageCache, stage_keys
from pipeline.run.stages import PER_DOCUMENT, per_document_through

if TYPE_CHECKING:
    import numpy as np

    from pipeline.extract.claims.context import Found
    from pipeline.extract.lexicon import Lexicon
    from pipeline.run.steps import DocumentSteps
    from pipeline.write.blocktable import StrippedBlocks


@dataclass
class DocumentOutput:
    document: Document  # with the metadata strip recovered; its text is dropped
    stripped: StrippedBlocks | None = None  # every block's row; the kept blocks as objects on demand
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    signature: np.ndarray | None = None  # MinHash of the kept text, for near-duplicate grouping
    objects: dict[int, list[Found]] | None = None  # claim objects per kept block, from muscles to claims
    stats: dict[str, Stats] = field(default_factory=dict)  # stage name -> that stage's stats
    stages_cached: int = 0  # how many of the stages run came from the cache
    stages_run: int = 0

    @property
    def blocks(self) -> list[Block]:
        """The kept blocks, which the later stages read."""
        return self.stripped.kept if self.stripped is not None else []

    @property
    def from_cache(self) -> bool:
        return self.stages_run > 0 and self.stages_cached == self.stages_run


class DocumentProcessor:
    """The per-document stages through `through`, served from the cache or run by `steps`."""

    def __init__(self, cache: StageCache | None = None, through: str = "claims", lexicon: Lexicon | None = None):
        self.cache = cache or StageCache(enabled=False)
        self.through = through
        self.stages = per_document_through(through)
        self._lexicon = lexicon  # None: the shipped lexicon

    @cached_property
    def steps(self) -> DocumentSteps:
        """Loaded on first use: a document served from the cache never needs them."""
        from pipeline.run.steps import DocumentSteps

        steps = DocumentSteps(self.cache, self.stages, self._lexicon)
        assert all(hasattr(steps, stage) for stage in PER_DOCUMENT), "a per-document stage of the registry has no step"
        return steps

    def serves(self, doc: Document) -> bool:
        """Whether the cache holds every stage this document needs (nothing is read)."""
        if not self.cache.enabled:
            return False
        keys = stage_keys(_content_key(doc))
        return all(self.cache.has(stage, keys[stage]) for stage in self.stages)

    def cached(self, doc: Document) -> DocumentOutput | None:
        """The document's output if every stage it needs is in the cache, else None (no work done)."""
        if not self.cache.enabled:
            return None
        keys = stage_keys(_content_key(doc))
        values = []
        for stage in self.stages:  # every entry read before any is restored: a miss leaves `doc` as it was
            value = self.cache.get(stage, keys[stage])
            if value is None:
                return None
            values.append(value)
        out = DocumentOutput(document=doc, stages_cached=len(values), stages_run=len(values))
        for stage, value in zip(self.stages, values, strict=True):
            self._restore(stage, out, value)
        return out

    def __call__(self, doc: Document) -> DocumentOutput:
        keys = stage_keys(_content_key(doc))
        out = DocumentOutput(document=doc)
        for stage in self.stages:
            value = self.cache.get(stage, keys[stage])
            if value is None:
                value = getattr(self.steps, stage)(out)
                self.cache.put(stage, keys[stage], value)
            else:
                out.stages_cached += 1
            out.stages_run += 1
            self._restore(stage, out, value)
        # A hand-off from the muscles step to the claims step, and not for the build: a worker's
        # output that carried claim objects made the build import spaCy (0.5 s) to unpickle them.
        out.objects = None
        return out

    @staticmethod
    def _restore(stage: str, out: DocumentOutput, value: tuple[Any, Stats]) -> None:
        result, out.stats[stage] = value
        if stage == "strip":
            fields, out.stripped, out.signature = result
            for name, field_value in fields.items():
                setattr(out.document, name, field_value)
            out.document.text = ""  # the decoded input is not needed downstream; do not carry it around
        elif stage == "muscles":
            out.mentions = result
        else:
            out.claims = result


def _content_key(doc: Document) -> str:
    return short_id(doc.doc_id, doc.source_path, doc.format, doc.status)
