from __future__ import annotations

import pytest

from pipeline.write import TableValidationError, to_table, write_table

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
    from pipeline.write import write_tables

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
