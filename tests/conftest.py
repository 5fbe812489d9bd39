from __future__ import annotations

import atexit
import faulthandler
import os
import shutil
import sys
import tempfile
from pathlib import Path

# Builds made by the tests cache into a folder of their own, never the project's .cache/, and
# the folder goes when the session ends (builds the tests start as subprocesses inherit it).
if "CURATE_CACHE_DIR" not in os.environ:
    os.environ["CURATE_CACHE_DIR"] = tempfile.mkdtemp(prefix="curate-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CURATE_CACHE_DIR"], ignore_errors=True)

import pytest

PROJECT = Path(__file__).resolve().parents[1]
RAW = PROJECT / "raw"


# A time long before any build: files dated to it can be trusted by the cache's input index.
LONG_AGO = 1_600_000_000


@pytest.fixture
def saved_long_ago():
    """Date a file, or every file of a folder, back to long before any build (`later` seconds
    after that), as files saved well before the build that reads them."""

    def date_back(path: Path, later: int = 0) -> None:
        for file in path.iterdir() if path.is_dir() else [path]:
            os.utime(file, (LONG_AGO + later, LONG_AGO + later))

    return date_back


@pytest.fixture
def raw_dir() -> Path:
    return RAW


@pytest.fixture
def article_text() -> str:
    """A small article written for the tests: a title, headings, prose and a list."""
    return (
        "Why Runners Need Strong Calves\n\n"
        "Your calves do more work on a run than most people expect, and they deserve some attention.\n\n"
        "What The Calves Do\n\n"
        "The calf muscles lift your heel off the ground with every stride, and they absorb a large part of the "
        "landing force before it reaches the knee. When they tire, your stride shortens and your form starts to fade.\n\n"
        "Weak calves are often linked to sore shins and a stiff ankle, which is why many coaches add calf work "
        "to the weekly plan of every runner they train, from beginners to marathoners.\n\n"
        "Exercises To Try\n\n"
        "• Calf raises: rise onto your toes and lower slowly.\n"
        "• Heel drops: lower your heels off a step to load the tendon.\n\n"
        "Add these exercises to two sessions a week and you will feel the difference on hills and in the last miles "
        "of a long run, when the calves usually give out first.\n"
    )


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """One build of raw/ with no decisions, shared read-only by the page tests (copy it to change it)."""
    from pipeline import cli

    out = tmp_path_factory.mktemp("seed-build") / "curated"
    decisions = out.parent / "decisions.yaml"
    args = ["run", "--raw", str(RAW), "--out", str(out), "--decisions", str(decisions), "-q"]
    assert cli.main(args) == cli.EXIT_OK
    return out


@pytest.fixture
def review_server(seed_build, raw_dir, tmp_path):
    """`curate review --web` on a copy of the seed build, on a free port, in a thread of its own."""
    import argparse
    import shutil
    import threading

    from pipeline.review.terminal import ReviewContext
    from pipeline.review.web import ReviewServer, rebuild_command

    out = tmp_path / "curated"
    shutil.copytree(seed_build, out)
    decisions = tmp_path / "decisions.yaml"
    args = argparse.Namespace(
        raw=raw_dir, out=out, decisions=decisions, cache_dir=tmp_path / "cache", max_bytes=1 << 24,
        engine="local", workers=1, scheduler=None, no_cache=False,
    )  # fmt: skip
    server = ReviewServer(ReviewContext(out, decisions, "ana"), rebuild_command(args), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def watchdog():
    """A test of something that must never block (a FIFO among the inputs) ends the run with a
    traceback after two minutes instead of hanging it."""
    faulthandler.dump_traceback_later(120, exit=True, file=sys.__stderr__)
    yield
    faulthandler.cancel_dump_traceback_later()
