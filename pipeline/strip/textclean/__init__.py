"""Classify the blocks of a plain-text page dump as article content or boilerplate.

A text dump has lost its markup: one line per HTML block, blank lines where the page had
vertical space. The classifier combines five kinds of signal:

1. named patterns kept as data (`data/boilerplate_patterns.jsonl`): nav menus, consent
   dialogs, comment threads, bios, related posts, newsletter forms, SEO lines, captions;
   some open a *zone* (a comment thread, a related-posts box) that runs until prose resumes
   (`zones`);
2. jusText-style features: block length and stopword density, with the stoplist picked per
   document, so pages in other languages are judged by their own function words (`features`);
3. C4/Gopher-style line rules: sentence punctuation, truncated teasers, code and filler;
4. the main content region: the contiguous run of blocks with the highest content score,
   inside which short blocks (headings, list items) are re-classified from their neighbours
   (`region`);
5. structured bodies (a meal plan, a recipe card, a training plan): a run of short lines next to
   the region, dense in lines that state a quantity (`quantities`), belongs to the article.

Segmentation is in `blocks`, title/date/author recovery in `metadata`. The thresholds were
calibrated on the text dumps of the 60 development pages (`bench/boilerplate.py`).
"""

from __future__ import annotations

from pipeline.strip.pattern_file import BoilerplatePattern
from pipeline.strip.textclean.blocks import WORD, CleanResult, TextBlock, segment, word_key
from pipeline.strip.textclean.features import classify_block, detect_stoplist, mark_structure, measure
from pipeline.strip.textclean.metadata import parse_date, recover_author, recover_published, recover_title
from pipeline.strip.textclean.patterns import default_patterns
from pipeline.strip.textclean.region import (
    duplicate_indices,
    main_region,
    reclassify_in_region,
    remove_duplicates,
    second_look,
)
from pipeline.strip.textclean.zones import (
    apply_echoes,
    apply_label_links,
    apply_zones,
    match_patterns,
    release_edge_only,
)

__all__ = [
    "WORD",
    "CleanResult",
    "TextBlock",
    "clean_text",
    "decide_region",
    "default_patterns",
    "detect_stoplist",
    "duplicate_indices",
    "judge_blocks",
    "parse_date",
    "segment",
    "word_key",
]


def clean_text(text: str, patterns: tuple[BoilerplatePattern, ...] | None = None) -> CleanResult:
    """Segment a text dump into blocks and decide, for each, keep or remove-with-reason."""
    blocks, language, title = judge_blocks(text, patterns)
    decide_region(blocks, title)
    published = recover_published(blocks)
    author = recover_author(blocks)
    return CleanResult(blocks=blocks, title=title, author=author, published=published, language=language)


def judge_blocks(
    text: str, patterns: tuple[BoilerplatePattern, ...] | None = None
) -> tuple[list[TextBlock], str | None, str | None]:
    """Every block judged on its own and by the patterns and zones, before the main region is
    sought: (blocks, stoplist language, title). Blocks still kept are the candidates."""
    patterns = patterns if patterns is not None else default_patterns()
    blocks = segment(text)
    language = measure(blocks)
    mark_structure(blocks)
    for block in blocks:
        block.cls = classify_block(block, language is not None)
    match_patterns(blocks, tuple(patterns))
    apply_echoes(blocks)
    apply_label_links(blocks)
    release_edge_only(blocks)
    apply_zones(blocks)
    title = recover_title(blocks)
    return blocks, language, title


def decide_region(blocks: list[TextBlock], title: str | None) -> tuple[int, int]:
    """Keep the main content region and what its context rescues; returns the region."""
    start, end = main_region(blocks)
    for i, block in enumerate(blocks):
        if block.kept and not start <= i <= end:
            block.reason = "outside_main"
    reclassify_in_region(blocks, start, end)
    remove_duplicates(blocks, title)
    second_look(blocks)
    return start, end
