"""Classify the blocks of a plain-text page dump as article content or boilerplate.

A text dump has lost its markup: one line per HTML block, blank lines where the page had
vertical space. The classifier combines four kinds of signal:

1. named patterns kept as data (`data/boilerplate_patterns.jsonl`): nav menus, consent
   dialogs, comment threads, bios, related posts, newsletter forms, SEO lines, captions;
   some open a *zone* (a comment thread, a related-posts box) that runs until prose resumes;
2. jusText-style features: block length and stopword density, with the stoplist picked per
   document, so pages in other languages are judged by their own function words;
3. C4/Gopher-style line rules: sentence punctuation, truncated teasers, code and filler;
4. the main content region: the contiguous run of blocks with the highest content score,
   inside which short blocks (headings, list items) are re-classified from their neighbours.

The thresholds were calibrated on the text dumps of the 60 development pages
(`bench/boilerplate.py`); comments give the reasoning, not just the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from pipeline.common.rules import DATA_DIR, BoilerplatePattern, load_boilerplate_patterns
from pipeline.records import REMOVAL_REASONS

# --- jusText-style block classes -------------------------------------------------------------
# jusText's published defaults: blocks under 70 characters are too short to judge alone;
# above 200 with enough stopwords they are prose. They held up on the dumps unchanged.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
# English is preferred when at least this share of a page's words are English stopwords;
# otherwise the stoplist with the highest share wins. Below MIN_LANGUAGE_DENSITY no stoplist
# fits (e.g. Japanese, which has no spaces) and blocks are judged on length alone.
ENGLISH_DENSITY = 0.20
# Article list items ("Deadlifts: Incorporate deadlifts into your routine to target ...") are
# terse: about 0.2 stopwords. A complete sentence at that density is near-good, not bad, and
# its neighbours decide. Below it are keyword strings and teaser titles.
TERSE_STOPWORDS = 0.18
MIN_LANGUAGE_DENSITY = 0.10

# --- main content region -----------------------------------------------------------------------
# Score of each block in the search for the best contiguous region, in characters. A short
# block costs as much as a 40-character bad line: a run of menu items separates the article
# from teasers below it, while one or two short headings inside the article do not.
SHORT_BLOCK_PENALTY = 40
PATTERN_BLOCK_PENALTY = 20
NEAR_GOOD_WEIGHT = 0.5
# Bulleted list items and run-together table rows are written structure: menus in a dump carry
# no bullet characters. They cost a quarter of an unmarked short line.
SHORT_STRUCTURED_PENALTY = 10
# Short sentences right after the region's last paragraph ("Good luck and happy running!")
# and headings right before its first one belong to the article.
MAX_EDGE_EXTENSION = 3

# A comment thread interleaves signatures with multi-paragraph comments: prose does not end a
# zone while another marker of that zone follows within this many blocks.
ZONE_LOOKAHEAD = 8

# --- structure -------------------------------------------------------------------------------------
MAX_HEADING_WORDS = 14
# Hard-wrapped paragraphs: a line at least this long that does not end a sentence, followed by
# a line starting in lower case, continues the same paragraph.
MIN_WRAPPED_LINE = 50
MIN_DUPLICATE_WORDS = 6

BULLET = re.compile(r"^(?:[•·▪●◦‣⁃∙*➢➤►▸✓✔]|[–—-](?=\s)|\d{1,2}[.)](?=\s)|[a-z]\)(?=\s))\s*")
WORD = re.compile(r"\w+")
TERMINAL = re.compile(r"[.!?…:;]['\"”’)\]]*$")
SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*$")
ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)['\"”’)\]]*$")
CAMEL_JUNCTION = re.compile(r"[a-z)][A-Z]")
CODE_OR_FILLER = re.compile(r"javascript|lorem ipsum|[{}]|</?[a-z]+>", re.I)

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
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
BYLINE_NAME = re.compile(r"^(?:by|written by|words by|author:)\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})")
BIO_NAME = re.compile(r"^([A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3}) (?:is|was) ")


@dataclass
class TextBlock:
    text: str
    line_start: int
    line_end: int
    kind: str = "paragraph"
    gap_before: bool = True
    n_words: int = 0
    stop_density: float = 0.0
    cls: str = "bad"  # jusText class: good, near_good, short, bad
    reason: str | None = None  # removal reason, None while kept
    pattern_id: str | None = None
    zone_start: bool = False
    edge_only: bool = False

    @property
    def kept(self) -> bool:
        return self.reason is None


@dataclass
class CleanResult:
    blocks: list[TextBlock]
    title: str | None
    author: str | None
    published: str | None
    language: str | None


# --- segmentation ----------------------------------------------------------------------------


def segment(text: str) -> list[TextBlock]:
    """One block per non-empty line, with hard-wrapped paragraph lines joined back together."""
    blocks: list[TextBlock] = []
    gap = True
    for line_no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = " ".join(raw.split())
        if not line:
            gap = True
            continue
        bullet = BULLET.match(line)
        if bullet and len(line) > bullet.end():
            blocks.append(TextBlock(line[bullet.end() :].strip(), line_no, line_no, "list_item", gap))
        elif blocks and not gap and _continues(blocks[-1], line):
            blocks[-1].text += " " + line
            blocks[-1].line_end = line_no
        else:
            blocks.append(TextBlock(line, line_no, line_no, "paragraph", gap))
        gap = False
    return blocks


def _continues(previous: TextBlock, line: str) -> bool:
    return (
        previous.kind == "paragraph"
        and len(previous.text) >= MIN_WRAPPED_LINE
        and not TERMINAL.search(previous.text)
        and line[:1].islower()
    )


# --- stoplists ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stoplist_index() -> dict[str, tuple[str, ...]]:
    """word -> languages whose jusText stoplist contains it."""
    import justext

    index: dict[str, list[str]] = {}
    for language in sorted(justext.get_stoplists()):
        for word in justext.get_stoplist(language):
            index.setdefault(word.lower(), []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


@cache
def _stoplist(language: str) -> frozenset[str]:
    import justext

    words = {word.lower() for word in justext.get_stoplist(language)}
    if language == "English":
        words |= _extra_english_stopwords()
    return frozenset(words)


def _extra_english_stopwords() -> set[str]:
    path = DATA_DIR / "stopwords_extra_en.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def detect_stoplist(words: list[str]) -> str | None:
    """The jusText stoplist language that best fits the words, or None if none fits."""
    if not words:
        return None
    index = _stoplist_index()
    counts: dict[str, int] = {}
    for word in words:
        for language in index.get(word, ()):
            counts[language] = counts.get(language, 0) + 1
    if counts.get("English", 0) / len(words) >= ENGLISH_DENSITY:
        return "English"
    if not counts:
        return None
    best = max(sorted(counts), key=counts.__getitem__)
    return best if counts[best] / len(words) >= MIN_LANGUAGE_DENSITY else None


# --- classification ------------------------------------------------------------------------------


def classify_block(block: TextBlock, stoplist: frozenset[str] | None) -> str:
    """jusText's context-free class, tightened by C4/Gopher line rules."""
    text = block.text
    if CODE_OR_FILLER.search(text):
        return "bad"
    words = WORD.findall(text.lower())
    if words and sum(any(c.isalpha() for c in w) for w in words) / len(words) < 0.5:
        return "bad"  # mostly numbers: scores, tables, prices
    if ELLIPSIS_END.search(text) and block.kind == "paragraph":
        return "bad"  # truncated teaser of another page
    if len(text) < LENGTH_LOW:
        return "short"
    if stoplist is None or block.stop_density >= STOPWORDS_HIGH:
        cls = "good" if len(text) > LENGTH_HIGH else "near_good"
    elif block.stop_density >= STOPWORDS_LOW:
        cls = "near_good"
    elif block.stop_density >= TERSE_STOPWORDS and TERMINAL.search(text):
        cls = "near_good"  # terse but complete sentences: list items of tips and exercises
    else:
        cls = "bad"
    # C4: prose ends in sentence punctuation; long lines that do not are titles and teasers.
    if cls == "good" and block.kind == "paragraph" and not TERMINAL.search(text):
        cls = "near_good"
    return cls


