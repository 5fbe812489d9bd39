"""Full-pipeline throughput: cold, warm and one-file-changed builds, peak memory, and the floor.

A corpus of N documents is made from the 60 development pages (as HTML and as text dumps) and
the five seed articles, each copy given a small unique edit so that neither ingest nor the
cache can treat two copies as one. For each N it prints:

  cold        `curate run` with an empty cache: documents/s and words/s
  warm        the same build again, nothing changed (target: <= 2 % of cold at N = 1,000)
  warm, all   the same with --force: every document from the cache, reconcile and write in full
  changed     one file edited (target: <= 10 % of cold at N = 1,000, <= 5 % at N = 5,000); timed
              for --changed-runs different files, one after another, reporting the median
              (one run varies by about 15 % on a 2-core machine)
  peak RSS    the most memory the build's processes held together (target: < 1.5 GB at N = 5,000)
  floor       the libraries alone on the same documents, one process: trafilatura.extract for
              the HTML, spacy.blank("en") tokenisation of all the text. The build runs one
              worker per core, so its throughput per core is floor / cold / cores
              (target: >= 0.5 at N = 1,000 and 5,000)

and, for corpora up to --dask-max documents, the dask engine (LocalCluster) against the local
engine on the same corpus, both without the cache. Peak RSS sums the build's process tree, so
pages the pool workers share with the parent they forked from are counted twice.
Builds run as subprocesses of the installed `curate`, as a user would run them.

Usage: python bench/throughput.py [--sizes 100 1000 5000] [--dask-max 1000] [--changed-runs 3] [--data DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy
import trafilatura

from pipeline.strip.htmldump import html_to_dump

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = PROJECT / ".." / "shared" / "benchmarks" / "article-extraction-dev"
CURATE = Path(sys.executable).with_name("curate")
WORD = re.compile(r"\w+")
# How often the memory of the build's process tree is sampled.
RSS_SAMPLE_S = 0.1


def sources(data: Path) -> list[tuple[str, str]]:
    """(extension, content) of every base document: dev pages as HTML and as dumps, then seeds."""
    pages = []
    for page in sorted((data / "html").glob("*.html.gz")):
        with gzip.open(page, "rt", errors="replace") as handle:
            pages.append(handle.read())
    base = [("html", page) for page in pages] + [("txt", html_to_dump(page)) for page in pages]
    base += [("txt", path.read_text()) for path in sorted((PROJECT / "raw").glob("*.txt"))]
    return base


def perturbed(extension: str, content: str, i: int) -> str:
    note = f"Reader note {i}: this copy is number {i} of the benchmark corpus."
    if extension == "html":
        return content.replace("</body>", f"<p>{note}</p></body>", 1) if "</body>" in content else content + note
    return content + f"\n\n{note}\n"


def make_corpus(folder: Path, base: list[tuple[str, str]], n: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        extension, content = base[i % len(base)]
        path = folder / f"doc{i:05d}.{extension}"
        path.write_text(perturbed(extension, content, i), encoding="utf-8")
        paths.append(path)
    return paths


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, AttributeError):
            continue
    return total


def timed_build(raw: Path, out: Path, cache: Path, *extra: str) -> tuple[float, int]:
    """Seconds and peak tree RSS of one `curate run`."""
    args = [str(CURATE), "run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache)]
    args += ["--decisions", str(out / "no-decisions.yaml"), "-q", *extra]
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(RSS_SAMPLE_S)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"curate run failed with exit status {process.returncode}")
    return elapsed, peak


def floor(paths: list[Path]) -> tuple[float, int, int]:
    """Seconds for the libraries alone, the tokens they made, and the words of article text.

    The words (what the pipeline reads: extracted text for HTML, the dump for text) are counted
    after the clock stops, from the same extracted text.
    """
    nlp = spacy.blank("en")
    tokens, texts = 0, []
    start = time.perf_counter()
    for path in paths:
        content = path.read_text(encoding="utf-8")
        text = (trafilatura.extract(content) or "") if path.suffix == ".html" else content
        tokens += len(nlp.tokenizer(text))
        texts.append(text)
    seconds = time.perf_counter() - start
    return seconds, tokens, sum(len(WORD.findall(text)) for text in texts)


def phases(out: Path) -> str:
    """The build's own timings of its phases, as its manifest.json records them."""
    timings = json.loads((out / "manifest.json").read_text())["timings_s"]
    return ", ".join(f"{name.replace('_', ' ')} {seconds:.2f} s" for name, seconds in timings.items())


def rate(n: int, words: int, seconds: float) -> str:
    return f"{n / seconds:8.1f} docs/s {words / seconds / 1000:8.1f}k words/s {seconds:8.1f} s"


