"""Claim-extraction throughput: words per second of the claims stage on one core.

The corpus is the kept blocks of the articles in raw/ plus, when ../shared is beside the
project, the article bodies of the 60 development pages, repeated until it holds at least
--words words. Muscle mentions are found first and not timed; the figure is for
`extract_claims` alone (object matching, attribution, hedging and negation).

Usage: python bench/claims.py [--words N] [--data DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from muscles import corpora, parse_args  # noqa: E402

from pipeline.extract.claims import ClaimExtractor, extract_claims  # noqa: E402
from pipeline.extract.lexicon import cached_lexicon  # noqa: E402
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, recognise_document  # noqa: E402
from pipeline.extract.vocabulary import cached_vocabulary  # noqa: E402
from pipeline.records import Block  # noqa: E402


def main() -> None:
    args = parse_args(__doc__, 200_000)
    lexicon = cached_lexicon()
    nlp = build_muscle_nlp(lexicon)
    extractor = ClaimExtractor(lexicon, cached_vocabulary())
    print(f"{'corpus':<18} {'docs':>6} {'words':>9} {'claims w/s':>11} {'claims':>8}")
    for name, base in corpora(args.data).items():
        base_words = sum(len(text.split()) for doc in base for text in doc)
        copies = max(1, -(-args.words // base_words))
        blocks = [
            Block(f"d{c}-{i}", j, "paragraph", text)
            for c in range(copies)
            for i, doc in enumerate(base)
            for j, text in enumerate(doc)
        ]
        mentions = []
        for doc_id in dict.fromkeys(b.doc_id for b in blocks):
            doc_blocks = [b for b in blocks if b.doc_id == doc_id]
            mentions += recognise_document(nlp, lexicon, doc_blocks, RecognitionStats())
        start = time.perf_counter()
        claims, _ = extract_claims(blocks, mentions, extractor)
        elapsed = time.perf_counter() - start
        words = base_words * copies
        print(f"{name:<18} {len(base) * copies:>6} {words:>9,} {words / elapsed:>11,.0f} {len(claims):>8,}")


if __name__ == "__main__":
    main()
