from __future__ import annotations

import re

import pyarrow.parquet as pq

from pipeline.write.schemas import TABLES, data_dictionary_markdown


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


def test_the_committed_dataset_is_what_make_curate_builds(request, tmp_path):
    """CI runs this on a clean clone: curated/ must be rebuilt and committed after any change."""
    from pipeline import cli

    root = request.config.rootpath
    args = [
        "run",
        "--raw",
        str(root / "raw"),
        "--out",
        str(tmp_path),
        "--decisions",
        str(root / "review/decisions.yaml"),
    ]
    assert cli.main([*args, "-q"]) == cli.EXIT_OK
    for name in TABLES:
        assert (tmp_path / f"{name}.parquet").read_bytes() == (root / "curated" / f"{name}.parquet").read_bytes(), name
    assert (tmp_path / "stats.json").read_text() == (root / "curated" / "stats.json").read_text()
    pages = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    committed = sorted(p.relative_to(root / "curated").as_posix() for p in (root / "curated").rglob("*.html"))
    assert pages == committed and {"report.html", "review.html"} <= set(pages)
    for name in pages:
        assert (tmp_path / name).read_bytes() == (root / "curated" / name).read_bytes(), name


def test_the_manifest_records_inputs_versions_and_timings(tmp_path, request):
    import json

    from pipeline import cli

    root = request.config.rootpath
    args = ["run", "--raw", str(root / "raw"), "--out", str(tmp_path), "--decisions", str(tmp_path / "none.yaml")]
    assert cli.main([*args, "-q"]) == cli.EXIT_OK
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert [i["source_path"] for i in manifest["inputs"]] == sorted(p.name for p in (root / "raw").glob("*.txt"))
    assert manifest["libraries"]["spacy"] and manifest["timings_s"]["total"] > 0
    assert set(manifest["stage_fingerprints"]) == {"strip", "muscles", "claims"}
    assert manifest["decisions"]["sha256"] is None  # no decisions file
