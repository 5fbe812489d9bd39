"""Score boilerplate removal line by line against the raw text file.

The gold lists the opening words of each raw line that is not article content; every other
non-empty line is content. A line's fate is that of the block covering it (blocks.parquet
records each block's raw lines). The title is removed as `metadata` only because it moves to
`documents.title`, so a title line counts as kept.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ingest.read import InputError, content_hash, decode

# A title block is removed as metadata but kept as documents.title: its text is not lost.
TITLE_KIND, TITLE_REASON = "title", "metadata"
# Shown as the fate of a non-empty line no block covers (the segmenter normally covers all).
UNCOVERED = "not in any block"
# Straight and curly quotes are folded so an annotator's keyboard does not decide a match.
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """A raw line with its 1-based number and, when removed, why."""

    number: int
    text: str
    removal_reason: str | None = None


@dataclass
class LineScore:
    """Content lines kept and boilerplate lines removed, with the lines scored wrongly."""

    content: int = 0
    content_kept: int = 0
    boilerplate: int = 0
    boilerplate_removed: int = 0
    wrongly_kept: list[Line] = field(default_factory=list)
    wrongly_removed: list[Line] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # gold entries that open no raw line


def read_raw_lines(path: Path, doc_id: str) -> list[str]:
    """The raw file's lines, numbered as the text cleaner numbers them.

    Raises InputError when the file cannot be read or is not the text that was built (its
    content hash is not the document's id): line numbers would then point at other text.
    """
    try:
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if content_hash(text) != doc_id:
        raise InputError(f"{path} is not the file that was built (its content changed since the build)")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _fold(text: str) -> str:
    return SPACES.sub(" ", text.translate(QUOTES)).strip().casefold()


def boilerplate_lines(lines: list[str], openings: tuple[str, ...]) -> tuple[set[int], list[str]]:
    """Line numbers the gold marks as boilerplate, and the entries that open no line.

    An entry listed n times marks n lines. When more lines open with the same words, the later
    ones are taken: a title or caption repeated on a page is content where it first appears and
    boilerplate where it repeats. Longer openings choose first, so a short entry cannot take the
    line a longer, more specific entry names.
    """
    folded = [_fold(line) for line in lines]
    marked: set[int] = set()
    unmatched: list[str] = []
    counts = Counter(_fold(opening) for opening in openings)
    originals = {_fold(opening): opening for opening in openings}
    for opening in sorted(counts, key=lambda text: (-len(text), text)):
        candidates = [i + 1 for i, text in enumerate(folded) if text.startswith(opening) and i + 1 not in marked]
        chosen = candidates[-counts[opening] :] if candidates else []
        marked.update(chosen)
        unmatched += [originals[opening]] * (counts[opening] - len(chosen))
    return marked, unmatched


def line_fates(blocks: list[dict[str, Any]]) -> dict[int, str | None]:
    """Raw line -> None when its block is kept (or is the title), else the removal reason."""
    fates: dict[int, str | None] = {}
    for block in blocks:
        if block["line_start"] is None:
            continue
        title = block["kind"] == TITLE_KIND and block["removal_reason"] == TITLE_REASON
        fate = None if block["kept"] or title else block["removal_reason"]
        for number in range(block["line_start"], block["line_end"] + 1):
            fates[number] = fate
    return fates


def score_lines(lines: list[str], openings: tuple[str, ...], blocks: list[dict[str, Any]]) -> LineScore:
    """Compare each non-empty raw line's fate with the gold's boilerplate list."""
    marked, unmatched = boilerplate_lines(lines, openings)
    fates = line_fates(blocks)
    score = LineScore(unmatched=unmatched)
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        reason = fates.get(number, UNCOVERED)
        line = Line(number, text.strip(), reason)
        if number in marked:
            score.boilerplate += 1
            score.boilerplate_removed += reason is not None
            if reason is None:
                score.wrongly_kept.append(line)
        else:
            score.content += 1
            score.content_kept += reason is None
            if reason is not None:
                score.wrongly_removed.append(line)
    return score
