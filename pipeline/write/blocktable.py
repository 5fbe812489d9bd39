"""The blocks of a run, held compactly while documents stream in.

Most blocks are removed boilerplate (about 85 % on the development pages), and a run needs
only counts of them plus their rows for blocks.parquet. So each document's blocks become one
Arrow record batch as the document arrives; only kept blocks stay as Python objects, for
reconcile's evidence. At 5,000 documents this is about a million blocks, whose Python objects
alone would take most of a gigabyte.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

from pipeline.records import Block
from pipeline.write.schemas import BLOCKS


@dataclass
class BlockTable:
    kept: list[Block] = field(default_factory=list)
    batches: list[pa.RecordBatch] = field(default_factory=list, repr=False)
    kept_per_doc: Counter[str] = field(default_factory=Counter)
    kept_chars_per_doc: Counter[str] = field(default_factory=Counter)
    removed_per_doc: Counter[str] = field(default_factory=Counter)
    removed_by_reason: Counter[str] = field(default_factory=Counter)
    removed_chars_by_reason: Counter[str] = field(default_factory=Counter)

    def add(self, blocks: list[Block]) -> None:
        """One document's blocks (or any batch of blocks)."""
        if not blocks:
            return
        self.batches.append(pa.RecordBatch.from_pydict(block_columns(blocks), schema=BLOCKS))
        for block in blocks:
            if block.kept:
                self.kept.append(block)
                self.kept_per_doc[block.doc_id] += 1
                self.kept_chars_per_doc[block.doc_id] += len(block.text)
            else:
                self.removed_per_doc[block.doc_id] += 1
                self.removed_by_reason[block.removal_reason] += 1
                self.removed_chars_by_reason[block.removal_reason] += len(block.text)

    def table(self) -> pa.Table:
        """Every block added, in arrival order (the writer sorts by the table's key)."""
        return pa.Table.from_batches(self.batches, schema=BLOCKS)

    @property
    def n_kept(self) -> int:
        return len(self.kept)

    @property
    def n_removed(self) -> int:
        return sum(self.removed_by_reason.values())


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
