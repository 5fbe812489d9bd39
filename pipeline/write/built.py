"""A build folder read back from disk: the Parquet tables and JSON files `curate run` wrote.

The report and the audit pages are made from these files alone, so `curate report` and
`curate show` work on any build folder without running the pipeline again. Columns are read
only when asked for, and a column a build does not have (an older or newer layout) reads as
absent rather than failing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


class NotABuildError(ValueError):
    """The folder holds no build (no documents.parquet): nothing to report on."""


class BuiltFolder:
    def __init__(self, out_dir: Path, beside: Path | None = None, written: dict[str, pa.Table] | None = None) -> None:
        self.out_dir = out_dir
        self.beside = beside  # where the user's own files (evaluation.json) are, if not in out_dir
        # Tables this process has just written to the folder, read from memory rather than again
        # from their files (the blocks table of 5,000 documents takes 0.4 s to read).
        self.written = written or {}
        if not (out_dir / "documents.parquet").is_file():
            raise NotABuildError(f"{out_dir} holds no build (no documents.parquet): run `curate run --out {out_dir}`")
        self._schemas: dict[str, pa.Schema | None] = {}

    def has_table(self, name: str) -> bool:
        return self.schema(name) is not None

    def schema(self, name: str) -> pa.Schema | None:
        if name not in self._schemas:
            path = self.out_dir / f"{name}.parquet"
            if name in self.written:
                self._schemas[name] = self.written[name].schema
            else:
                self._schemas[name] = pq.read_schema(path) if path.is_file() else None
        return self._schemas[name]

    def has_column(self, name: str, column: str) -> bool:
        schema = self.schema(name)
        return schema is not None and column in schema.names

    def table(self, name: str, columns: list[str], where: tuple[str, list[str]] | None = None) -> pa.Table:
        """The columns of a table that exist (an empty table if the file is missing);
        `where=(column, values)` keeps the rows whose column is one of the values."""
        schema = self.schema(name)
        if schema is None:
            return pa.table({c: pa.array([], pa.string()) for c in columns})
        present = [c for c in columns if c in schema.names]
        if name in self.written:
            table = self.written[name].select(present)
        else:
            # ParquetFile, not read_table: read_table imports pyarrow.dataset, a quarter of a
            # second that `curate run` would pay for nothing.
            table = pq.ParquetFile(self.out_dir / f"{name}.parquet").read(columns=present)
        return table if where is None else rows_where(table, *where)

    def rows(self, name: str, columns: list[str], where: tuple[str, list[str]] | None = None) -> list[dict[str, Any]]:
        return self.table(name, columns, where).to_pylist()

    def json(self, name: str) -> dict[str, Any] | None:
        """A JSON file of the folder (stats.json, evaluation.json), or None if absent or unreadable."""
        path = self.out_dir / name
        if not path.is_file() and self.beside is not None:
            path = self.beside / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None


def rows_where(table: pa.Table, column: str, values: list[str]) -> pa.Table:
    """The rows of `table` whose `column` is one of `values`."""
    return table.filter(pc.is_in(table[column], value_set=pa.array(values, table.schema.field(column).type)))
