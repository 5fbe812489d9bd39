"""Stage 5, write: validate a table against its schema and write it as Parquet, atomically.

Writer settings are fixed so that the same rows give byte-identical files: rows arrive sorted
by the table's key, compression and page settings are explicit, and no timestamps are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.common.atomic import write_atomically
from pipeline.write.schemas import ENUMS, REFERENCES, TABLES, UNIQUE_KEYS

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


Rows = Sequence[dict[str, Any]]


def to_table(name: str, data: Rows | pa.Table) -> pa.Table:
    """Rows (or an Arrow table) -> a table with the table's schema, sorted by its key, validated.

    Sorting and checks run in Arrow, not over Python rows: the blocks table of a few thousand
    pages has about a million rows. Arrow orders strings by UTF-8 bytes, which is code point
    order, so rows come out in the order Python's `sorted` would give.

    Rows become one contiguous table; an Arrow table keeps its chunks. The Parquet bytes depend
    on the chunks, and the one Arrow table a build passes, the blocks, has one chunk per
    document whichever engine made it and whether or not the cache served it. Copying its
    million rows into one chunk took 0.3 s of a changed build on bench/throughput.py's N = 5,000
    corpus, timed table by table.
    """
    schema = TABLES[name]
    try:
        table = data.cast(schema) if isinstance(data, pa.Table) else pa.Table.from_pylist(list(data), schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError, ValueError) as exc:
        raise TableValidationError(f"{name}: rows do not fit the schema ({exc})") from exc
    key = UNIQUE_KEYS[name]
    if not _strictly_ascending(table, key):  # the blocks arrive in key order: no sort, no copy
        table = table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in key]))
    if not isinstance(data, pa.Table):
        table = table.combine_chunks()
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
            bad = {v for v in _distinct(column, field.type) if v is not None and v not in allowed}
            if bad:
                raise TableValidationError(f"{name}.{field.name}: values outside the allowed set: {sorted(bad)}")
    key = list(UNIQUE_KEYS[name])
    if _strictly_ascending(table, key):  # sorted with no key twice: one pass instead of a group-by
        return
    counts = table.select(key).group_by(key).aggregate([([], "count_all")])
    repeated = counts.filter(pc.greater(counts.column("count_all"), 1))
    if repeated.num_rows:
        first = repeated.slice(0, 1).to_pylist()[0]
        raise TableValidationError(f"{name}: duplicate key { ({k: first[k] for k in key}) }")


def _strictly_ascending(table: pa.Table, key: Sequence[str]) -> bool:
    """Whether every row's key is greater than the one before (so sorted and unique), in the
    order `sort_indices` gives: strings by UTF-8 bytes. A null anywhere in the key answers no."""
    if table.num_rows < 2:
        return True
    greater = None
    for column in reversed(key):
        values = table.column(column)
        before, after = values.slice(0, len(values) - 1), values.slice(1)
        step = pc.less(before, after)
        greater = step if greater is None else pc.or_(step, pc.and_(pc.equal(before, after), greater))
    return pc.all(greater, skip_nulls=False).as_py() is True


def _distinct(column: pa.ChunkedArray, type_: pa.DataType) -> list[Any]:
    """The distinct values of a column; of its items, for a list column."""
    if pa.types.is_list(type_):
        column = pc.list_flatten(column)
    return pc.unique(column).to_pylist()


def check_references(tables: dict[str, pa.Table]) -> None:
    """Every id that points into another table of the same build must be there (provenance)."""
    for (name, column), (target, target_column) in REFERENCES.items():
        if name not in tables or target not in tables:
            continue
        known = set(_distinct(tables[target].column(target_column), TABLES[target].field(target_column).type))
        values = _distinct(tables[name].column(column), TABLES[name].field(column).type)
        missing = sorted({v for v in values if v is not None and v not in known})
        if missing:
            raise TableValidationError(
                f"{name}.{column}: {len(missing)} ids not in {target}.{target_column}: {missing[:3]}"
            )


def write_table(name: str, data: Rows | pa.Table, out_dir: Path) -> Path:
    return write_validated(name, to_table(name, data), out_dir)


def write_tables(
    tables: dict[str, Rows | pa.Table], out_dir: Path, on_table: Callable[[str], None] = lambda name: None
) -> list[Path]:
    """Validate every table and the references between them first; write only if all pass.

    `on_table(name)` is called as each table is validated and again as it is written (progress).
    """
    built = {}
    for name, rows in tables.items():
        built[name] = to_table(name, rows)
        on_table(name)
    check_references(built)
    written = []
    for name, table in built.items():
        written.append(write_validated(name, table, out_dir))
        on_table(name)
    return written


def write_validated(name: str, table: pa.Table, out_dir: Path) -> Path:
    path = Path(out_dir) / f"{name}.parquet"
    write_atomically(path, lambda tmp: pq.write_table(table, tmp, **PARQUET_OPTIONS))
    return path
