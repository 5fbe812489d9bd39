"""Block features: stoplists per language, jusText classes, C4/Gopher line rules, structure."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from pipeline.common.rules import DATA_DIR
from pipeline.strip.textclean.blocks import (
    CUT_MARK_END,
    ELLIPSIS_END,
    INNER_SENTENCE_END,
    SENTENCE_END,
    WORD,
    TextBlock,
    ends_sentence,
    text_length,
)

# jusText's published defaults: blocks under 70 characters are too short to judge alone;
# above 200 with enough stopwords they are prose. They held up on the dumps unchanged.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
# English is preferred when at least this share of a page's words are English stopwords, or
# when its share is close to the best one: jusText's stoplists for many smaller languages were
# built from web text and hold hundreds of English words ("and", "for", "cup", "bay"), so on
# an English page of lists or scores they trail English closely, while on a real page in
# another language English trails far behind (0.08 against 0.49 on the Portuguese development
# pages). Below MIN_LANGUAGE_DENSITY no stoplist fits (e.g. Japanese, which has no spaces, or
# a page of sports scores) and blocks are judged without stopwords.
ENGLISH_DENSITY = 0.20
ENGLISH_NEAR_BEST = 0.8
MIN_LANGUAGE_DENSITY = 0.20
# The language is judged on the words of sentence-length blocks, not on menus and buttons,
# when the page has at least this many such words.
LANGUAGE_BLOCK_WORDS = 8
MIN_LANGUAGE_SAMPLE = 50
# Article list items ("Deadlifts: Incorporate deadlifts into your routine to target ...") are
# terse: about 0.2 stopwords. A complete sentence at that density is near-good, not bad, and
# its neighbours decide. Below it are keyword strings and teaser titles.
TERSE_STOPWORDS = 0.18

MAX_HEADING_WORDS = 14
CAMEL_JUNCTION = re.compile(r"[a-z)][A-Z]")
LETTER_WORD = re.compile(r"\w*[^\W\d_]\w*")  # a word with at least one letter in it
CODE_OR_FILLER = re.compile(r"javascript|lorem ipsum|[{}]|</?[a-z]+>", re.I)


@lru_cache(maxsize=1)
def _stoplist_index() -> dict[str, tuple[str, ...]]:
    """word -> languages whose jusText stoplist contains it. Built only for a page that is not
    plainly English: reading all 100 stoplists takes 0.3 to 0.6 s, once per worker."""
    import justext

    index: dict[str, list[str]] = {}
    for language in sorted(justext.get_stoplists()):
        for word in justext.get_stoplist(language):
            index.setdefault(word.lower(), []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


@cache
def stoplist(language: str) -> frozenset[str]:
    """jusText's stoplist for the language; for English, with the project's additions."""
    words = _justext_stoplist(language)
    return words | _extra_english_stopwords() if language == "English" else words


@cache
def _justext_stoplist(language: str) -> frozenset[str]:
    import justext

    return frozenset(word.lower() for word in justext.get_stoplist(language))


def _extra_english_stopwords() -> set[str]:
    path = DATA_DIR / "stopwords_extra_en.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def detect_stoplist(words: list[str]) -> str | None:
    """The jusText stoplist language that best fits the words, or None if none fits."""
    if not words:
        return None
    tally = Counter(words)
    english_words = stoplist("English")
    english = sum(n for word, n in tally.items() if word in english_words)
    if english >= ENGLISH_DENSITY * len(words) and not tally.keys().isdisjoint(_justext_stoplist("English")):
        # English whatever the other stoplists say, so the index of all of them is not needed. (A
        # word of jusText's own English list means some stoplist fits: without one, the answer
        # below is None even when the project's additions make up the density.)
        return "English"
    index = _stoplist_index()
    counts: dict[str, int] = {}
    for word, n in tally.items():
        for language in index.get(word, ()):
            counts[language] = counts.get(language, 0) + n
    if not counts:
        return None
    best = max(sorted(counts), key=counts.__getitem__)
    if english >= ENGLISH_NEAR_BEST * counts[best] > 0:
        return "English"
    return best if counts[best] / len(words) >= MIN_LANGUAGE_DENSITY else None


def measure(blocks: list[TextBlock]) -> str | None:
    """Word counts and stopword densities of the blocks; returns the page's stoplist language."""
    words_by_block = [WORD.findall(b.text.lower()) for b in blocks]
    sample = [w for words in words_by_block if len(words) >= LANGUAGE_BLOCK_WORDS for w in words]
    if len(sample) < MIN_LANGUAGE_SAMPLE:
        sample = [w for words in words_by_block for w in words]
    language = detect_stoplist(sample)
    words_of_language = stoplist(language) if language else None
    for block, words in zip(blocks, words_by_block, strict=False):
        block.n_words = len(words)
        block.length = text_length(block.text)
        if words_of_language is not None and words:
            block.stop_density = sum(map(words_of_language.__contains__, words)) / len(words)
    return language


def classify_block(block: TextBlock, has_stoplist: bool) -> str:
    """jusText's context-free class, tightened by C4/Gopher line rules."""
    text = block.text
    if CODE_OR_FILLER.search(text):
        return "bad"
    if block.n_words and len(LETTER_WORD.findall(text)) / block.n_words < 0.5:
        return "bad"  # mostly numbers: scores, tables, prices
    if CUT_MARK_END.search(text):
        return "bad"  # truncated teaser of another page: "... the hill sessions that [...]"
    if ELLIPSIS_END.search(text) and not INNER_SENTENCE_END.search(text):
        return "short"  # one sentence trailing off: a teaser, or a lead-in; its neighbours decide
    if block.length < LENGTH_LOW:
        return "short"
    if not has_stoplist or block.stop_density >= STOPWORDS_HIGH:
        cls = "good" if block.length > LENGTH_HIGH else "near_good"
    elif block.stop_density >= STOPWORDS_LOW:
        cls = "near_good"
    elif block.stop_density >= TERSE_STOPWORDS and ends_sentence(text):
        cls = "near_good"  # terse but complete sentences: list items of tips and exercises
    else:
        cls = "bad"
    # C4: prose ends in sentence punctuation; long lines that do not are titles and teasers.
    # A paragraph trailing off in "..." may be a teaser of another page or a rhetorical pause
    # in the article: its neighbours decide.
    if cls == "good" and block.kind == "paragraph" and (not ends_sentence(text) or ELLIPSIS_END.search(text)):
        cls = "near_good"
    return cls


def looks_like_heading(block: TextBlock) -> bool:
    text = block.text
    if block.kind != "paragraph" or block.n_words == 0 or block.n_words > MAX_HEADING_WORDS:
        return False
    if re.search(r"[.,;:!]['\"”’]?$", text) or ELLIPSIS_END.search(text):
        return False
    return text[0].isupper() or text[0].isdigit()


def mark_structure(blocks: list[TextBlock]) -> None:
    """Headings and flattened table rows, from the shape of each line and its neighbours."""
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
