from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pexpect

from pipeline.run import progress as progress_module
from pipeline.run.progress import Steps, progress


def command(raw, out) -> list[str]:
    return ["-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--decisions", str(out / "none.yaml")]


def test_a_terminal_gets_one_bar_per_stage(raw_dir, tmp_path):
    child = pexpect.spawn(
        sys.executable, command(raw_dir, tmp_path), env=dict(os.environ), encoding="utf-8", timeout=120
    )
    child.expect(pexpect.EOF)
    printed = child.before
    for stage in ("documents", "reconcile", "write"):
        assert f"{stage}:" in printed, stage
    assert "/5 [" in printed  # the per-document bar counts the five documents
    assert "facts and conflicts" in printed  # the step bars name the running step


def test_no_bars_when_output_is_not_a_terminal(raw_dir, tmp_path):
    done = subprocess.run([sys.executable, *command(raw_dir, tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "\r" not in done.stderr and "it/s" not in done.stderr and "doc/s" not in done.stderr
    assert "conflicts:" in done.stdout  # the summary is still printed


def test_progress_helpers_pass_items_through_without_a_terminal():
    assert list(progress(iter([1, 2, 3]), 3, "x", enabled=True)) == [1, 2, 3]
    with Steps("x", 1, enabled=True) as steps:
        with steps.step("only"):
            ran = True
        steps.advance("more")
    assert ran and steps.bar is None


def slow(items, pause):
    for item in items:
        time.sleep(pause)
        yield item


def test_off_a_terminal_a_long_stage_prints_a_heartbeat_with_documents_done_and_time(monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "HEARTBEAT_SECONDS", 0.05)
    assert list(progress(slow(range(4), 0.12), 4, "documents", enabled=True)) == [0, 1, 2, 3]
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 4  # about one per 0.05 s of a 0.5 s stage, from a thread: even while one item takes long
    done = [int(re.fullmatch(r"curate: documents: (\d) of 4 done, \d+ s elapsed", line).group(1)) for line in lines]
    assert done == sorted(done) and done[0] == 0 and done[-1] >= 3


def test_no_heartbeat_when_quiet_or_when_the_stage_ends_first(monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "HEARTBEAT_SECONDS", 0.05)
    list(progress(slow(range(3), 0.05), 3, "documents", enabled=False))
    monkeypatch.setattr(progress_module, "HEARTBEAT_SECONDS", 10)
    list(progress(slow(range(3), 0.01), 3, "documents", enabled=True))
    assert capsys.readouterr().err == ""


def test_the_heartbeat_of_reconcile_and_write_names_the_running_step(monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "HEARTBEAT_SECONDS", 0.05)
    with Steps("reconcile", 2, enabled=True) as steps, steps.step("facts and conflicts"):
        time.sleep(0.2)
    assert "curate: reconcile: facts and conflicts, 0 s elapsed" in capsys.readouterr().err.splitlines()


def test_a_build_off_a_terminal_prints_heartbeats_on_stderr_only(raw_dir, tmp_path, monkeypatch, capsys):
    from pipeline import cli

    monkeypatch.setattr(progress_module, "HEARTBEAT_SECONDS", 0.01)
    fresh_cache = ["--cache-dir", str(tmp_path / "cache"), "--force"]  # documents processed, not read from a cache
    assert cli.main(command(raw_dir, tmp_path / "out")[2:] + fresh_cache) == 0
    printed = capsys.readouterr()
    assert re.search(r"^curate: documents: \d of 5 done, \d+ s elapsed$", printed.err, re.M)
    assert "curate: " not in printed.out
