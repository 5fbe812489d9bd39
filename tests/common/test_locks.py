"""The lock: waits (saying for whom) while another process holds it; never outlives its holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

from pipeline.common.locks import exclusive_lock, holder_of

HOLDER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from pipeline.common.locks import exclusive_lock

    with exclusive_lock(Path(sys.argv[1]), "the test resource"):
        if sys.argv[2] == "fork":
            child = os.fork()
            if child == 0:  # a worker that outlives its parent, as a pool worker would
                time.sleep(60)
                os._exit(0)
            print(child, flush=True)
        print("held", flush=True)
        sys.stdin.readline()
    """
)


def _hold(path, mode="plain"):
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    lines = [process.stdout.readline().strip()]
    if mode == "fork":
        lines.append(process.stdout.readline().strip())
    assert lines[-1] == "held"
    return process, lines


def test_a_second_process_waits_and_names_the_holder(tmp_path):
    path = tmp_path / ".lock"
    holder, _ = _hold(path)
    notices, acquired = [], threading.Event()

    def take():
        with exclusive_lock(path, "the test resource", notices.append):
            acquired.set()

    waiter = threading.Thread(target=take)
    waiter.start()
    time.sleep(0.5)
    assert not acquired.is_set()
    assert notices == [f"waiting for the test resource: {path} is locked by process {holder.pid}"]
    holder.communicate("\n", timeout=10)
    waiter.join(timeout=10)
    assert acquired.is_set()


def test_a_killed_holder_leaves_no_lock_behind_even_with_live_children(tmp_path):
    path = tmp_path / ".lock"
    holder, (child, _) = _hold(path, "fork")
    try:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        assert holder_of(path) is None or holder_of(path) != holder.pid
        notices = []
        started = time.monotonic()
        with exclusive_lock(path, "the test resource", notices.append):
            assert holder_of(path) == os.getpid()
        assert notices == [] and time.monotonic() - started < 5
    finally:
        os.kill(int(child), signal.SIGKILL)


TRY = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pipeline.common.locks import LockBusy, exclusive_lock

    try:
        with exclusive_lock(Path(sys.argv[1]), "the test resource", blocking=False):
            print("free")
    except LockBusy as busy:
        print(busy)
    """
)


def _try_from_another_process(path) -> str:
    done = subprocess.run([sys.executable, "-c", TRY, str(path)], capture_output=True, text=True, timeout=30)
    return done.stdout.strip()


def test_taking_a_held_lock_again_in_the_same_process_does_not_release_it(tmp_path):
    path = tmp_path / ".lock"
    with exclusive_lock(path, "the test resource"):
        with exclusive_lock(path, "the test resource"):
            pass
        # A POSIX lock is dropped when its process closes any descriptor of the file: the
        # nested block must not have opened (and closed) one.
        assert _try_from_another_process(path) == f"the test resource: {path} is locked by another process"
    assert _try_from_another_process(path) == "free"
