"""Hostile input and bad arguments: an error row or a clear exit-2 message, never a hang or a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import cli
from pipeline.ingest.read import read_source
from pipeline.records import Source

GOOD = (
    "The soleus and the gastrocnemius lift the heel on every stride of a long run.\n"
    "On hills the glutes and hamstrings drive the hip into extension as the body rises.\n"
    "Weak hip abductors let the pelvis drop, which loads the knee on the same side.\n"
)


def documents(out: Path) -> dict[str, dict]:
    return {row["source_path"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_and_a_device_among_the_inputs_get_error_rows_and_never_block(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD)
    os.mkfifo(raw / "pipe.txt")
    (raw / "zero.txt").symlink_to("/dev/zero")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out)]
    command += ["--decisions", str(tmp_path / "none.yaml"), "-q"]
    # In a subprocess with a timeout: reading either file would block the build forever.
    for extra in (["--force"], []):  # a forced build (it hashes the inputs too), then the up-to-date check
        done = subprocess.run([*command, *extra], capture_output=True, text=True, timeout=300)
        assert done.returncode == cli.EXIT_SOME_FAILED, done.stderr
        assert "error: pipe.txt: not read: is a named pipe (FIFO), not a regular file" in done.stderr
        assert "error: zero.txt: not read: is a character device, not a regular file" in done.stderr
    rows = documents(out)
    assert rows["good.txt"]["status"] == "ok"
    assert rows["pipe.txt"]["status"] == rows["zero.txt"]["status"] == "error"
    assert rows["pipe.txt"]["error"].startswith("pipe.txt: not read: is a named pipe (FIFO)")


def test_a_text_with_a_few_stray_nul_bytes_is_text_and_loses_them(tmp_path):
    path = tmp_path / "stray.txt"
    path.write_bytes(GOOD.encode()[:40] + b"\x00" + GOOD.encode()[40:] + b"\x00")
    doc = read_source(Source(path=str(path), rel_path="stray.txt", format="text"))
    assert doc.status == "ok" and "\x00" not in doc.text and doc.text == GOOD
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" * 40)
    doc = read_source(Source(path=str(path), rel_path="stray.txt", format="text"))
    assert doc.status == "error" and "binary file" in doc.error


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--max-bytes", "-1"], "argument --max-bytes: must be at least 1, got -1"),
        (["--max-bytes", "0"], "argument --max-bytes: must be at least 1, got 0"),
        (["--max-bytes", "lots"], "argument --max-bytes: 'lots' is not a whole number"),
        (["--workers", "-2"], "argument --workers: must be at least 0, got -2"),
    ],
)
def test_bad_numbers_are_refused_with_exit_2(tmp_path, raw_dir, capsys, extra, message):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["run", "--raw", str(raw_dir), "--out", str(tmp_path / "out"), *extra])
    assert stopped.value.code == cli.EXIT_CANNOT_RUN
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["run", "ingest", "review", "decide"])
def test_an_out_that_names_a_file_is_refused_with_exit_2(tmp_path, raw_dir, capsys, command):
    target = tmp_path / "curated.txt"
    target.write_text("not a folder")
    extra = {"review": ["--list"], "decide": ["0123456789abcdef", "accept"]}.get(command, [])
    code = cli.main([command, *extra, "--raw", str(raw_dir), "--out", str(target)])
    assert code == cli.EXIT_CANNOT_RUN
    assert f"--out {target} is a file, not a folder" in capsys.readouterr().err
    assert target.read_text() == "not a folder"


def test_a_raw_path_that_is_a_file_is_refused_with_exit_2(tmp_path, capsys):
    (tmp_path / "raw").write_text("x")
    assert cli.main(["run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == cli.EXIT_CANNOT_RUN
    assert f"input folder {tmp_path / 'raw'} is not a folder" in capsys.readouterr().err


@pytest.fixture(scope="module")
def whole_build(tmp_path_factory, request):
    out = tmp_path_factory.mktemp("whole") / "curated"
    raw = request.config.rootpath / "raw"
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--decisions", str(out.parent / "d.yaml"), "-q"]) == 0
    return out


@pytest.mark.parametrize("stage", ["ingest", "strip", "muscles", "claims"])
def test_a_partial_stage_refuses_to_replace_a_whole_build_unless_forced(tmp_path, whole_build, raw_dir, capsys, stage):
    out = tmp_path / "curated"
    shutil.copytree(whole_build, out)
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert cli.main([stage, "--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_CANNOT_RUN
    err = capsys.readouterr().err
    assert f"curate {stage}: nothing written: {out} holds a fuller build (" in err and "conflicts.parquet" in err
    assert f"Give another --out (e.g. --out {out}-{stage}), or --force to replace it." in err
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    if stage == "ingest":
        assert cli.main([stage, "--raw", str(raw_dir), "--out", str(out), "-q", "--force"]) == cli.EXIT_OK
        assert sorted(p.name for p in out.iterdir()) == ["documents.parquet"]


def test_a_later_stage_may_replace_an_earlier_ones_output(tmp_path, raw_dir):
    out = tmp_path / "out"
    assert cli.main(["ingest", "--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_OK
    assert cli.main(["strip", "--raw", str(raw_dir), "--out", str(out), "-q"]) == cli.EXIT_OK
    assert sorted(p.name for p in out.iterdir()) == ["blocks.parquet", "documents.parquet", "stats.json"]