def edited_files(n: int, runs: int) -> list[int]:
    """Which documents the changed builds edit, a different one each, from n // 2 on, 61 apart:
    the corpus cycles through the pages as HTML, then as text dumps, so the edits fall on both
    formats. A small corpus, where that steps onto a file already taken, takes the next one."""
    chosen: list[int] = []
    step = 0
    while len(chosen) < min(runs, n):
        index = (n // 2 + step * 61) % n
        while index in chosen:
            index = (index + 1) % n
        chosen.append(index)
        step += 1
    return chosen


def bench_size(
    base: list[tuple[str, str]], n: int, dask_max: int, root: Path, changed_runs: int = 3
) -> dict[str, float]:
    raw, out, cache = root / f"raw{n}", root / f"out{n}", root / f"cache{n}"
    paths = make_corpus(raw, base, n)
    floor_s, floor_tokens, words = floor(paths)
    print(f"\nN = {n}: {words:,} words ({sum(p.suffix == '.html' for p in paths)} HTML), {os.cpu_count()} cores")
    cold, cold_rss = timed_build(raw, out, cache)
    warm, warm_rss = timed_build(raw, out, cache)
    forced, forced_rss = timed_build(raw, out, cache, "--force")
    runs = []
    for index in edited_files(n, changed_runs):
        paths[index].write_text(paths[index].read_text(encoding="utf-8") + "\n\nOne more edited line.\n")
        runs.append((*timed_build(raw, out, cache), phases(out)))
    changed, changed_rss, changed_phases = sorted(runs)[(len(runs) - 1) // 2]  # the lower middle
    changed_spread = ", ".join(f"{seconds:.1f}" for seconds, _, _ in runs)
    peak = max(cold_rss, warm_rss, forced_rss, *(rss for _, rss, _ in runs))
    print(f"  cold       {rate(n, words, cold)}   peak RSS {cold_rss / 2**20:7.0f} MiB")
    print(f"  warm       {rate(n, words, warm)}   peak RSS {warm_rss / 2**20:7.0f} MiB   {warm / cold:6.1%} of cold")
    print(
        f"  warm, all  {rate(n, words, forced)}   peak RSS {forced_rss / 2**20:7.0f} MiB   {forced / cold:6.1%} of cold"
    )
    print("             (--force: every document from the cache; reconcile and write run in full)")
    print(
        f"  changed    {rate(n, words, changed)}   peak RSS {changed_rss / 2**20:7.0f} MiB   {changed / cold:6.1%} of cold"
    )
    print(f"             (median of {len(runs)} builds, each after one more file was edited: {changed_spread} s;")
    print(f"             that build's phases, from its manifest: {changed_phases})")
    print(f"  floor      {rate(n, words, floor_s)}   (one process; {floor_tokens:,} spaCy tokens)")
    cores = os.cpu_count() or 1
    print(
        f"  cold / floor throughput: {floor_s / cold:.2f} ({cores} worker processes; per core"
        f" {floor_s / cold / cores:.2f})   peak RSS of any build: {peak / 2**20:.0f} MiB"
    )
    if n <= dask_max:
        local, _ = timed_build(raw, out, cache, "--no-cache", "--force")
        dask, dask_rss = timed_build(raw, out, cache, "--no-cache", "--force", "--engine", "dask")
        print(f"  local, no cache {rate(n, words, local)}")
        print(
            f"  dask, no cache  {rate(n, words, dask)}   peak RSS {dask_rss / 2**20:7.0f} MiB   dask/local {dask / local:.2f}"
        )
    shutil.rmtree(cache)
    return {"cold": cold, "warm": warm, "floor": floor_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument(
        "--dask-max", type=int, default=1000, help="also time the dask engine on corpora up to this size (0: never)"
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--changed-runs", type=int, default=3, help="changed builds to time, each editing one more file"
    )
    args = parser.parse_args()
    if not (args.data / "html").is_dir():
        raise SystemExit(f"{args.data}/html not found: the benchmark needs ../shared/benchmarks beside the project")
    base = sources(args.data)
    figures = {}
    with tempfile.TemporaryDirectory(prefix="curate-throughput-") as tmp:
        for n in args.sizes:
            figures[n] = bench_size(base, n, args.dask_max, Path(tmp), max(1, args.changed_runs))
    if len(figures) > 1:
        print("\nScaling (seconds per 1,000 documents; flat means linear in N):")
        for n, f in figures.items():
            print(f"  N = {n:>6}: cold {f['cold'] / n * 1000:6.1f} s   floor {f['floor'] / n * 1000:6.1f} s")


if __name__ == "__main__":
    main()
