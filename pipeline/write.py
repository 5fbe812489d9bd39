"""Stage 5, write: validate a table against its schema and write it as Parquet, atomically.

Writer settings are fixed so that the same rows give byte-identical files: rows arrive sorted
by the table's key, compression and page settings are explicit, and no timestamps are stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.atomic import write_atomically
from pipeline.schemas import ENUMS, REFERENCES, TABLES, UNIQUE_KEYS

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
}


class TableValidationError(ValueError):
    """Rows that break the data contract; nothing is written."""


def to_table(name: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows -> a pyarrow table with the table's schema, sorted by its key, validated."""
    schema = TABLES[name]
    key = UNIQUE_KEYS[name]
    ordered = sorted(rows, key=lambda row: tuple(row[k] for k in key))
    try:
        table = pa.Table.from_pylist(ordered, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError) as exc:
        raise TableValidationError(f"{name}: rows do not fit the schema ({exc})") from exc
    validate(name, table)
    return table


def validate(name: str, table: pa.Table) -> None:
    schema = TABLES[name]
    for field in schema:
        column = table.column(field.name)
        if not field.nullable and column.null_count:
            raise TableValidationError(f"{name}.{field.name}: {column.null_count} null values in a required column")
        allowed = ENUMS.get((name, field.name))
        if allowed is not None:
            values = column.to_pylist()
            if pa.types.is_list(field.type):
                values = [item for value in values for item in (value or [])]
            bad = {v for v in values if v is not None and v not in allowed}
            if bad:
                raise TableValidationError(f"{name}.{field.name}: values outside the allowed set: {sorted(bad)}")
    key = UNIQUE_KEYS[name]
    seen: set[tuple] = set()
    for values in zip(*(table.column(k).to_pylist() for k in key), strict=False):
        if values in seen:
            raise TableValidationError(f"{name}: duplicate key {dict(zip(key, values, strict=False))}")
        seen.add(values)


def check_references(tables: dict[str, pa.Table]) -> None:
    """Every id that points into another table of the same build must be there (provenance)."""
    for (name, column), (target, target_column) in REFERENCES.items():
        if name not in tables or target not in tables:
            continue
        known = set(tables[target].column(target_column).to_pylist())
        values = tables[name].column(column).to_pylist()
        if pa.types.is_list(TABLES[name].field(column).type):
            values = [item for value in values for item in (value or [])]
        missing = sorted({v for v in values if v is not None and v not in known})
        if missing:
            raise TableValidationError(
                f"{name}.{column}: {len(missing)} ids not in {target}.{target_column}: {missing[:3]}"
            )


def write_table(name: str, rows: Sequence[dict[str, Any]], out_dir: Path) -> Path:
    return write_validated(name, to_table(name, rows), out_dir)


def write_tables(tables: dict[str, Sequence[dict[str, Any]]], out_dir: Path) -> list[Path]:
    """Validate every table and the references between them first; write only if all pass."""
    built = {name: to_table(name, rows) for name, rows in tables.items()}
    check_references(built)
    return [write_validated(name, table, out_dir) for name, table in built.items()]


def write_validated(name: str, table: pa.Table, out_dir: Path) -> Path:
    path = Path(out_dir) / f"{name}.parquet"
    write_atomically(path, lambda tmp: pq.write_table(table, tmp, **PARQUET_OPTIONS))
    return path
