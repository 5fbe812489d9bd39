"""Fault injection on real builds: kills while documents are processed and at random moments of
the write phase, and two builds on one --out. After each, --out holds the complete old or the
complete new build, and the next command runs to completion without waiting for anything."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline import cli

CURATE = [sys.executable, "-m", "pipeline"]
# Seeded, so that a failure can be replayed; the moments are printed with any failure.
SEED = 15


def snapshot(out: Path) -> dict[str, bytes]:
    """The dataset's files (the manifest aside: it records a time, so it differs between builds)."""
    files = (p for p in sorted(out.rglob("*")) if p.is_file() and p.name != "manifest.json")
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def manifest_matches(out: Path) -> bool:
    manifest = json.loads((out / "manifest.json").read_text())
    digests = {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in manifest["outputs"]}
    return digests == manifest["outputs"] and set(manifest["outputs"]) == set(snapshot(out))


ARTICLE = (
    "Strong Shins For Hill Runners\n\n"
    "Hill running asks a lot of the front of the lower leg, and the tibialis anterior does much of that work.\n\n"
    "The tibialis anterior lifts the foot as the leg swings forward, so the toes clear the slope on every "
    "stride. When it tires, the foot slaps down and the shin starts to ache after a long climb.\n\n"
    "Toe raises against a wall strengthen the tibialis anterior; do them slowly, two sets a day.\n"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory, request):
    """raw-old: the seeds; raw: the seeds, more articles and one written for the tests. `old` is
    a build of raw-old, `ref/out` the build of raw that every interrupted build must end with."""
    work = tmp_path_factory.mktemp("faults")
    raw_dir = request.config.rootpath / "raw"
    shutil.copytree(raw_dir, work / "raw-old")
    shutil.copytree(raw_dir, work / "raw")
    (work / "raw" / "shins.txt").write_text(ARTICLE)
    for number, source in enumerate(sorted(raw_dir.glob("*.txt"))):
        (work / "raw" / f"variant-{number}.txt").write_text(
            source.read_text() + f"\n\nA note added in edition {number}.\n"
        )
    shutil.copytree(work / "raw", work / "raw-many")  # for builds killed while processing documents
    for number, source in enumerate(sorted(raw_dir.glob("*.txt")) * 4):
        (work / "raw-many" / f"more-{number}.txt").write_text(source.read_text() + f"\n\nPrinting number {number}.\n")
    (work / "decisions.yaml").write_text("decisions:\n")
    assert build(work, work / "old" / "out", raw="raw-old") == cli.EXIT_OK
    assert build(work, work / "ref" / "out") == cli.EXIT_OK
    return work


def args(work: Path, out: Path, raw: str = "raw") -> list[str]:
    return ["run", "--raw", str(work / raw), "--out", str(out), "--decisions", str(work / "decisions.yaml"), "-q"]


def build(work: Path, out: Path, raw: str = "raw") -> int:
    return cli.main(args(work, out, raw))


