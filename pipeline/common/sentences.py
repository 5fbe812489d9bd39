"""Sentence boundaries from the text alone, as character offsets.

A sentence ends at '.', '!', '?' or '…' (with any closing quotes or brackets) followed by
space and a capital letter, digit or opening quote. Requiring the capital keeps "e.g. the" and
"approx. five" in one sentence. Working on characters, not tokens, keeps this cheap enough to
run on every block of a large crawl.
"""

from __future__ import annotations

import re
from bisect import bisect_right

SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def sentence_starts(text: str) -> list[int]:
    """Character offsets where each sentence of the text starts (the first is 0)."""
    return [0] + [m.end() for m in SENTENCE_END.finditer(text)]


def sentence_of(starts: list[int], char: int) -> int:
    """Index of the sentence holding a character offset."""
    return bisect_right(starts, char) - 1


def sentence_span(starts: list[int], text: str, char: int) -> tuple[int, int]:
    """(start, end) character offsets of the sentence holding a character offset."""
    i = sentence_of(starts, char)
    return starts[i], starts[i + 1] if i + 1 < len(starts) else len(text)
