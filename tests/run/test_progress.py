from __future__ import annotations

import os
import subprocess
import sys

import pexpect

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
