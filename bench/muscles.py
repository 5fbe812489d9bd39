"""Muscle-recognition throughput: words per second of mention detection on one core.

The corpus is the kept blocks of the articles in raw/ plus, when ../shared is beside the
project, the article bodies of the 60 development pages (trafilatura.extract), repeated until
it holds at least --words words. Each document is recognised as the pipeline does it
(`recognise_document`: the spaCy pipeline over its blocks, then document-wide abbreviations).

Printed per corpus (the seed articles alone: dense fitness text; with the dev pages: mostly
news, as in a general crawl), on one core:
  tokenizer w/s    spacy.blank("en") tokenisation of the same texts: the floor
  ours w/s         the full muscle pipeline
  ratio            ours / tokenizer

Usage: python bench/muscles.py [--words N] [--data DIR]
"""

from __future__ import annotations

import argparse
import gzip
import time
from pathlib import Path

import spacy
import trafilatura

from pipeline.extract.lexicon import cached_lexicon
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, recognise_document
from pipeline.ingest.read import discover, ingest
from pipeline.records import Block
from pipeline.strip.html import strip_boilerplate

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = PROJECT / ".." / "shared" / "benchmarks" / "article-extraction-dev"


def seed_documents() -> list[list[str]]:
    documents = []
    for doc in ingest(discover(PROJECT / "raw")):
        _, blocks = strip_boilerplate(doc)
        documents.append([b.text for b in blocks if b.kept])
    return documents


def dev_documents(data: Path) -> list[list[str]]:
    documents = []
    for page in sorted((data / "html").glob("*.html.gz")):
        with gzip.open(page, "rt", errors="replace") as handle:
            text = trafilatura.extract(handle.read()) or ""
        documents.append([line for line in text.splitlines() if line.strip()])
    return documents


def parse_args(doc: str, default_words: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(
        "--words", type=int, default=default_words, help=f"corpus size in words (default {default_words})"
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    return parser.parse_args()


def corpora(data: Path) -> dict[str, list[list[str]]]:
    """The seed articles alone, and with the development pages when they are available."""
    seeds = seed_documents()
    found = {"seed articles": seeds}
    if data.is_dir():
        found["seeds + dev pages"] = seeds + dev_documents(data)
    return found


def main() -> None:
    args = parse_args(__doc__, 300_000)
    lexicon = cached_lexicon()
    nlp = build_muscle_nlp(lexicon)
    recognise_document(nlp, lexicon, [Block("warm", 0, "paragraph", "The quadraceps.")], RecognitionStats())
    tokenizer = spacy.blank("en")
    print(
        f"{'corpus':<18} {'docs':>6} {'words':>9} {'tokenizer w/s':>14} {'ours w/s':>10} {'ratio':>6} {'mentions':>9}"
    )
    for name, base in corpora(args.data).items():
        base_words = sum(len(text.split()) for doc in base for text in doc)
        corpus = base * max(1, -(-args.words // base_words))
        words = base_words * (len(corpus) // len(base))
        start = time.perf_counter()
        for doc in corpus:
            list(tokenizer.pipe(doc))
        floor = words / (time.perf_counter() - start)
        start = time.perf_counter()
        n_mentions = 0
        for i, doc in enumerate(corpus):
            blocks = [Block(f"d{i}", j, "paragraph", text) for j, text in enumerate(doc)]
            n_mentions += len(recognise_document(nlp, lexicon, blocks, RecognitionStats()))
        ours = words / (time.perf_counter() - start)
        print(
            f"{name:<18} {len(corpus):>6} {words:>9,} {floor:>14,.0f} {ours:>10,.0f} {ours / floor:>6.2f} {n_mentions:>9,}"
        )


if __name__ == "__main__":
    main()
