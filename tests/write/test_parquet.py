from __future__ import annotations

import pytest

from pipeline.write.parquet import TableValidationError, to_table, write_table

DOC = {
    "doc_id": "a",
    "source_path": "a.txt",
    "format": "text",
    "encoding": "utf-8",
    "language": None,
    "title": None,
    "author": None,
    "published": None,
    "sitename": None,
    "url": None,
    "n_chars_raw": 10,
    "n_chars_clean": 5,
    "n_blocks_kept": 1,
    "n_blocks_removed": 0,
    "duplicate_of": None,
    "source_group": "a",
    "group_similarity": 1.0,
    "status": "ok",
    "error": None,
}


def test_rows_are_sorted_by_key_for_stable_output():
    table = to_table("documents", [{**DOC, "source_path": "b.txt"}, DOC])
    assert table.column("source_path").to_pylist() == ["a.txt", "b.txt"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "finished"}, "outside the allowed set"),
        ({"doc_id": None}, "null values in a required column"),
        ({"n_chars_raw": "many"}, "do not fit the schema"),
    ],
)
def test_rows_breaking_the_contract_are_refused(change, message):
    with pytest.raises(TableValidationError, match=message):
        to_table("documents", [{**DOC, **change}])


def test_duplicate_keys_are_refused(tmp_path):
    with pytest.raises(TableValidationError, match="duplicate key"):
        write_table("documents", [DOC, DOC], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_ids_pointing_into_a_missing_row_stop_every_write(tmp_path):
    from pipeline.write.parquet import write_tables

    block = {
        "doc_id": "ghost",
        "block_idx": 0,
        "kind": "paragraph",
        "section_path": [],
        "text": "x",
        "kept": True,
        "removal_reason": None,
        "line_start": 1,
        "line_end": 1,
    }
    with pytest.raises(TableValidationError, match=r"blocks.doc_id: 1 ids not in documents.doc_id: \['ghost'\]"):
        write_tables({"documents": [DOC], "blocks": [block]}, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_the_usual_mode_not_the_temporary_files_private_one(tmp_path):
    import os

    from pipeline.common.atomic import write_text_atomically

    old = os.umask(0o022)
    try:
        write_text_atomically(tmp_path / "stats.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "stats.json").stat().st_mode & 0o777 == 0o644


def test_rows_come_out_in_the_order_python_sorts_their_keys():
    # The writer sorts in Arrow (UTF-8 bytes); that must equal Python's code point order.
    paths = ["z.txt", "é.txt", "a/b.txt", "A.txt", "日本.txt", "e\u0301.txt", "\U0001f3c3.txt", "ß.txt"]
    rows = [{**DOC, "doc_id": str(i), "source_path": path} for i, path in enumerate(paths)]
    table = to_table("documents", rows)
    assert table.column("source_path").to_pylist() == sorted(paths)


def test_an_arrow_table_is_sorted_and_validated_like_rows():
    import pyarrow as pa

    from pipeline.write.schemas import BLOCKS

    blocks = [
        {"doc_id": doc, "block_idx": idx, "kind": "paragraph", "section_path": [], "text": "t", "kept": True}
        for doc, idx in [("b", 2), ("a", 10), ("b", 1), ("a", 9)]
    ]
    table = to_table("blocks", pa.Table.from_pylist(blocks, schema=BLOCKS))
    assert list(zip(table.column("doc_id").to_pylist(), table.column("block_idx").to_pylist(), strict=True)) == [
        ("a", 9),
        ("a", 10),
        ("b", 1),
        ("b", 2),
    ]
    with pytest.raises(TableValidationError, match="duplicate key"):
        to_table("blocks", pa.Table.from_pylist(blocks + blocks[:1], schema=BLOCKS))


@pytest.mark.parametrize(
    "keys",
    [
        [("a", 1), ("a", 2), ("b", 1)],  # already in key order: taken as it is
        [("a", 2), ("a", 1), ("b", 1)],  # out of order within a document
        [("b", 1), ("a", 1), ("a", 2)],  # documents out of order
        [("a", 1), ("a", 1), ("b", 1)],  # in order but a key twice
        [("a", 1), ("b", 1), ("a", 1)],  # a key twice, apart
        [("é", 1), ("z", 1), ("日本", 1)],  # strings by code point, as Python sorts them
    ],
)
def test_rows_in_key_order_skip_the_sort_and_any_other_order_is_sorted_the_same(keys):
    import pyarrow as pa

    from pipeline.write.schemas import BLOCKS

    rows = [
        {"doc_id": d, "block_idx": i, "kind": "paragraph", "section_path": [], "text": "t", "kept": True}
        for d, i in keys
    ]
    table = pa.Table.from_pylist(rows, schema=BLOCKS)
    if len(set(keys)) < len(keys):
        with pytest.raises(TableValidationError, match="duplicate key"):
            to_table("blocks", table)
        return
    written = to_table("blocks", table)
    assert list(
        zip(written.column("doc_id").to_pylist(), written.column("block_idx").to_pylist(), strict=True)
    ) == sorted(keys)
