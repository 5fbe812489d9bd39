"""Boilerplate benchmark: how much of each page's article body survives, and how little else.

Reads the development set in ../shared/benchmarks/article-extraction-dev/ (HTML pages and their
gold article bodies) and prints one table. Scores are shared word-4-gram precision, recall and
F1: per page, true/false positives and false negatives are counted over the multisets of
4-grams of `\\w+` tokens and normalised to sum to one; precision and recall are averaged over
pages, and F1 is the harmonic mean of the two averages (the benchmark's own convention).

Systems:
  html: trafilatura.extract   plain trafilatura, default settings
  html: ours                  the pipeline's HTML path (pipeline.strip.html)
  text: raw dump              the page's text dump, uncleaned (baseline)
  text: jusText               jusText on the dump's lines, each wrapped as a paragraph
  text: ours                  the pipeline's text-dump cleaner (pipeline.strip.textclean)

The text dump of a page follows the recipe in pipeline.strip.htmldump: drop script, style, noscript
and template; newline at every block boundary; collapse runs of spaces.

Usage: python bench/boilerplate.py [--data DIR] [--per-page]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import justext
import trafilatura

from pipeline.ingest.read import decode
from pipeline.records import Document
from pipeline.strip.html import strip_boilerplate
from pipeline.strip.htmldump import html_to_dump
from pipeline.strip.textclean import WORD, clean_text, detect_stoplist

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "article-extraction-dev"
TOKEN = re.compile(r"\w+")
NGRAM = 4


def shingles(text: str) -> Counter:
    tokens = TOKEN.findall(text or "")
    if len(tokens) < NGRAM:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over shared 4-grams of one page."""
    gold_ngrams, pred_ngrams = shingles(gold), shingles(predicted)
    tp = sum((gold_ngrams & pred_ngrams).values())
    fp = sum((pred_ngrams - gold_ngrams).values())
    fn = sum((gold_ngrams - pred_ngrams).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(precision, recall, F1) averaged over pages as the benchmark does."""
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_pages(data_dir: Path) -> list[tuple[str, str, str]]:
    """(page id, decoded HTML, gold article body) for every page."""
    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(gold):
        raw = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
        markup, _ = decode(raw)
        pages.append((page_id, markup, gold[page_id].get("articleBody", "")))
    return pages


def trafilatura_plain(markup: str, dump: str) -> str:
    return trafilatura.extract(markup) or ""


def ours_html(markup: str, dump: str) -> str:
    doc = Document(doc_id="bench", source_path="bench.html", format="html", text=markup)
    _, blocks = strip_boilerplate(doc)
    return "\n".join(b.text for b in blocks if b.kept)


def raw_dump(markup: str, dump: str) -> str:
    return dump


def justext_on_dump(markup: str, dump: str) -> str:
    lines = [line for line in dump.splitlines() if line.strip()]
    language = detect_stoplist(WORD.findall(dump.lower())) or "English"
    wrapped = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    paragraphs = justext.justext(wrapped, justext.get_stoplist(language))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def ours_text(markup: str, dump: str) -> str:
    return "\n".join(b.text for b in clean_text(dump).blocks if b.kept)


SYSTEMS: list[tuple[str, Callable[[str, str], str]]] = [
    ("html: trafilatura.extract", trafilatura_plain),
    ("html: ours", ours_html),
    ("text: raw dump", raw_dump),
    ("text: jusText", justext_on_dump),
    ("text: ours", ours_text),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--per-page", action="store_true", help="also print per-page F1 of our text path")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmark data not found in {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data)
    dumps = [html_to_dump(markup) for _, markup, _ in pages]
    print(f"{len(pages)} pages from {args.data.resolve()}\n")
    print(f"{'system':<28}{'precision':>10}{'recall':>10}{'F1':>8}{'s/page':>9}")
    for name, system in SYSTEMS:
        started = time.perf_counter()
        counts = [
            page_counts(gold, system(markup, dump)) for (_, markup, gold), dump in zip(pages, dumps, strict=False)
        ]
        seconds = (time.perf_counter() - started) / len(pages)
        precision, recall, f1 = score(counts)
        print(f"{name:<28}{precision:>10.3f}{recall:>10.3f}{f1:>8.3f}{seconds:>9.3f}")
        if args.per_page and name == "text: ours":
            for (page_id, _, _), c in zip(pages, counts, strict=False):
                p, r = _precision(*c), _recall(*c)
                print(f"    {page_id[:12]}  P={p:.2f} R={r:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
