"""The main content region, jusText's context pass inside it, and repeated paragraphs."""

from __future__ import annotations

import re
from collections import Counter

from pipeline.strip.textclean.blocks import TextBlock, ends_sentence, word_key
from pipeline.strip.textclean.features import TERSE_STOPWORDS
from pipeline.strip.textclean.quantities import has_quantity

# Score of each block in the search for the best contiguous region, in characters. A short
# block costs as much as a 40-character bad line: a run of menu items separates the article
# from teasers below it, while one or two short headings inside the article do not.
SHORT_BLOCK_PENALTY = 40
PATTERN_BLOCK_PENALTY = 20
NEAR_GOOD_WEIGHT = 0.5
# Bulleted list items, run-together table rows and short sentences ("Lather, rinse, repeat.",
# "When are the calves used?") are written text: menus in a dump carry no bullet characters
# and no sentence punctuation. They cost a quarter of an unmarked short line.
SHORT_STRUCTURED_PENALTY = 10
# Short sentences right after the region's last paragraph ("Good luck and happy running!")
# and headings right before its first one belong to the article.
MAX_EDGE_EXTENSION = 3
# The article resumes after an interruption of at most this many blocks (a heading, a caption,
# an ad slot) when a paragraph of prose follows it.
MAX_BRIDGE = 3
# Items of a list introduced by a colon share their separators: "June 9 -- Arena, City",
# "Squats: 3 x 10". Two items make a list.
LIST_SEPARATOR = re.compile(r"\s(?:--|[–—-]|\|)\s|:\s|,")
MIN_LIST_ITEMS = 2
# Past the region's end, a run of up to this many short heading-like lines (the items of an
# unbulleted list: "Warm-up", "Strides", "Cool-down") goes on if a sentence follows it.
MAX_HEADING_RUN = 3
# A structured body (a meal plan, a recipe card, a training plan) next to the region's edge: a
# run of at least MIN_QUANTIFIED_LINES lines that state a quantity (`quantities`), making up at
# least MIN_QUANTIFIED_SHARE of its lines, with at most MAX_UNQUANTIFIED other lines in a row
# between two of them. The development pages set the share and the gap: their meal plan and
# recipe card state a quantity in 0.57 and 0.56 of their lines, and the meal plan has five
# lines in a row without one (a supplement's name, when to drink it, a tip); one more is
# allowed. The tests' lists guard the rest: a related list naming a distance now and then
# (0.36) stays under the share, a menu of seven labels ends a run, and three sentence-case
# lines of a shop's footer are too few (the cards and plans this is for list four or more:
# the development pages' 10 and 119). A row of more than MAX_BRIDGE removed lines ends the run.
MIN_QUANTIFIED_LINES = 4
MIN_QUANTIFIED_SHARE = 0.4
MAX_UNQUANTIFIED = 6
# A paragraph this long said twice is a copy (a teaser, a page printed twice); a shorter line
# may recur, up to MAX_RECURRENCES times (the questions of an interview with many guests, the
# steps of a plan repeated for each day). Set on the development pages, whose gold bodies
# repeat lines of up to 14 words.
COPIED_PARAGRAPH_WORDS = 20
MAX_RECURRENCES = 25
# "The hamstrings bend it." is a sentence; "Sign up." is a button.
MIN_SENTENCE_WORDS = 3
# The last line of a dump cut mid-sentence ("Then s", "lift the heel off the gro"):
# two words or more, with at least the stopword density of a terse list item.
MIN_CUT_WORDS = 2


def _block_score(block: TextBlock) -> float:
    if not block.kept:
        return -PATTERN_BLOCK_PENALTY
    if block.cls == "good":
        return block.length
    if block.cls == "near_good":
        return NEAR_GOOD_WEIGHT * block.length
    if block.cls == "short":
        written = block.kind in ("list_item", "table_row") or ends_sentence(block.text)
        return -SHORT_STRUCTURED_PENALTY if written else -SHORT_BLOCK_PENALTY
    return -block.length