def looks_like_heading(block: TextBlock) -> bool:
    text = block.text
    if block.kind != "paragraph" or block.n_words == 0 or block.n_words > MAX_HEADING_WORDS:
        return False
    if re.search(r"[.,;:!]['\"”’]?$", text) or ELLIPSIS_END.search(text):
        return False
    return text[0].isupper() or text[0].isdigit()


def _mark_structure(blocks: list[TextBlock]) -> None:
    for i, block in enumerate(blocks):
        if _is_table_row(block) and (
            (i + 1 < len(blocks) and not blocks[i + 1].gap_before and _is_table_row(blocks[i + 1]))
            or (i > 0 and not block.gap_before and blocks[i - 1].kind == "table_row")
        ):
            block.kind = "table_row"
        elif looks_like_heading(block) and i + 1 < len(blocks):
            block.kind = "heading"


def _is_table_row(block: TextBlock) -> bool:
    """Table cells run together: 'Kneeling hip flexor stretchLeg raises'."""
    return (
        block.kind in ("paragraph", "table_row")
        and block.n_words <= MAX_HEADING_WORDS
        and not SENTENCE_END.search(block.text)
        and len(CAMEL_JUNCTION.findall(block.text)) == 1
        and not block.text.startswith(("Home", "http"))
    )


