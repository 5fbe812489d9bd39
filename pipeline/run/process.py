"""The per-document stages (strip, recognise muscles, extract claims) as one function.

A document in, its blocks, mentions, claims and stage counts out. Every engine runs this same
function; a `DocumentProcessor` builds the spaCy pipelines once and reuses them for every
document it is given, and consults the stage cache before doing any work.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from pipeline.extract.claims import ClaimExtractor, ClaimStats
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, cached_lexicon, recognise_document
from pipeline.reconcile.dedupe import text_signature
from pipeline.records import Block, Claim, Document, Mention
from pipeline.run.cache import STAGES, StageCache, stage_keys
from pipeline.strip.html import strip_boilerplate

# Document fields the strip stage sets; cached with its blocks.
STRIP_FIELDS = ("status", "error", "title", "author", "published", "language", "sitename", "url")


@dataclass
class DocumentOutput:
    document: Document  # with the metadata strip recovered; its text is dropped
    blocks: list[Block] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    recognition: RecognitionStats = field(default_factory=RecognitionStats)
    claim_stats: ClaimStats = field(default_factory=ClaimStats)
    stages_cached: int = 0  # how many of the three stages came from the cache
    signature: np.ndarray | None = None  # MinHash of the kept text, for near-duplicate grouping

    @property
    def from_cache(self) -> bool:
        return self.stages_cached == 3


class DocumentProcessor:
    def __init__(self, cache: StageCache | None = None, through: str = "claims") -> None:
        self.cache = cache or StageCache(enabled=False)
        self.through = through
        self.lexicon = cached_lexicon("")
        self._nlp = None
        self._extractor: ClaimExtractor | None = None

    @property
    def nlp(self):  # built on first use: a document served from the cache never needs it
        if self._nlp is None:
            self._nlp = build_muscle_nlp()
        return self._nlp

    @property
    def extractor(self) -> ClaimExtractor:
        if self._extractor is None:
            self._extractor = ClaimExtractor(lexicon=self.lexicon)
        return self._extractor

    def cached(self, doc: Document) -> DocumentOutput | None:
        """The document's output if every stage it needs is in the cache, else None (no work done)."""
        if not self.cache.enabled:
            return None
        keys = stage_keys(_content_key(doc))
        stages = STAGES[: STAGES.index(self.through) + 1]
        if not all(self.cache.has(stage, keys[stage]) for stage in stages):
            return None
        return self(doc)

    def __call__(self, doc: Document) -> DocumentOutput:
        keys = stage_keys(_content_key(doc))
        out = DocumentOutput(document=doc)
        cached = self.cache.get("strip", keys["strip"])
        if cached is None:
            doc, blocks = strip_boilerplate(doc)
            signature = text_signature("\n".join(b.text for b in blocks if b.kept))
            cached = ({name: getattr(doc, name) for name in STRIP_FIELDS}, blocks, signature)
            self.cache.put("strip", keys["strip"], cached)
        else:
            out.stages_cached += 1
        fields, out.blocks, out.signature = cached
        for name, value in fields.items():
            setattr(doc, name, value)
        doc.text = ""  # the decoded input is not needed downstream; do not carry it around
        if self.through == "strip":
            return out
        cached = self.cache.get("muscles", keys["muscles"])
        if cached is None:
            stats = RecognitionStats()
            cached = (recognise_document(self.nlp, self.lexicon, out.blocks, stats), stats)
            self.cache.put("muscles", keys["muscles"], cached)
        else:
            out.stages_cached += 1
        out.mentions, out.recognition = cached
        if self.through == "muscles":
            return out
        cached = self.cache.get("claims", keys["claims"])
        if cached is None:
            self.extractor.stats = ClaimStats()
            kept_claims = self.extractor.document(out.blocks, out.mentions) if out.blocks else []
            cached = (kept_claims, self.extractor.stats)
            self.cache.put("claims", keys["claims"], cached)
        else:
            out.stages_cached += 1
        out.claims, out.claim_stats = cached
        return out


def _content_key(doc: Document) -> str:
    return hashlib.sha256(f"{doc.doc_id}|{doc.source_path}|{doc.format}|{doc.status}".encode()).hexdigest()
