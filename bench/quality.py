"""Extraction quality against hand-annotated gold: the development set, then the seed articles.

Each corpus is built into a temporary folder with the pipeline (`curate run`) and scored with
`curate evaluate`; the two summaries print one after the other, so a change that helps one side
and hurts the other shows at once:

  dev set  the articles of ../shared/dev-articles/gold.yaml (--gold), whose texts are kept
           outside the repository as <key>.txt in /tmp/dev-articles (--dev-raw); skipped with a
           message when either is missing
  seeds    raw/ against bench/seed_gold.yaml (muscle keys are lexicon ids)

Printed per corpus: muscles precision/recall, claims precision/recall overall and per relation,
and the shares of content lines kept and boilerplate lines removed. --report prints each full
`curate evaluate` report too (missed claims, extra claims with their sentences).

Usage: python bench/quality.py [--gold FILE] [--dev-raw DIR] [--cache-dir DIR] [--report]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pipeline import cli
from pipeline.evaluate import evaluate
from pipeline.evaluate.report import format_report, format_summary

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = (PROJECT / ".." / "shared" / "dev-articles" / "gold.yaml").resolve()
DEFAULT_DEV_RAW = Path("/tmp/dev-articles")
SEED_RAW = PROJECT / "raw"
SEED_GOLD = PROJECT / "bench" / "seed_gold.yaml"
# The stage cache is keyed by content and code, so a cache kept between runs is safe and makes
# a rerun after a small change take seconds; it lives outside the project like any scratch data.
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "curate-quality-cache"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold file of the development set")
    parser.add_argument("--dev-raw", type=Path, default=DEFAULT_DEV_RAW, help="folder of the development texts")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="stage cache for the builds")
    parser.add_argument("--report", action="store_true", help="also print each full evaluation report")
    return parser.parse_args()


def build(raw: Path, out: Path, cache: Path) -> None:
    """Build raw into out as `curate run` does; the project's decisions play no part in the scores."""
    argv = ["run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache), "-q", "--force"]
    argv += ["--decisions", str(out.parent / "no-decisions.yaml")]
    if cli.main(argv) == cli.EXIT_CANNOT_RUN:
        sys.exit(f"quality: the build of {raw} failed")


def score(title: str, raw: Path, gold: Path, args: argparse.Namespace, scratch: Path) -> None:
    """Build one corpus and print its summary (and, with --report, the full report)."""
    out = scratch / title.split()[0]
    out.mkdir()
    build(raw, out, args.cache_dir)
    evaluation = evaluate(gold, out, raw)
    if args.report:
        print(format_report(evaluation))
    print(format_summary(evaluation, f"{title} ({gold})"))


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="curate-quality-") as scratch:
        missing = [path for path in (args.dev_raw, args.gold) if not path.exists()]
        if missing:
            print(f"dev set: skipped, {missing[0]} does not exist")
        else:
            score("dev set", args.dev_raw, args.gold, args, Path(scratch))
        print()
        score("seeds", SEED_RAW, SEED_GOLD, args, Path(scratch))


if __name__ == "__main__":
    main()
