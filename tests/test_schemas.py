from __future__ import annotations

import re

import pyarrow.parquet as pq

from pipeline.schemas import TABLES, data_dictionary_markdown


def test_readme_data_dictionary_matches_the_schema_module(request):
    readme = (request.config.rootpath / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- data-dictionary:start -->\n(.*?)\n<!-- data-dictionary:end -->", readme, re.S)
    assert match, "README lacks the data dictionary markers"
    assert match.group(1).strip() == data_dictionary_markdown().strip()


def test_every_field_is_described():
    for schema in TABLES.values():
        for field in schema:
            assert field.metadata and field.metadata[b"description"].strip()


def test_committed_tables_follow_the_schema(request):
    curated = request.config.rootpath / "curated"
    for name, schema in TABLES.items():
        path = curated / f"{name}.parquet"
        if path.exists():
            assert pq.read_schema(path).remove_metadata().equals(schema.remove_metadata(), check_metadata=False)


def test_readme_quick_start_is_two_commands(request):
    readme = (request.config.rootpath / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make curate", "make test"]
