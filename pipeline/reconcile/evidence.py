"""Evidence for conflicts: the sentences, files and lines behind mentions and claims.

`EvidenceIndex` holds lookups by block and by muscle, so gathering evidence for a conflict
never scans every claim or mention of the build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pipeline.common.sentences import sentence_span, sentence_starts
from pipeline.reconcile.facts import fact_id
from pipeline.reconcile.keys import base_form
from pipeline.records import Block, Claim, Document, Mention

# Evidence shown per side of a conflict: enough to judge, few enough to read.
MAX_EVIDENCE_PER_SIDE = 5

T = TypeVar("T", Claim, Mention)


class BlockTexts(Protocol):
    """(doc_id, block_idx) -> the kept block's text: a dict, or a lookup that reads on demand."""

    def get(self, key: tuple[str, int], default: str | None = None, /) -> str | None: ...


def texts_of(blocks: Iterable[Block]) -> dict[tuple[str, int], str]:
    """The texts of kept blocks, keyed as evidence looks them up."""
    return {(b.doc_id, b.block_idx): b.text for b in blocks if b.kept}


@dataclass(frozen=True)
class Evidence:
    side: str
    doc_id: str | None
    source_path: str | None  # the raw file, or the reference's citation
    quote: str
    claim_id: str | None = None
    line_start: int | None = None
    line_end: int | None = None


def one_per_doc(items: list[T]) -> list[T]:
    """The first item from each document, up to MAX_EVIDENCE_PER_SIDE."""
    seen: dict[str, T] = {}
    for item in items:
        seen.setdefault(item.doc_id, item)
    return list(seen.values())[:MAX_EVIDENCE_PER_SIDE]


class EvidenceIndex:
    """Mentions and claims of a build, in evidence order (source file, block, offset)."""

    def __init__(self, documents: list[Document], texts: BlockTexts, mentions: list[Mention], claims: list[Claim]):
        self.paths = {d.doc_id: d.source_path for d in documents if d.status in ("ok", "error")}
        self.texts = texts
        self._starts: dict[tuple[str, int], list[int]] = {}
        self.mentions: list[Mention] = []
        self.claims: list[Claim] = []
        self.by_block: dict[tuple[str, int], list[Claim]] = {}
        self.by_muscle: dict[str, list[Mention]] = {}
        self.reset(mentions, claims)

    def reset(self, mentions: list[Mention], claims: list[Claim]) -> None:
        """Index (new) mentions and claims, as after a reviewer's merge moved some of them."""
        paths = self.paths
        self.mentions = sorted(mentions, key=lambda m: (paths.get(m.doc_id, ""), m.block_idx, m.char_start))
        self.claims = sorted(claims, key=lambda c: (paths.get(c.doc_id, ""), c.block_idx, c.char_start, c.claim_id))
        self.by_block, self.by_muscle = {}, {}
        for claim in self.claims:
            self.by_block.setdefault((claim.doc_id, claim.block_idx), []).append(claim)
        for mention in self.mentions:
            self.by_muscle.setdefault(mention.muscle_id, []).append(mention)

    def sentence(self, doc_id: str, block_idx: int, char: int) -> str:
        key = (doc_id, block_idx)
        text = self.texts.get(key)
        if text is None:
            return ""
        if key not in self._starts:
            self._starts[key] = sentence_starts(text)
        start, end = sentence_span(self._starts[key], text, char)
        return text[start:end].strip()

    def of_mention(self, side: str, mention: Mention) -> Evidence:
        quote = self.sentence(mention.doc_id, mention.block_idx, mention.char_start)
        claim = next(iter(self.claims_around(mention)), None)
        path = self.paths.get(mention.doc_id)
        claim_id = claim.claim_id if claim else None
        return Evidence(side, mention.doc_id, path, quote, claim_id, mention.line_start, mention.line_end)

    def of_claim(self, side: str, claim: Claim) -> Evidence:
        path = self.paths.get(claim.doc_id)
        return Evidence(side, claim.doc_id, path, claim.sentence, claim.claim_id, claim.line_start, claim.line_end)

    def claims_around(self, mention: Mention) -> list[Claim]:
        """Claims made in the sentence a mention sits in, in claim order."""
        return [
            c
            for c in self.by_block.get((mention.doc_id, mention.block_idx), [])
            if c.char_start <= mention.char_start < c.char_end
        ]

    def facts_of_mentions(self, mentions: list[Mention]) -> list[str]:
        """Facts whose claims are made in the sentences these mentions sit in, about their entry."""
        return sorted(
            {
                fact_id(c.muscle_id, c.relation, c.object_id)
                for mention in mentions
                for c in self.claims_around(mention)
                if c.muscle_id == mention.muscle_id
            }
        )

    def form_counts(self, mentions: list[Mention]) -> list[dict[str, Any]]:
        """Each written form with its count per source file: the cluster as a reviewer sees it."""
        counts = Counter((base_form(m.surface), m.doc_id) for m in mentions)
        ordered = sorted(counts.items(), key=lambda kv: (kv[0][0].lower(), self.paths.get(kv[0][1], "")))
        return [
            {"form": form, "doc_id": doc_id, "source_path": self.paths.get(doc_id), "n": n}
            for (form, doc_id), n in ordered
        ]
