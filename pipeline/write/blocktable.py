"""The blocks of a run, held compactly while documents stream in.

Most blocks are removed boilerplate (about 85 % on the development pages), and a run needs
only counts of them plus their rows for blocks.parquet. So the strip step turns each document's
blocks into `StrippedBlocks`: one Arrow record batch of every block's row, and Python objects
for the kept blocks only, which the later stages and reconcile's evidence read. That is also
what the cache stores, so a build served from the cache never makes the removed blocks' objects
(at 1,000 documents, 170,000 of them). At 5,000 documents a run holds about a million blocks,
whose Python objects alone would take most of a gigabyte.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

from pipeline.records import Block
from pipeline.write.schemas import BLOCKS


@dataclass
class StrippedBlocks:
    """A document's blocks (or any list of blocks): every row for the table, the kept ones as objects."""

    kept: list[Block]
    rows: pa.RecordBatch
    removed: Counter[str]  # doc_id -> removed blocks

    @classmethod
    def of(cls, blocks: list[Block]) -> StrippedBlocks:
        kept = [b for b in blocks if b.kept]
        rows = pa.RecordBatch.from_pydict(block_columns(blocks), schema=BLOCKS)
        return cls(kept=kept, rows=rows, removed=Counter(b.doc_id for b in blocks if not b.kept))


@dataclass
class BlockTable:
    kept: list[Block] = field(default_factory=list)
    batches: list[pa.RecordBatch] = field(default_factory=list, repr=False)
    kept_per_doc: Counter[str] = field(default_factory=Counter)
    kept_chars_per_doc: Counter[str] = field(default_factory=Counter)
    removed_per_doc: Counter[str] = field(default_factory=Counter)

    def add(self, blocks: list[Block] | StrippedBlocks) -> None:
        """One document's blocks (or any batch of blocks)."""
        stripped = blocks if isinstance(blocks, StrippedBlocks) else StrippedBlocks.of(blocks)
        if not stripped.rows.num_rows:
            return
        self.batches.append(stripped.rows)
        for block in stripped.kept:
            self.kept.append(block)
            self.kept_per_doc[block.doc_id] += 1
            self.kept_chars_per_doc[block.doc_id] += len(block.text)
        self.removed_per_doc.update(stripped.removed)

    def table(self) -> pa.Table:
        """Every block added, by document id: each document's rows are in block order, so the
        table comes in the key order the writer needs, and about a million rows need no sort."""
        batches = sorted(self.batches, key=lambda batch: batch.column("doc_id")[0].as_py() if batch.num_rows else "")
        return pa.Table.from_batches(batches, schema=BLOCKS)

    @property
    def n_kept(self) -> int:
        return len(self.kept)

    @property
    def n_removed(self) -> int:
        return sum(self.removed_per_doc.values())


def block_columns(blocks: list[Block]) -> dict[str, list]:
    return {
        "doc_id": [b.doc_id for b in blocks],
        "block_idx": [b.block_idx for b in blocks],
        "kind": [b.kind for b in blocks],
        "section_path": [b.section_path for b in blocks],
        "text": [b.text for b in blocks],
        "kept": [b.kept for b in blocks],
        "removal_reason": [b.removal_reason for b in blocks],
        "line_start": [b.line_start for b in blocks],
        "line_end": [b.line_end for b in blocks],
    }
