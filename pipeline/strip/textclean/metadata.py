"""Document metadata recovered from the dump: title, publication date and author."""

from __future__ import annotations

import re
from datetime import date

from pipeline.strip.textclean.blocks import TextBlock, word_key
from pipeline.strip.textclean.region import COPIED_PARAGRAPH_WORDS

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTH_FIRST_DATE = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b")
DAY_FIRST_DATE = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2,8})\.? (\d{4})\b")
# Day, month name, year in any language that writes them in that order.
ANY_LANGUAGE_DATE = re.compile(r"\b\d{1,2}(?:\.|º|er)?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?\d{4}\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
BYLINE_NAME = re.compile(
    r"^(?:by|written by|words by|author)\s*:?\s+((?:Dr\.? )?[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})", re.I
)
# A dump often prints the page title, then a dateline or a byline, then the same title as the
# headline; both copies lie within this many blocks of each other.
TITLE_REPEAT_WINDOW = 4
# A headline is shorter than COPIED_PARAGRAPH_WORDS: a paragraph that long printed twice is a
# copy (a crawl that repeats a paragraph), which the duplicate rule removes, not a title. On the
# development pages the longest headline found this way has 15 words; the two longer lines (23
# and 25 words) were photo captions printed twice.
BIO_NAME = re.compile(r"^([A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3}) (?:is|was) ")


def recover_title(blocks: list[TextBlock]) -> str | None:
    """The longest heading-like line before the first paragraph of prose.

    Longest, not first: dumps often start with a short category link ("Cross Training For
    Runners") above the real title. Prose includes near-good paragraphs: a page that opens with
    a question in a forum post has no title line, and a heading further down is not one.
    """
    candidates: list[int] = []
    for i, block in enumerate(blocks):
        if block.kept and block.cls in ("good", "near_good") and block.kind == "paragraph":
            if block.n_words < COPIED_PARAGRAPH_WORDS and _printed_twice(blocks, i):  # title and headline, both long
                candidates = [i]
            break
        if block.kind == "heading" and block.n_words >= 3 and block.pattern_id is None and not _dated(block.text):
            candidates.append(i)
    if not candidates:
        return None
    twice = [i for i in candidates if _printed_twice(blocks, i)]
    title = blocks[max(twice or candidates, key=lambda i: blocks[i].n_words)]  # max keeps the first of equals
    title.kind = "title"
    title.reason = "metadata"
    return title.text


def _dated(text: str) -> bool:
    """A dateline, not a title: "September 26, 2013", "12 de março de 2021", "12. März 2021"."""
    return parse_date(text) is not None or ANY_LANGUAGE_DATE.search(text) is not None


def _printed_twice(blocks: list[TextBlock], i: int) -> bool:
    """The line comes back within a few blocks: a page title repeated as the headline."""
    key = word_key(blocks[i].text)
    return any(word_key(b.text) == key for b in blocks[i + 1 : i + 1 + TITLE_REPEAT_WINDOW])


def recover_published(blocks: list[TextBlock]) -> str | None:
    for block in blocks:
        if block.reason == "metadata" or (block.n_words <= 10 and block.kind != "list_item"):
            parsed = parse_date(block.text)
            if parsed:
                if block.reason is None and block.pattern_id is None and block.n_words <= 6:
                    block.reason = "metadata"
                return parsed
    return None


def parse_date(text: str) -> str | None:
    """ISO date from 'September 26, 2013', '26 September 2013' or '2013-09-26'."""
    for regex, order in ((MONTH_FIRST_DATE, "mdy"), (DAY_FIRST_DATE, "dmy"), (ISO_DATE, "ymd")):
        match = regex.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=False))
        month = parts["m"]
        month_no = int(month) if month.isdigit() else MONTHS.get(month.lower()) or _month_prefix(month)
        try:
            return date(int(parts["y"]), month_no, int(parts["d"])).isoformat()
        except (TypeError, ValueError):
            continue
    return None


def _month_prefix(name: str) -> int | None:
    for full, number in MONTHS.items():
        if len(name) >= 3 and full.startswith(name.lower()):
            return number
    return None


def recover_author(blocks: list[TextBlock]) -> str | None:
    for block in blocks:
        if block.pattern_id == "metadata-byline":
            match = BYLINE_NAME.match(block.text)
            if match:
                return match.group(1)
    for block in blocks:
        if block.pattern_id == "author-bio-sentence":
            match = BIO_NAME.match(block.text)
            if match:
                return match.group(1)
    return None
