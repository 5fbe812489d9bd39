"""Read what evaluation needs from an already-built output folder.

Evaluation never builds: it scores the Parquet tables a `curate run` (or `curate claims`) wrote,
so the figures describe exactly the dataset a user has. Only the rows of the evaluated
documents are read, with pyarrow filters, so a large build is not loaded whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.evaluate.keys import LexiconEntry

# The tables scoring reads; `curate claims` and `curate run` write all of them.
REQUIRED_TABLES = ("documents", "blocks", "mentions", "muscles", "claims", "vocabulary")
BLOCK_COLUMNS = ["doc_id", "block_idx", "kind", "kept", "removal_reason", "line_start", "line_end"]
CLAIM_COLUMNS = [
    "doc_id",
    "muscle_id",
    "relation",
    "object_id",
    "object_label",
    "sentence",
    "block_idx",
    "char_start",
    "rule_id",
]


class BuildError(Exception):
    """The output folder holds no usable build, or lacks a document the gold annotates."""


@dataclass
class Build:
    """The rows of a build that concern the evaluated documents, grouped by doc_id."""

    out_dir: Path
    documents: dict[str, dict[str, Any]]  # by source_path
    lexicon: list[LexiconEntry]
    phrases: dict[tuple[str, str], tuple[str, ...]]  # (vocabulary, object_id) -> label and phrases
    mentioned: dict[str, set[str]]  # doc_id -> lexicon ids mentioned
    claims: dict[str, list[dict[str, Any]]]  # doc_id -> claim rows in text order
    blocks: dict[str, list[dict[str, Any]]]  # doc_id -> block rows

    def document(self, source_path: str) -> dict[str, Any]:
        """The documents row of a source_path, or a BuildError naming the folder."""
        try:
            return self.documents[source_path]
        except KeyError:
            raise BuildError(
                f"{self.out_dir}/documents.parquet has no document {source_path!r}: build the raw folder that "
                "holds it (curate run --raw DIR --out DIR), name it with `file:` in the gold entry, or leave "
                "the article out with --only"
            ) from None


def load_build(out_dir: Path, source_paths: list[str]) -> Build:
    """Read the tables of a build, keeping only the rows of the given source paths."""
    missing = [name for name in REQUIRED_TABLES if not (out_dir / f"{name}.parquet").is_file()]
    if missing:
        raise BuildError(
            f"{out_dir} holds no complete build (no {missing[0]}.parquet): run "
            f"`curate run --raw DIR --out {out_dir}` first"
        )
    documents = _read(out_dir, "documents", None, None)
    paths = set(source_paths)
    wanted = {row["source_path"]: row for row in documents if row["source_path"] in paths}
    doc_ids = sorted({row["doc_id"] for row in wanted.values()})
    mentioned: dict[str, set[str]] = defaultdict(set)
    for row in _read(out_dir, "mentions", ["doc_id", "muscle_id"], doc_ids):
        mentioned[row["doc_id"]].add(row["muscle_id"])
    return Build(
        out_dir=out_dir,
        documents=wanted,
        lexicon=[LexiconEntry.from_row(row) for row in _read(out_dir, "muscles", None, None)],
        phrases=_phrases(_read(out_dir, "vocabulary", ["vocabulary", "object_id", "label", "phrases"], None)),
        mentioned=mentioned,
        claims=_grouped(_read(out_dir, "claims", CLAIM_COLUMNS, doc_ids), ("block_idx", "char_start")),
        blocks=_grouped(_read(out_dir, "blocks", BLOCK_COLUMNS, doc_ids), ("block_idx",)),
    )


def _read(out_dir: Path, name: str, columns: list[str] | None, doc_ids: list[str] | None) -> list[dict[str, Any]]:
    if doc_ids == []:
        return []
    path = out_dir / f"{name}.parquet"
    filters = None if doc_ids is None else [("doc_id", "in", doc_ids)]
    try:
        return pq.read_table(path, columns=columns, filters=filters).to_pylist()
    except (OSError, ValueError, KeyError) as exc:  # pyarrow's errors for corrupt files and missing columns
        raise BuildError(f"{path}: cannot be read as a table of this pipeline ({exc})") from exc


def _phrases(rows: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(row["vocabulary"], row["object_id"]): (row["label"], *row["phrases"]) for row in rows}


def _grouped(rows: list[dict[str, Any]], order: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda row: tuple(row[column] for column in order)):
        grouped[row["doc_id"]].append(row)
    return grouped