def fresh_old(work: Path, case: str) -> Path:
    """A copy of the old build, at the same depth as the reference (review.html links to ../raw)."""
    out = work / case / "out"
    shutil.rmtree(work / case, ignore_errors=True)
    shutil.copytree(work / "old" / "out", out)
    return out


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running: neither gone nor a zombie waiting to be reaped (a zombie holds no files)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def next_build_finishes(work: Path, out: Path, capsys) -> None:
    capsys.readouterr()
    assert build(work, out) == cli.EXIT_OK
    assert "waiting for" not in capsys.readouterr().err  # no lock left behind by the killed build
    assert snapshot(out) == snapshot(work / "ref" / "out") and manifest_matches(out)
    assert sorted(p.name for p in out.parent.iterdir()) == [".out.lock", "out"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
@pytest.mark.parametrize(
    ("engine", "signum"),
    [("local", signal.SIGKILL), ("local", signal.SIGTERM), ("dask", signal.SIGKILL)],
)
def test_a_kill_while_documents_are_processed_takes_the_workers_with_it(project, engine, signum, capsys):
    if engine == "dask":
        pytest.importorskip("distributed")
    out = fresh_old(project, f"documents-{engine}-{signum}")
    old = snapshot(out)
    # 31 documents without the cache: the kill lands while they are processed, well before writing
    command = [*CURATE, *args(project, out, raw="raw-many"), "--no-cache", "--workers", "2", "--engine", engine]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(workers := children(process.pid)) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the build finished or failed before its workers started"
    time.sleep(0.5 if engine == "local" else 3)  # the workers are busy with documents now (Dask's start slower)
    workers = children(process.pid)
    process.send_signal(signum)
    # Orphaned workers would keep the build's stderr open: reading it to the end would hang.
    _, stderr = process.communicate(timeout=30)
    expected = {signal.SIGKILL: -signal.SIGKILL, signal.SIGTERM: 143}[signum]
    assert process.returncode == expected, stderr
    if signum != signal.SIGKILL:
        assert f"curate: stopped by {signal.Signals(signum).name}; {out} holds the last complete build" in stderr
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
    assert snapshot(out) == old
    assert sorted(p.name for p in out.parent.iterdir()) == [".out.lock", "out"]  # never got to staging
    next_build_finishes(project, out, capsys)


# Runs a build that says on stdout when its write phase starts. "hold": it then waits for a line
# on stdin. "kill:K": it kills itself (SIGKILL) at the K-th step of the write phase, a step being
# each call that changes the file system, before and after it; "count" reports the steps.
ANNOUNCING = textwrap.dedent(
    """
    import contextlib, os, shutil, signal, sys
    from pipeline import cli
    from pipeline.run import outputs, staging

    mode, staged, steps, swapped = sys.argv[1], outputs.staged_output, [0], [0]

    def step():
        steps[0] += 1
        if mode == f"kill:{steps[0]}":
            os.kill(os.getpid(), signal.SIGKILL)

    def instrumented(function):
        def call(*args, **kwargs):
            step()
            result = function(*args, **kwargs)
            step()
            return result
        return call

    @contextlib.contextmanager
    def announced(out):
        print("writing", flush=True)
        if mode == "hold":
            sys.stdin.readline()
        for name in ("rename", "replace", "unlink", "fsync", "link", "mkdir", "chmod", "write"):
            setattr(os, name, instrumented(getattr(os, name)))
        shutil.rmtree = instrumented(shutil.rmtree)
        exchange = instrumented(staging.exchange)

        def exchanged(a, b):
            done = exchange(a, b)
            swapped[0] = steps[0]
            return done

        staging.exchange = exchanged
        with staged(out) as stage:
            yield stage
        print(f"published after {steps[0]} steps, swapped at step {swapped[0]}", flush=True)

    outputs.staged_output = announced
    sys.exit(cli.main(sys.argv[2:]))
    """
)


def start_announcing(project: Path, out: Path, mode: str = "go") -> subprocess.Popen:
    """Start a build; return it once it is writing."""
    process = subprocess.Popen(
        [sys.executable, "-c", ANNOUNCING, mode, *args(project, out), "--force"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "writing\n", process.communicate()[1]
    return process


def test_a_kill_at_random_steps_of_the_write_phase_leaves_the_old_or_the_new_build(project, capsys):
    out = fresh_old(project, "write")
    process = start_announcing(project, out, "count")
    words = process.communicate(timeout=60)[0].split()
    steps, swapped = int(words[2]), int(words[-1])
    assert process.returncode == cli.EXIT_OK and 50 < swapped < steps
    old, new = snapshot(project / "old" / "out"), snapshot(project / "ref" / "out")
    # One step while the outputs are written, one after the swap, one anywhere.
    pick = random.Random(SEED)
    chosen = sorted({pick.randint(1, swapped - 1), pick.randint(swapped, steps), pick.randint(1, steps)})
    outcomes = []
    for kill_at in chosen:
        out = fresh_old(project, "write")
        process = start_announcing(project, out, f"kill:{kill_at}")
        process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        seen = snapshot(out)  # before any recovery: renameat2 leaves no moment without a whole build
        assert seen in (old, new), f"killed at step {kill_at} of {steps}: a mixed dataset"
        if seen == new:
            assert manifest_matches(out)
        assert seen == (new if kill_at >= swapped else old)
        outcomes.append("new" if seen == new else "old")
        next_build_finishes(project, out, capsys)
    print(f"write phase of {steps} steps, swap at {swapped}; kills at steps {chosen} left {outcomes}")


def test_two_builds_on_one_out_take_turns_and_say_so(project):
    out = fresh_old(project, "concurrent")
    first = start_announcing(project, out, "hold")  # owns --out from its start; paused as it writes
    lock = project / "concurrent" / ".out.lock"
    assert lock.read_text().strip() == str(first.pid)
    # Without --force: once the first build is done, the second finds --out up to date.
    second = subprocess.Popen([*CURATE, *args(project, out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    waiting = second.stderr.readline()  # the second build says whom it waits for, then waits
    assert waiting == f"waiting for the output folder {out}: {lock} is locked by process {first.pid}\n"
    time.sleep(0.5)
    assert second.poll() is None  # still waiting
    first.communicate("go on\n", timeout=60)
    assert first.returncode == cli.EXIT_OK
    _, rest = second.communicate(timeout=120)
    assert second.returncode == cli.EXIT_OK, rest
    assert snapshot(out) == snapshot(project / "ref" / "out") and manifest_matches(out)
    assert sorted(p.name for p in out.parent.iterdir()) == [".out.lock", "out"]


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_a_signal_in_the_write_phase_removes_the_staging_folder_and_keeps_the_old_build(
    project, monkeypatch, capsys, signum, status
):
    from pipeline.run import outputs

    out = fresh_old(project, f"signal-{signum}")
    old = snapshot(out)
    real = outputs.write_review_page

    def interrupted(path, *rest):
        real(path, *rest)
        assert path.parent.name.startswith(".out.stage-")  # half the outputs are staged
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler raises in here
        pytest.fail("the signal did not stop the build")

    monkeypatch.setattr(outputs, "write_review_page", interrupted)
    assert cli.main([*args(project, out), "--force"]) == status
    assert f"curate: stopped by {signal.Signals(signum).name}; {out} holds the last complete build" in (
        capsys.readouterr().err
    )
    assert snapshot(out) == old
    assert sorted(p.name for p in out.parent.iterdir()) == [".out.lock", "out"]
    assert signal.getsignal(signum) in (signal.default_int_handler, signal.SIG_DFL)  # handlers restored
