"""--out changes as a whole: the staged write, the swap, recovery, and a kill at every step of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.run import staging
from pipeline.run.staging import hold, staged_output

OLD = {"documents.parquet": "old documents", "facts.parquet": "old facts", "stats.json": "old stats"}
NEW = {"documents.parquet": "new documents", "facts.parquet": "new facts", "stats.json": "new stats"}


def contents(folder: Path) -> dict[str, str] | None:
    if not folder.is_dir():
        return None
    return {p.name: p.read_text() for p in folder.iterdir()}


def make_out(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def stage_new(out: Path) -> None:
    with staged_output(out) as stage:
        for name, text in NEW.items():
            (stage.path / name).write_text(text)


@pytest.fixture(params=["exchange", "journal"])
def swap(request, monkeypatch):
    """Both ways of swapping: renameat2's exchange, and the journalled renames used without it."""
    if request.param == "journal":
        monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    return request.param


def test_the_new_build_replaces_out_keeping_its_mode_and_the_users_files(tmp_path, swap):
    out = make_out(tmp_path / "out", {**OLD, "claims.parquet": "old claims", "notes.txt": "mine"})
    (out / "drafts").mkdir()
    (out / "drafts" / "a.md").write_text("draft")
    os.chmod(out, 0o750)
    stage_new(out)
    # claims.parquet was a build output: a build that no longer writes it drops it
    assert sorted(p.name for p in out.iterdir()) == sorted([*NEW, "notes.txt", "drafts"])
    assert all((out / name).read_text() == text for name, text in NEW.items())
    assert (out / "notes.txt").read_text() == "mine" and (out / "drafts" / "a.md").read_text() == "draft"
    assert os.stat(out).st_mode & 0o777 == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_a_symlinked_out_keeps_its_link_and_the_target_gets_the_build(tmp_path, swap):
    target = make_out(tmp_path / "data" / "curated", OLD)
    link = tmp_path / "curated"
    link.symlink_to(target)
    stage_new(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert contents(target) == NEW


def test_a_first_build_creates_out(tmp_path, swap):
    stage_new(tmp_path / "new" / "out")
    assert contents(tmp_path / "new" / "out") == NEW


def test_an_error_while_staging_leaves_out_untouched_and_nothing_beside_it(tmp_path, swap):
    out = make_out(tmp_path / "out", OLD)
    with pytest.raises(RuntimeError, match="writer failed"), staged_output(out) as stage:
        (stage.path / "documents.parquet").write_text("half")
        raise RuntimeError("writer failed")
    assert contents(out) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_recovery_removes_what_killed_builds_left_and_finishes_a_journalled_swap(tmp_path):
    # The state a kill leaves between the journalled swap's two renames: no out, the new build staged.
    make_out(tmp_path / ".out.stage-ab12cd34", NEW)
    make_out(tmp_path / ".out.old-0f0f0f0f", OLD)
    make_out(tmp_path / ".out.stage-99999999", {"documents.parquet": "a build killed while writing"})
    (tmp_path / ".out.swap").write_text(json.dumps({"stage": ".out.stage-ab12cd34", "old": ".out.old-0f0f0f0f"}))
    with hold(tmp_path / "out") as done:
        assert contents(tmp_path / "out") == NEW
    assert any("finished an interrupted swap" in line for line in done)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]
    (tmp_path / "out" / ".facts.parquet.k2j4h5g6.tmp").write_text("half a file")
    with hold(tmp_path / "out") as done:
        assert done == [
            f"removed {tmp_path / 'out' / '.facts.parquet.k2j4h5g6.tmp'}, a temporary file of an interrupted write"
        ]
    assert contents(tmp_path / "out") == NEW


def test_out_that_is_a_file_or_the_root_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(staging.OutputError, match="is a file, not a folder"):
        staging.output_folder(tmp_path / "file")
    with pytest.raises(staging.OutputError, match="root of the file system"):
        staging.output_folder(Path("/"))


# A process that publishes a build and kills itself (SIGKILL) at the K-th step: every call that
# changes the file system, before and after it. It runs as a fork of one light helper process
# (standard library and pipeline.run.staging only), which then looks at the folder, recovers
# through `hold` as the next command would, and reports; the test judges the reports.
KILLER = textwrap.dedent(
    """
    import json, os, shutil, signal, sys
    from pathlib import Path
    from pipeline.run import staging

    root, mode, old, new = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
    out = root / "out"

    def contents():
        return {p.name: p.read_text() for p in out.iterdir()} if out.is_dir() else None

    def publish(kill_at, report):
        steps = [0]

        def step():
            steps[0] += 1
            if steps[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        def instrumented(function):
            def call(*args, **kwargs):
                step()
                result = function(*args, **kwargs)
                step()
                return result
            return call

        for name in ("rename", "replace", "unlink", "fsync", "link", "mkdir", "rmdir", "chmod"):
            setattr(os, name, instrumented(getattr(os, name)))
        shutil.rmtree = instrumented(shutil.rmtree)
        staging.exchange = (lambda a, b: False) if mode == "journal" else instrumented(staging.exchange)
        with staging.staged_output(out) as stage:
            for name, text in new.items():
                step()
                (stage.path / name).write_text(text)
        os.write(report, str(steps[0]).encode())

    def attempt(kill_at):
        for entry in root.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        out.mkdir()
        for name, text in old.items():
            (out / name).write_text(text)
        read, write = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read)
            publish(kill_at, write)
            os._exit(0)
        os.close(write)
        steps = os.read(read, 32).decode()
        os.close(read)
        killed = os.WIFSIGNALED(os.waitpid(child, 0)[1])
        seen = contents()
        notices = []
        with staging.hold(out, notices.append):
            pass
        left = sorted(p.name for p in root.iterdir())
        return {"k": kill_at, "killed": killed, "steps": steps, "seen": seen, "recovered": contents(),
                "left": left, "waited": notices}

    total = int(attempt(0)["steps"])
    for kill_at in range(1, total + 2):
        print(json.dumps(attempt(kill_at)), flush=True)
    """
)


@pytest.mark.parametrize("mode", ["exchange", "journal"])
def test_a_kill_at_any_step_of_the_swap_leaves_the_old_or_the_new_build(tmp_path, mode):
    user = {"notes.txt": "mine"}  # a file of the user's, in --out: carried over, never lost
    old, new = {**OLD, **user}, {**NEW, **user}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(tmp_path), mode, json.dumps(old), json.dumps(NEW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(reports) > 20 and [r["killed"] for r in reports] == [True] * (len(reports) - 1) + [False]
    for report in reports:
        if mode == "exchange":  # an exchange is one step: never a moment without a complete --out
            assert report["seen"] in (old, new), report
        else:  # between the journalled renames there is none, until the next command recovers
            assert report["seen"] in (old, new, None), report
        assert report["recovered"] in (old, new), report
        assert report["left"] == [".out.lock", "out"], report  # no staging folder, journal or temporary
        assert report["waited"] == [], report  # the dead build's lock never blocks
    outcomes = [report["recovered"] == new for report in reports]
    assert outcomes[0] is False and outcomes[-1] is True  # both outcomes happen: the kills land throughout
    assert outcomes == sorted(outcomes)  # and once the new build is in place, it stays
    if mode == "journal":
        assert any(report["seen"] is None for report in reports)  # recovery had work to do