def _match_patterns(blocks: list[TextBlock], patterns: list[BoilerplatePattern]) -> None:
    for block in blocks:
        for pattern in patterns:
            if pattern.matches(block.text, block.n_words):
                block.reason = pattern.label
                block.pattern_id = pattern.id
                block.zone_start = pattern.zone
                block.edge_only = pattern.edge_only
                break


def _apply_echoes(blocks: list[TextBlock]) -> None:
    """A line repeated inside the removed line after it shares its fate (image alt + caption)."""
    for block, following in zip(blocks, blocks[1:], strict=False):
        echoes = block.kept and not following.kept and len(block.text) >= 10
        if echoes and word_key(block.text) in word_key(following.text):
            block.reason = following.reason
            block.pattern_id = "echo-of-next"


def _release_edge_only(blocks: list[TextBlock]) -> None:
    """Edge-only patterns (bios, team blurbs) do not apply inside the article core."""
    good = [i for i, b in enumerate(blocks) if b.cls == "good" and (b.kept or b.edge_only)]
    if not good:
        return
    first, last = good[0], good[-1]
    for i, block in enumerate(blocks):
        if block.edge_only and first <= i <= last:
            block.reason = None
            block.pattern_id = None


def _apply_zones(blocks: list[TextBlock]) -> None:
    """A zone (comment thread, related box, consent dialog) runs until two prose blocks in a row."""
    zone: str | None = None
    for i, block in enumerate(blocks):
        if block.zone_start:
            zone = block.reason
            continue
        if zone is None:
            continue
        prose_resumes = _is_prose(block) and i + 1 < len(blocks) and _is_prose(blocks[i + 1])
        if prose_resumes and not _zone_recurs(blocks, i, zone):
            zone = None
            continue
        if block.kept:  # blocks a pattern already named keep that name
            block.reason = zone
            block.pattern_id = "zone"


def _zone_recurs(blocks: list[TextBlock], i: int, zone: str) -> bool:
    """A marker of the same zone just ahead: prose between comment signatures is a comment."""
    if zone != "comments":
        return False
    return any(b.zone_start and b.reason == zone for b in blocks[i + 1 : i + 1 + ZONE_LOOKAHEAD])


def _is_prose(block: TextBlock) -> bool:
    # near-good counts: news paragraphs are often one or two sentences, under LENGTH_HIGH.
    return block.kept and block.cls in ("good", "near_good")


def _block_score(block: TextBlock) -> float:
    if not block.kept:
        return -PATTERN_BLOCK_PENALTY
    if block.cls == "good":
        return len(block.text)
    if block.cls == "near_good":
        return NEAR_GOOD_WEIGHT * len(block.text)
    if block.cls == "short":
        return -SHORT_STRUCTURED_PENALTY if block.kind in ("list_item", "table_row") else -SHORT_BLOCK_PENALTY
    return -len(block.text)


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
    taken = 0
    while start > 0 and taken < MAX_EDGE_EXTENSION:
        previous = blocks[start - 1]
        if previous.kind == "title":
            break  # what stands above the title is page header
        if previous.kept and not (previous.kind == "heading" or previous.cls == "short"):
            break
        start -= 1
        taken += previous.kept
    while end + 1 < len(blocks) and _continues_article(blocks, end + 1):
        end += 1
    return start, end


