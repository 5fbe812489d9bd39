"""The `curate` command end to end: a mixed batch with bad inputs, exit status, outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import cli
from pipeline.run.stages import BY_NAME
from pipeline.write import parquet as write


def _batch(folder: Path, raw_dir: Path) -> None:
    folder.mkdir()
    shutil.copy(raw_dir / "does-running-work-out-your-legs.txt", folder / "a-legs.txt")
    shutil.copy(raw_dir / "does-running-work-out-your-legs.txt", folder / "b-legs-copy.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "nobody.html").write_text("<html><head><title>x</title></head></html>")
    (folder / "notes.md").write_text("# not an article")
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")


def test_batch_with_bad_inputs_still_writes_the_good_ones(tmp_path, raw_dir, capsys):
    _batch(tmp_path / "in", raw_dir)
    out = tmp_path / "out"
    code = cli.main(["--raw", str(tmp_path / "in"), "--out", str(out), "-q"])
    assert code == cli.EXIT_SOME_FAILED
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    by_path = {d["source_path"]: d for d in docs}
    assert by_path["a-legs.txt"]["status"] == "ok" and by_path["a-legs.txt"]["n_blocks_kept"] > 5
    assert by_path["b-legs-copy.txt"]["status"] == "duplicate"
    assert by_path["b-legs-copy.txt"]["duplicate_of"] == "a-legs.txt"
    assert by_path["notes.md"]["status"] == "unsupported"
    for name in ["empty.txt", "image.txt", "nobody.html", "loop-a.txt", "loop-b.txt"]:
        assert by_path[name]["status"] == "error"
        assert by_path[name]["error"].startswith(name + ":")
    errors = capsys.readouterr().err
    assert "error: empty.txt: empty file" in errors and "symlink loop" in errors
    blocks = pq.read_table(out / "blocks.parquet")
    assert set(blocks.column("doc_id").to_pylist()) == {by_path["a-legs.txt"]["doc_id"]}
    stats = json.loads((out / "stats.json").read_text())
    assert stats["ingest"]["by_status"] == {"duplicate": 1, "error": 5, "ok": 1, "unsupported": 1}
    assert stats["strip"]["removed_by_reason"] == {"metadata": 1}


def test_clean_batch_exits_zero_and_rebuilds_byte_identical(tmp_path, raw_dir):
    out = tmp_path / "out"
    assert cli.main(["run", "--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_OK
    first = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    assert cli.main(["run", "--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_OK
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == first
    assert sorted(first) == [
        "blocks.parquet",
        "claims.parquet",
        "conflicts.parquet",
        "documents.parquet",
        "facts.parquet",
        "mentions.parquet",
        "muscles.parquet",
        "vocabulary.parquet",
    ]


def test_missing_input_folder_exits_two(tmp_path, capsys):
    assert cli.main(["--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == cli.EXIT_CANNOT_RUN
    assert "does not exist" in capsys.readouterr().err


def test_ingest_subcommand_writes_only_documents(tmp_path, raw_dir):
    out = tmp_path / "out"
    assert cli.main(["ingest", "--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_OK
    assert [p.name for p in out.iterdir()] == ["documents.parquet"]
    assert pq.read_table(out / "documents.parquet").num_rows == 5


def test_crash_while_writing_leaves_previous_output_intact(tmp_path, raw_dir, monkeypatch, capsys):
    out = tmp_path / "out"
    assert cli.main(["--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_OK
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def crash(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.pq, "write_table", crash)
    assert cli.main(["--raw", str(raw_dir), "--out", str(out), "-q", "--force"]) == cli.EXIT_CANNOT_RUN
    assert f"nothing written, {out} holds the last complete build" in capsys.readouterr().err
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]  # no staging folder left
    expected = ["blocks.parquet", "documents.parquet", "mentions.parquet", "muscles.parquet", "stats.json"]
    expected = [*expected, "claims.parquet", "vocabulary.parquet", "facts.parquet", "conflicts.parquet"]
    expected = sorted([*expected, "review.html", "report.html", "audit", "manifest.json"])
    assert sorted(p.name for p in out.iterdir()) == expected


@pytest.mark.parametrize("command", ["run", "ingest", "strip", "muscles", "claims"])
def test_every_subcommand_help_says_what_it_reads_and_writes(command, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    text = capsys.readouterr().out
    assert "Reads" in text and "Writes" in text


def test_python_dash_m_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "curate" in result.stdout


def test_document_with_no_article_text_is_an_error_that_still_counts_its_blocks(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "menu.txt").write_text("Home\nAbout\nContact us\n")
    assert cli.main(["--raw", str(folder), "--out", str(tmp_path / "out"), "-q"]) == cli.EXIT_SOME_FAILED
    (row,) = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert row["status"] == "error" and "no article text" in row["error"]
    assert row["n_blocks_kept"] == 0 and row["n_blocks_removed"] == 3


def test_run_writes_mentions_and_the_lexicon_table(tmp_path, raw_dir, capsys):
    out = tmp_path / "out"
    assert cli.main(["muscles", "--raw", str(raw_dir), "--out", str(out)]) == cli.EXIT_OK
    assert "mentions:" in capsys.readouterr().out
    mentions = pq.read_table(out / "mentions.parquet").to_pylist()
    muscles = {row["muscle_id"]: row for row in pq.read_table(out / "muscles.parquet").to_pylist()}
    assert len(muscles) >= 120
    assert {m["muscle_id"] for m in mentions} <= set(muscles)
    mentioned = {m["muscle_id"] for m in mentions}
    assert all((row["n_mentions"] > 0) == (row["muscle_id"] in mentioned) for row in muscles.values())
    assert {"hip_flexors", "knee_extensors", "quadriceps"} <= set(muscles["rectus_femoris"]["member_of"])
    assert not (out / "claims.parquet").exists()  # `muscles` stops before claims, as its help says
    stats = json.loads((out / "stats.json").read_text())["muscles"]
    assert stats["mentions"] == len(mentions)
    assert sum(stats["by_match_type"].values()) == len(mentions)


def test_an_invalid_lexicon_stops_the_run_with_its_file_named(tmp_path, raw_dir, monkeypatch, capsys):
    from pipeline.extract import lexicon

    bad = tmp_path / "muscles.jsonl"
    bad.write_text('{"id": "soleus", "name": "soleus", "kind": "bone", "region": "leg"}\n')
    monkeypatch.setattr(lexicon, "default_lexicon_path", lambda: bad)
    code = cli.main(["--raw", str(raw_dir), "--out", str(tmp_path / "out")])
    assert code == cli.EXIT_CANNOT_RUN
    assert "muscles.jsonl: entry 'soleus': kind must be one of" in capsys.readouterr().err
    assert not (tmp_path / "out" / "mentions.parquet").exists()


def test_claims_table_joins_mentions_vocabulary_and_blocks(tmp_path, raw_dir):
    out = tmp_path / "out"
    assert cli.main(["claims", "--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_OK
    claims = pq.read_table(out / "claims.parquet").to_pylist()
    vocabulary = {(r["vocabulary"], r["object_id"]) for r in pq.read_table(out / "vocabulary.parquet").to_pylist()}
    muscles = {r["muscle_id"] for r in pq.read_table(out / "muscles.parquet").to_pylist()}
    blocks = {(r["doc_id"], r["block_idx"]): r["text"] for r in pq.read_table(out / "blocks.parquet").to_pylist()}
    assert len(claims) > 100
    for claim in claims:
        assert claim["muscle_id"] in muscles
        if claim["relation"] == "member":
            assert claim["object_id"] in muscles
        elif claim["relation"] == "member_count":
            assert claim["object_id"].isdigit()
        elif claim["relation"] == "prominence":
            assert claim["object_id"] in ("primary", "supporting")
        else:
            assert (claim["relation"], claim["object_id"]) in vocabulary
        text = blocks[(claim["doc_id"], claim["block_idx"])]
        assert claim["sentence"] in text
    stats = json.loads((out / "stats.json").read_text())
    assert stats["claims"]["claims"] == len(claims) == sum(stats["claims"]["by_relation"].values())
    # `curate claims` stops after claims: nothing of reconcile or a whole build is written.
    assert "reconcile" not in stats
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([f"{name}.parquet" for name in BY_NAME["claims"].writes] + ["stats.json"])