def main_region(blocks: list[TextBlock]) -> tuple[int, int]:
    """Indices [start, end] of the contiguous run with the highest total score (Kadane)."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, block in enumerate(blocks):
        if total <= 0:
            total, start = 0.0, i
        total += _block_score(block)
        if total > best:
            best, best_span = total, (start, i)
    start, end = best_span
    if end < start:
        return 0, len(blocks) - 1  # nothing scores as prose: judge every block on its own
    return _extend_region(blocks, start, end)


def _extend_region(blocks: list[TextBlock], start: int, end: int) -> tuple[int, int]:
    start = _extend_start(blocks, start)
    while True:
        reached = end
        while reached + 1 < len(blocks) and _continues_article(blocks, reached + 1):
            reached += 1
        reached = _structured_run(blocks, _bridge(blocks, _introduced_list(blocks, reached)))
        if reached == end:
            return start, end
        end = reached


def _extend_start(blocks: list[TextBlock], start: int) -> int:
    """Headings right above the region belong to it; so does a structured run above it (a
    recipe's ingredients above its method), with its headings and the prose that introduces it."""
    start = _edge_headings(blocks, start)
    while (earlier := _structured_run(blocks, start, -1)) < start:
        start = _prose_above(blocks, _edge_headings(blocks, earlier))
    return start


def _edge_headings(blocks: list[TextBlock], start: int) -> int:
    taken = 0
    while start > 0 and taken < MAX_EDGE_EXTENSION:
        previous = blocks[start - 1]
        if previous.kind == "title":
            break  # what stands above the title is page header
        if previous.kept and not (previous.kind == "heading" or previous.cls == "short"):
            break
        start -= 1
        taken += previous.kept
    return start


def _prose_above(blocks: list[TextBlock], start: int) -> int:
    while start > 0 and _is_prose_sentence(blocks[start - 1]):
        start -= 1
    return start


def _is_prose_sentence(block: TextBlock) -> bool:
    return block.kept and block.cls in ("good", "near_good") and ends_sentence(block.text)


def _structured_run(blocks: list[TextBlock], edge: int, step: int = 1) -> int:
    """The far end of a structured run that starts next to block `edge` (after it, or before it
    when `step` is -1), or `edge` when none does.

    Its quantity lines are marked `structured` and count as near-good: the context pass keeps
    them however short or stopword-poor ("1 tsp cinnamon"), the labels between them ("Week 2",
    "Breakfast") lean on them as on prose, and the duplicate pass lets them recur (a plan
    repeats a meal on several days)."""
    lines, quantified = _run_lines(blocks, edge, step)
    if len(quantified) < MIN_QUANTIFIED_LINES or len(quantified) < MIN_QUANTIFIED_SHARE * len(lines):
        return edge
    for i in quantified:
        blocks[i].structured = True
        if blocks[i].cls != "good":
            blocks[i].cls = "near_good"
    return lines[-1]


def _run_lines(blocks: list[TextBlock], edge: int, step: int) -> tuple[list[int], list[int]]:
    """Indices of the kept lines from `edge` on in the direction of `step`, up to a zone, the
    title, a row of removed lines or a long stretch without a quantity (removed lines count in
    it: a menu a pattern half named is still a menu), and back to the last line that states one;
    and, of those, the lines that state a quantity."""
    lines: list[int] = []
    quantified: list[int] = []
    run_length, since_quantity, removed = 0, 0, 0
    i = edge + step
    while 0 <= i < len(blocks):
        block = blocks[i]
        removed = 0 if block.kept else removed + 1
        quantity = block.kept and has_quantity(block.text)
        since_quantity = 0 if quantity else since_quantity + 1
        if block.zone_start or block.kind == "title" or removed > MAX_BRIDGE or since_quantity > MAX_UNQUANTIFIED:
            break
        if block.kept:
            lines.append(i)
            if quantity:
                quantified.append(i)
                run_length = len(lines)
        i += step
    return lines[:run_length], quantified


def _introduced_list(blocks: list[TextBlock], end: int) -> int:
    """A line ending in a colon ("Race calendar:", "You will need:") introduces a list: the lines
    after it shaped like the first item (how they start and end, the first item's separators)
    are its items, bulleted or not, and become list items. Returns the last item's index, or `end`."""
    if not blocks[end].kept or not blocks[end].text.endswith(":") or end + 1 >= len(blocks):
        return end
    first = _shape(blocks[end + 1].text)
    items = []
    for block in blocks[end + 1 :]:
        shape = _shape(block.text)
        if not block.kept or block.zone_start or shape[:3] != first[:3] or not first[3] <= shape[3]:
            break
        items.append(block)
    if len(items) < MIN_LIST_ITEMS:
        return end
    for block in items:
        block.kind = "list_item"
    return end + len(items)


def _shape(text: str) -> tuple[bool, bool, bool, frozenset[str]]:
    return (text[:1].isdigit(), text[:1].isupper(), ends_sentence(text), frozenset(LIST_SEPARATOR.findall(text)))


def _bridge(blocks: list[TextBlock], end: int) -> int:
    """The article goes on past a short interruption (a heading, a caption, an ad line) when
    prose follows it: the index of that prose block, or `end` when none does."""
    for j in range(end + 1, min(end + 2 + MAX_BRIDGE, len(blocks))):
        block = blocks[j]
        if block.zone_start or (block.kept and block.cls == "bad"):
            return end
        if _is_prose_sentence(block):
            return j
    return end


def _continues_article(blocks: list[TextBlock], i: int) -> bool:
    """After the region's last paragraph, sentences and lists go on until boilerplate starts.

    Articles often close with a chatty run of short lines ("There you have it.") that scores
    below zero on its own; a zone marker, a bad block or a non-sentence line ends it.
    """
    block = blocks[i]
    if not block.kept:  # a removed line or two (an ad slot, a caption); a row of buttons ends it
        return not block.zone_start and _removed_run(blocks, i) <= MAX_BRIDGE
    if block.cls == "bad":
        return False
    if block.kind == "heading":  # a heading, or a run of them, followed by its text
        following = next((j for j in range(i + 1, len(blocks)) if blocks[j].kind != "heading"), None)
        return following is not None and following - i <= MAX_HEADING_RUN and _is_sentence_like(blocks, following)
    return _is_sentence_like(blocks, i)


def _removed_run(blocks: list[TextBlock], i: int) -> int:
    """How many removed blocks in a row end at block i."""
    run = 0
    while i - run >= 0 and not blocks[i - run].kept:
        run += 1
    return run


def _is_sentence_like(blocks: list[TextBlock], i: int) -> bool:
    block = blocks[i]
    if not block.kept or block.cls == "bad":
        return False
    if block.kind == "list_item" or ends_sentence(block.text) or block.text.endswith(","):
        return True
    return i == len(blocks) - 1 and _cut_short(block)


def _cut_short(block: TextBlock) -> bool:
    """A dump that stops mid-sentence (an excerpt, a truncated save) ends inside the article: its
    last word is in lower case ("lift the heel off the gro", "Then s"), where a closing
    menu label ends in a capitalised word ("Share on Facebook", "Our Training Plans")."""
    last_word = block.text.split()[-1]
    cut = last_word[0].islower() and last_word[-1].isalnum()
    return cut and block.n_words >= MIN_CUT_WORDS and block.stop_density >= TERSE_STOPWORDS


def reclassify_in_region(blocks: list[TextBlock], start: int, end: int) -> None:
    """jusText's second pass: short and near-good blocks take their class from their neighbours;
    the quantity lines of a structured run were judged by the run.

    The region's edges count as bad neighbours, as jusText counts a page's edges, except for the
    region's only block of prose: the region was chosen for it, so it is the article (a short
    one: a heading and a paragraph), and the headings and short lines around it lean on it."""
    region = blocks[start : end + 1]
    prose = [b for b in region if b.kept and b.cls in ("good", "near_good")]
    only_prose = prose[0] if len(prose) == 1 else None
    for i, block in enumerate(region):
        if not block.kept or block.cls == "good" or block.structured:
            continue
        before = _neighbour_class(region, i, -1)
        after = _neighbour_class(region, i, +1)
        if block.cls == "bad":
            block.reason = "low_content"
        elif block.kind == "heading":
            if after == "bad" and not _content_follows(region, i):
                block.reason = "low_content"
        elif before == "bad" and after == "bad" and block is not only_prose:
            block.reason = "low_content"


def _neighbour_class(region: list[TextBlock], i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(region):
        block = region[j]
        if block.kept and block.cls in ("good", "near_good", "bad"):
            return "good" if block.cls != "bad" else "bad"
        j += step
    return "bad"


def _content_follows(region: list[TextBlock], i: int) -> bool:
    following = [b for b in region[i + 1 : i + 4] if b.kept]
    return any(b.kind in ("list_item", "table_row", "paragraph") for b in following)


def remove_duplicates(blocks: list[TextBlock], title: str | None = None) -> None:
    """Paragraphs said before, a line repeated at once, and the title printed again."""
    kept = [b for b in blocks if b.kept]
    recurring = frozenset(i for i, b in enumerate(kept) if b.structured)
    for i in duplicate_indices([(b.kind, b.text) for b in kept], title, recurring):
        kept[i].reason = "duplicate"


def duplicate_indices(
    items: list[tuple[str, str]], title: str | None = None, recurring: frozenset[int] = frozenset()
) -> list[int]:
    """Indices of the (kind, text) items that repeat: the same line again at once, the title
    printed again, a paragraph of COPIED_PARAGRAPH_WORDS words or more said before (a page
    printed twice), or a line past its MAX_RECURRENCES-th time. Shorter lines may recur within
    the article: an interview's questions, "Hold for 30 seconds." after each exercise, section
    headings; so may headings and the `recurring` items, however long (a meal plan's portion
    lines, repeated for each day). The HTML path applies the same rule to its blocks."""
    counts: Counter[str] = Counter()
    previous: str | None = None
    title_key = word_key(title) if title else None
    repeats = []
    for i, (kind, text) in enumerate(items):
        key = word_key(text)
        counts[key] += 1
        long_copy = counts[key] > 1 and len(key.split()) >= COPIED_PARAGRAPH_WORDS
        copied = long_copy and kind != "heading" and i not in recurring
        if copied or counts[key] > MAX_RECURRENCES or key in (previous, title_key):
            repeats.append(i)
        previous = key
    return repeats


def second_look(blocks: list[TextBlock]) -> None:
    """A dump that would keep nothing but headings gets a second look: its sentences are kept.

    The main-region search and its neighbour rules are built for pages, where the edges are
    boilerplate; a short note of a few sentences has no neighbours and would come out empty.
    So would a short article of a heading and a sentence or two on lines of their own: the
    heading is kept for the text that follows it, and the sentences, too short to judge alone
    and with only the document's edges for neighbours, go. A heading introduces text; kept
    alone, the text was lost. Any other block kept (a paragraph, a list item, a line of a plan)
    is an article, and the page's edges around it stay boilerplate. Blocks a pattern named
    stay removed.
    """
    if any(b.kept and b.kind not in ("heading", "title") for b in blocks):
        return
    for block in blocks:
        if block.reason in ("low_content", "outside_main") and _is_sentence(block):
            block.reason = None


def _is_sentence(block: TextBlock) -> bool:
    if block.cls in ("good", "near_good"):
        return True
    return block.cls == "short" and block.n_words >= MIN_SENTENCE_WORDS and ends_sentence(block.text)
