"""The work of the per-document stages: strip, muscles and claims for one document.

The heavy half of `process.py`: spaCy, trafilatura and the pipelines built from the data live
here, imported when a document needs a stage run. A build the cache serves whole never loads
them, and pool workers load them once each.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from pipeline.common.stats import Stats
from pipeline.extract.claims import ClaimExtractor, objects_of
from pipeline.extract.lexicon import Lexicon, cached_lexicon
from pipeline.extract.muscles import build_muscle_nlp, recognise_document
from pipeline.extract.objects import ObjectsOnly, add_object_pipes
from pipeline.extract.stats import ClaimStats, RecognitionStats
from pipeline.extract.vocabulary import cached_vocabulary
from pipeline.reconcile.dedupe import text_signature
from pipeline.records import Block
from pipeline.run.cache import StageCache, pipeline_key
from pipeline.strip.html import strip_boilerplate
from pipeline.strip.stats import StripStats
from pipeline.write.blocktable import StrippedBlocks

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from pipeline.extract.claims.context import Found
    from pipeline.run.process import DocumentOutput

# Document fields the strip stage sets; cached with its blocks.
STRIP_FIELDS = ("status", "error", "title", "author", "published", "language", "sitename", "url")


class DocumentSteps:
    """One step per per-document stage, with the spaCy pipelines built (or read) on first use."""

    def __init__(self, cache: StageCache, stages: tuple[str, ...], lexicon: Lexicon | None = None) -> None:
        self.cache = cache
        self.stages = stages
        self.shipped_lexicon = lexicon is None  # only the shipped data's pipelines are kept built
        self.lexicon = lexicon or cached_lexicon()

    @cached_property
    def muscle_nlp(self) -> Language:
        """When claims follow, it finds their objects too, so each block is tokenised once.

        Building it takes about 1.5 s (matchers, the misspelling table); unpickling it from the
        cache about 0.3 s, which is what a worker pays in every build after the first.
        """
        if not self.shipped_lexicon:
            return self._build_muscle_nlp()
        stages = self.stages[self.stages.index("muscles") :]
        name = "muscle-nlp" + ("-objects" if "claims" in stages else "")
        return self.cache.compiled(name, pipeline_key(stages), self._build_muscle_nlp)

    def _build_muscle_nlp(self) -> Language:
        nlp = build_muscle_nlp(self.lexicon)
        if "claims" in self.stages:
            add_object_pipes(nlp, cached_vocabulary())
        return nlp

    def warm_up(self) -> None:
        """Build (or read) the pipelines the stages will need, before the first document."""
        for stage, pipeline in (("muscles", "muscle_nlp"), ("claims", "extractor")):
            if stage in self.stages:
                getattr(self, pipeline)

    @cached_property
    def extractor(self) -> ClaimExtractor:
        # Table rows need the object pipeline alone: the muscle pipeline's first components.
        return ClaimExtractor(self.lexicon, cached_vocabulary(), nlp=ObjectsOnly(self.muscle_nlp))

    def strip(self, out: DocumentOutput) -> tuple[Any, Stats]:
        doc, blocks = strip_boilerplate(out.document)
        signature = text_signature("\n".join(b.text for b in blocks if b.kept))
        fields = {name: getattr(doc, name) for name in STRIP_FIELDS}
        return (fields, StrippedBlocks.of(blocks), signature), StripStats.of(blocks)

    def muscles(self, out: DocumentOutput) -> tuple[Any, Stats]:
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

    def claims(self, out: DocumentOutput) -> tuple[Any, Stats]:
        if not out.blocks:
            return [], ClaimStats()
        return self.extractor.document(out.blocks, out.mentions, out.objects)
