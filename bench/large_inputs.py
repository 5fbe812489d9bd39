"""Large inputs: time and peak memory of `curate run` on one very large article, at 5, 20 and 50 MB.

Each input is made here from sentences written for this benchmark, in two shapes and two formats:

  repeated   one paragraph over and over (a crawl artefact: the worst case for claims)
  varied     distinct paragraphs (sentences combined from lists of muscles, actions and numbers)

as a text dump (`.txt`, one paragraph per block) and as an HTML page (`<p>` elements inside
`<article>`). Each build runs in its own subprocess (`--workers 1`: one process, so its peak RSS
is the build's), with `--no-cache` and `--max-bytes` raised above the input; it prints the wall
time, the peak RSS, time per MB (near-linear time keeps it flat) and the rows written.

Usage: python bench/large_inputs.py [--sizes 5 20 50] [--shapes repeated varied] [--formats txt html]
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1_000_000
MUSCLES = ["soleus", "gastrocnemius", "hamstrings", "gluteus medius", "tibialis anterior", "quadriceps", "hip flexors"]
ACTIONS = ["lifts the heel", "steadies the pelvis", "bends the knee", "straightens the hip", "raises the foot"]
PHASES = ["on a steep climb", "in the last mile", "at an easy pace", "during a sprint finish", "on loose gravel"]
REPEATED = (
    "On every stride the soleus and the gastrocnemius lift the heel, while the gluteus medius keeps the "
    "pelvis level; runners who train these muscles with calf raises and side planks report fewer aches."
)
# One build at a time, measured from outside: the wrapper's only child is the build.
MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
    "print(code, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def paragraphs(shape: str) -> itertools.cycle | itertools.chain:
    if shape == "repeated":
        return itertools.repeat(REPEATED)
    combos = itertools.product(range(1, 10_000_000), MUSCLES, ACTIONS, PHASES)
    return (
        f"In test {n} the {muscle} {action} {phase}, and a coach counted {n % 97 + 3} strides before it tired."
        for n, muscle, action, phase in combos
    )


def make_input(folder: Path, shape: str, fmt: str, size: int) -> Path:
    """An article of about `size` bytes in `folder`."""
    path = folder / f"{shape}-{size // MB}mb.{'html' if fmt == 'html' else 'txt'}"
    head, tail, wrap = ("Running Muscles Under Load\n\n", "", "{}\n\n")
    if fmt == "html":
        head = "<html><head><title>Running Muscles Under Load</title></head><body><article><h1>Running Muscles</h1>\n"
        tail, wrap = "</article></body></html>\n", "<p>{}</p>\n"
    written = len(head) + len(tail)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head)
        for text in paragraphs(shape):
            block = wrap.format(text)
            if written + len(block) > size:
                break
            handle.write(block)
            written += len(block)
        handle.write(tail)
    return path


def measure(path: Path, work: Path) -> dict[str, float]:
    raw, out = work / "raw", work / "out"
    raw.mkdir(exist_ok=True)
    for old in raw.iterdir():
        old.unlink()
    path.rename(raw / path.name)
    curate = Path(sys.executable).with_name("curate")
    command = [str(curate), "run", "--raw", str(raw), "--out", str(out), "--no-cache", "--workers", "1"]
    command += ["--max-bytes", str(200 * MB), "--decisions", str(work / "none.yaml"), "-q", "--force"]
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    code, seconds, rss_kib = done.stdout.split()
    stats = json.loads((out / "stats.json").read_text()) if (out / "stats.json").exists() else {}
    return {
        "exit": int(code),
        "seconds": float(seconds),
        "peak_rss_mb": int(rss_kib) / 1024,
        "blocks_kept": stats.get("strip", {}).get("blocks_kept", 0),
        "mentions": stats.get("muscles", {}).get("mentions", 0),
        "claims": stats.get("claims", {}).get("claims", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 50], help="input sizes in MB")
    parser.add_argument("--shapes", nargs="+", default=["repeated", "varied"], choices=["repeated", "varied"])
    parser.add_argument("--formats", nargs="+", default=["txt", "html"], choices=["txt", "html"])
    options = parser.parse_args()
    print(
        f"{'input':<22} {'exit':>4} {'time s':>8} {'s/MB':>6} {'peak RSS MB':>11} {'kept':>8} {'mentions':>9} {'claims':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="curate-large-") as tmp:
        work = Path(tmp)
        for shape, fmt, size in itertools.product(options.shapes, options.formats, options.sizes):
            path = make_input(work, shape, fmt, size * MB)
            started = time.perf_counter()
            row = measure(path, work)
            label = f"{shape} {fmt} {size} MB"
            print(
                f"{label:<22} {row['exit']:>4} {row['seconds']:>8.1f} {row['seconds'] / size:>6.2f} "
                f"{row['peak_rss_mb']:>11.0f} {row['blocks_kept']:>8} {row['mentions']:>9} {row['claims']:>8}",
                flush=True,
            )
            assert time.perf_counter() - started >= row["seconds"]


if __name__ == "__main__":
    main()
