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
