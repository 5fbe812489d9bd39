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

For our text path it also prints the per-page F1 (`--per-page`), the worst pages and the English
pages (by their gold body's stoplist) under F1 0.5 whose gold body has at least 300 characters.

When the development articles are present (`/tmp/dev-articles/<key>.txt` and
`../shared/dev-articles/gold.yaml`), it also measures lines: the share of content lines kept (a
title moved to the title column counts as kept; a last line cut mid-word by the excerpt may go)
and the share of the gold's boilerplate lines removed. The gold lists the opening words of each
boilerplate line, in file order; every other non-empty line is content. `--lines` lists the
lines wrongly removed or kept, on the terminal only.

Usage: python bench/boilerplate.py [--data DIR] [--per-page] [--worst N] [--lines]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import justext
import trafilatura
import yaml

from pipeline.evaluate.lines import LineScore, score_lines
from pipeline.ingest.read import decode
from pipeline.records import Document
from pipeline.strip.html import strip_boilerplate
from pipeline.strip.htmldump import html_to_dump
from pipeline.strip.textclean import WORD, clean_text, detect_stoplist

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DEFAULT_DATA = SHARED / "benchmarks" / "article-extraction-dev"
DEFAULT_ARTICLES = Path(os.environ.get("DEV_ARTICLES", "/tmp/dev-articles"))
DEFAULT_ARTICLE_GOLD = SHARED / "dev-articles" / "gold.yaml"
# The floor: no English page under this F1 unless its gold body is shorter than
# MIN_GOLD_CHARS (a gold body that short is mostly a caption or a teaser).
LOW_F1 = 0.5
MIN_GOLD_CHARS = 300
# An excerpt's last line cut mid-word ends in a letter or digit without sentence punctuation.
EXCERPT_CUT = re.compile(r"\w$")
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


def page_f1(c: tuple[float, float, float]) -> float:
    p, r = _precision(*c), _recall(*c)
    return 2 * p * r / (p + r) if p + r else 0.0


def report_pages(pages: list[tuple[str, str, str]], counts: list[tuple[float, float, float]], args) -> None:
    """Per-page F1 of our text path: its mean, the worst pages, the English pages under the floor."""
    rows = []
    for (page_id, _, gold), c in zip(pages, counts, strict=True):
        language = detect_stoplist(WORD.findall(gold.lower())) or "-"
        rows.append((page_f1(c), page_id, _precision(*c), _recall(*c), len(gold), language))
    print(f"\ntext: ours, per page: mean F1 {statistics.mean(r[0] for r in rows):.3f}")
    shown = sorted(rows) if args.per_page else sorted(rows)[: args.worst]
    print(f"{'page':<14}{'F1':>6}{'P':>6}{'R':>6}{'gold chars':>11}  language")
    for f1, page_id, p, r, n_chars, language in shown:
        print(f"{page_id[:12]:<14}{f1:>6.2f}{p:>6.2f}{r:>6.2f}{n_chars:>11}  {language}")
    low = [r for r in rows if r[5] == "English" and r[0] < LOW_F1 and r[4] >= MIN_GOLD_CHARS]
    print(f"English pages under F1 {LOW_F1} (gold >= {MIN_GOLD_CHARS} chars): {len(low)}", end="")
    print(": " + ", ".join(r[1][:12] for r in low) if low else "")


def score_article(text: str, openings: list[str]) -> LineScore:
    """The article's lines scored as `curate evaluate` scores them, on the cleaner's blocks; the
    excerpt's last line, when cut mid-word, does not count if it was removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = [
        {"kind": b.kind, "kept": b.kept, "removal_reason": b.reason, "line_start": b.line_start, "line_end": b.line_end}
        for b in clean_text(text).blocks
    ]
    score = score_lines(lines, tuple(openings), blocks)
    for opening in score.unmatched:
        print(f"    gold opening not found: {opening[:40]!r}", file=sys.stderr)
    last = max((i for i, line in enumerate(lines, 1) if line.strip()), default=0)
    cut = [line for line in score.wrongly_removed if line.number == last and EXCERPT_CUT.search(line.text)]
    if cut:
        score.content -= 1
        score.wrongly_removed.remove(cut[0])
    return score


def report_articles(articles: Path, gold_file: Path, show_lines: bool) -> None:
    if not gold_file.exists() or not articles.is_dir():
        print(f"\ndevelopment articles not found ({articles}, {gold_file}): line measures skipped")
        return
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    total = LineScore()
    wrong = []
    for key, entry in gold.items():
        path = articles / f"{key}.txt"
        if not path.exists():
            print(f"    missing {path}", file=sys.stderr)
            continue
        text, _ = decode(path.read_bytes())
        score = score_article(text, entry.get("boilerplate") or [])
        total.content += score.content
        total.content_kept += score.content_kept
        total.boilerplate += score.boilerplate
        total.boilerplate_removed += score.boilerplate_removed
        wrong += [f"  kept boilerplate  {key}: {line.text[:100]}" for line in score.wrongly_kept]
        wrong += [
            f"  removed content   {key} [{line.removal_reason}]: {line.text[:100]}" for line in score.wrongly_removed
        ]
    content, content_kept = total.content, total.content_kept
    boilerplate, boilerplate_removed = total.boilerplate, total.boilerplate_removed
    print(
        f"\ndevelopment articles ({len(gold)}): content lines kept {content_kept}/{content} = "
        f"{content_kept / content:.3f}; gold boilerplate lines removed {boilerplate_removed}/{boilerplate} = "
        f"{boilerplate_removed / boilerplate:.3f}"
    )
    if show_lines:
        print("\n".join(wrong))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--per-page", action="store_true", help="print the F1 of every page of our text path")
    parser.add_argument("--worst", type=int, default=8, help="how many of the worst pages to print")
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="development article texts")
    parser.add_argument("--article-gold", type=Path, default=DEFAULT_ARTICLE_GOLD, help="their gold.yaml")
    parser.add_argument("--lines", action="store_true", help="list the article lines wrongly removed or kept")
    parser.add_argument("--text-only", action="store_true", help="run only our text path")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmark data not found in {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data)
    dumps = [html_to_dump(markup) for _, markup, _ in pages]
    print(f"{len(pages)} pages from {args.data.resolve()}\n")
    print(f"{'system':<28}{'precision':>10}{'recall':>10}{'F1':>8}{'s/page':>9}")
    ours: list[tuple[float, float, float]] = []
    for name, system in SYSTEMS:
        if args.text_only and name != "text: ours":
            continue
        started = time.perf_counter()
        counts = [page_counts(gold, system(markup, dump)) for (_, markup, gold), dump in zip(pages, dumps, strict=True)]
        seconds = (time.perf_counter() - started) / len(pages)
        precision, recall, f1 = score(counts)
        print(f"{name:<28}{precision:>10.3f}{recall:>10.3f}{f1:>8.3f}{seconds:>9.3f}")
        if name == "text: ours":
            ours = counts
    report_pages(pages, ours, args)
    report_articles(args.articles, args.article_gold, args.lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
