"""The blocks of a run, held compactly while documents stream in.

Most blocks are removed boilerplate (about 85 % on the development pages), and a run needs
only counts of them plus their rows for blocks.parquet. So the strip step turns each document's
blocks into `StrippedBlocks`: one Arrow record batch of every block's row, and per-document
counts. That is also what the cache stores and what workers send back, as Arrow IPC bytes,
which load about ten times faster than pickled blocks (bench/throughput.py, the changed build
at N = 5,000). The kept blocks become Python objects only where they are read: by the later
per-document stages, and by reconcile's evidence, which looks up the few blocks it quotes.
At 5,000 documents a run holds about a million blocks, whose objects alone would take most of
a gigabyte.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from pipeline.common.stats import counter_of
from pipeline.records import Block
from pipeline.write.schemas import BLOCKS


@dataclass
class StrippedBlocks:
    """A document's blocks (or any list of blocks): every row for the table, and counts per document."""

    rows: pa.RecordBatch
    kept_counts: Counter[str]  # doc_id -> kept blocks
    kept_chars: Counter[str]  # doc_id -> characters of kept text
    removed: Counter[str]  # doc_id -> removed blocks
    _kept: list[Block] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, blocks: list[Block]) -> StrippedBlocks:
        kept = [b for b in blocks if b.kept]
        kept_chars: Counter[str] = Counter()
        for block in kept:
            kept_chars[block.doc_id] += len(block.text)
        return cls(
            rows=pa.RecordBatch.from_pydict(block_columns(blocks), schema=BLOCKS),
            kept_counts=Counter(b.doc_id for b in kept),
            kept_chars=kept_chars,
            removed=Counter(b.doc_id for b in blocks if not b.kept),
            _kept=kept,
        )

    @property
    def kept(self) -> list[Block]:
        """The kept blocks as objects, made from the rows when they did not come with them."""
        if self._kept is None:
            kept_rows = self.rows.filter(self.rows.column("kept")).to_pylist()
            self._kept = [Block(**row) for row in kept_rows]
        return self._kept

    def __getstate__(self) -> dict[str, Any]:
        counts = [dict(counter) for counter in (self.kept_counts, self.kept_chars, self.removed)]
        return {"rows": self.rows.serialize().to_pybytes(), "counts": counts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.rows = pa.ipc.read_record_batch(pa.py_buffer(state["rows"]), BLOCKS)
        self.kept_counts, self.kept_chars, self.removed = map(counter_of, state["counts"])
        self._kept = None


class KeptTexts:
    """(doc_id, block_idx) -> text of a kept block, read from a document's rows on first lookup.

    Reconcile quotes a sentence from a few blocks of each document; making every kept block an
    object to find them would cost more than all of reconcile's other work on a changed build.
    """

    def __init__(self) -> None:
        self._batches: dict[str, list[pa.RecordBatch]] = {}
        self._texts: dict[str, dict[int, str]] = {}

    def add(self, stripped: StrippedBlocks) -> None:
        for doc_id in stripped.kept_counts:
            self._batches.setdefault(doc_id, []).append(stripped.rows)
            self._texts.pop(doc_id, None)  # read again, with these rows, at the next lookup

    def get(self, key: tuple[str, int], default: str | None = None) -> str | None:
        doc_id, block_idx = key
        if doc_id not in self._texts:
            self._texts[doc_id] = self._read(doc_id)
        return self._texts[doc_id].get(block_idx, default)

    def _read(self, doc_id: str) -> dict[int, str]:
        texts = {}
        for batch in self._batches.get(doc_id, []):
            columns = batch.select(["doc_id", "block_idx", "text", "kept"]).to_pydict()
            for doc, idx, text, kept in zip(*columns.values(), strict=True):
                if kept and doc == doc_id:
                    texts[idx] = text
        return texts


@dataclass
class BlockTable:
    batches: list[pa.RecordBatch] = field(default_factory=list, repr=False)
    texts: KeptTexts = field(default_factory=KeptTexts, repr=False)
    kept_per_doc: Counter[str] = field(default_factory=Counter)
    kept_chars_per_doc: Counter[str] = field(default_factory=Counter)
    removed_per_doc: Counter[str] = field(default_factory=Counter)

    def add(self, blocks: list[Block] | StrippedBlocks) -> None:
        """One document's blocks (or any batch of blocks)."""
        stripped = blocks if isinstance(blocks, StrippedBlocks) else StrippedBlocks.of(blocks)
        if not stripped.rows.num_rows:
            return
        self.batches.append(stripped.rows)
        self.texts.add(stripped)
        self.kept_per_doc.update(stripped.kept_counts)
        self.kept_chars_per_doc.update(stripped.kept_chars)
        self.removed_per_doc.update(stripped.removed)

    def table(self) -> pa.Table:
        """Every block added, by document id: each document's rows are in block order, so the
        table comes in the key order the writer needs, and about a million rows need no sort."""
        batches = sorted(self.batches, key=lambda batch: batch.column("doc_id")[0].as_py())  # none is empty
        return pa.Table.from_batches(batches, schema=BLOCKS)

    @property
    def n_kept(self) -> int:
        return sum(self.kept_per_doc.values())

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