def _continues_article(blocks: list[TextBlock], i: int) -> bool:
    """After the region's last paragraph, sentences and lists go on until boilerplate starts.

    Articles often close with a chatty run of short lines ("There you have it.") that scores
    below zero on its own; a zone marker, a bad block or a non-sentence line ends it.
    """
    block = blocks[i]
    if not block.kept:
        return not block.zone_start
    if block.cls == "bad":
        return False
    if block.kind == "heading":
        return i + 1 < len(blocks) and _is_sentence_like(blocks[i + 1])
    return _is_sentence_like(block)


def _is_sentence_like(block: TextBlock) -> bool:
    if not block.kept or block.cls == "bad":
        return False
    return block.kind == "list_item" or TERMINAL.search(block.text) is not None or block.text.endswith(",")


def _reclassify_in_region(blocks: list[TextBlock], start: int, end: int) -> None:
    """jusText's second pass: short and near-good blocks take their class from their neighbours."""
    region = blocks[start : end + 1]
    for i, block in enumerate(region):
        if not block.kept or block.cls == "good":
            continue
        before = _neighbour_class(region, i, -1)
        after = _neighbour_class(region, i, +1)
        if block.cls == "bad":
            block.reason = "low_content"
        elif block.kind == "heading":
            if after == "bad" and not _content_follows(region, i):
                block.reason = "low_content"
        elif before == "bad" and after == "bad":
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


def _remove_duplicates(blocks: list[TextBlock]) -> None:
    seen: set[str] = set()
    previous: str | None = None
    for block in blocks:
        if not block.kept:
            continue
        key = word_key(block.text)
        repeats_paragraph = block.kind != "heading" and block.n_words >= MIN_DUPLICATE_WORDS and key in seen
        if repeats_paragraph or key == previous:
            block.reason = "duplicate"
        seen.add(key)
        previous = key


def word_key(text: str) -> str:
    """Lower-cased words joined by single spaces: the text with punctuation and layout gone."""
    return " ".join(WORD.findall(text.lower()))


# --- metadata ----------------------------------------------------------------------------------------


def _recover_title(blocks: list[TextBlock]) -> str | None:
    """The longest heading-like line before the first paragraph of prose.

    Longest, not first: dumps often start with a short category link ("Cross Training For
    Runners") above the real title.
    """
    candidates: list[TextBlock] = []
    for block in blocks:
        if block.kept and block.cls == "good":
            break
        if block.kind == "heading" and block.n_words >= 3 and block.pattern_id is None:
            candidates.append(block)
    if not candidates:
        return None
    title = max(candidates, key=lambda b: b.n_words)  # max keeps the first of equals
    title.kind = "title"
    title.reason = "metadata"
    return title.text


def _recover_published(blocks: list[TextBlock]) -> str | None:
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


def _recover_author(blocks: list[TextBlock]) -> str | None:
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


# --- entry point ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def default_patterns() -> tuple[BoilerplatePattern, ...]:
    return tuple(load_boilerplate_patterns(labels=tuple(REMOVAL_REASONS)))


def clean_text(text: str, patterns: tuple[BoilerplatePattern, ...] | None = None) -> CleanResult:
    """Segment a text dump into blocks and decide, for each, keep or remove-with-reason."""
    patterns = patterns if patterns is not None else default_patterns()
    blocks = segment(text)
    words_by_block = [WORD.findall(b.text.lower()) for b in blocks]
    language = detect_stoplist([w for words in words_by_block for w in words])
    stoplist = _stoplist(language) if language else None
    for block, words in zip(blocks, words_by_block, strict=False):
        block.n_words = len(words)
        if stoplist is not None and words:
            block.stop_density = sum(w in stoplist for w in words) / len(words)
    _mark_structure(blocks)
    for block in blocks:
        block.cls = classify_block(block, stoplist)
    _match_patterns(blocks, list(patterns))
    _apply_echoes(blocks)
    _release_edge_only(blocks)
    _apply_zones(blocks)
    title = _recover_title(blocks)
    start, end = main_region(blocks)
    for i, block in enumerate(blocks):
        if block.kept and not start <= i <= end:
            block.reason = "outside_main"
    _reclassify_in_region(blocks, start, end)
    _remove_duplicates(blocks)
    published = _recover_published(blocks)
    author = _recover_author(blocks)
    return CleanResult(blocks=blocks, title=title, author=author, published=published, language=language)
