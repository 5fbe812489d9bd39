"""Segmentation: the blocks of a text dump, one per line, with hard-wrapped paragraphs rejoined."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Hard-wrapped paragraphs: a line at least this long that does not end a sentence, followed by
# a line starting in lower case, continues the same paragraph.
MIN_WRAPPED_LINE = 50

BULLET = re.compile(r"^(?:[•·▪●◦‣⁃∙*➢➤►▸✓✔]|[–—-](?=\s)|\d{1,2}[.)](?=\s)|[a-z]\)(?=\s))\s*")
WORD = re.compile(r"\w+")
# Sentence punctuation includes the CJK full-width forms (。！？：；) and closing quotes (」』).
TERMINAL = re.compile(r"[.!?…:;。！？：；]['\"”’)\]」』）]*$")
SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’)\]」』）]*$")
# References after a sentence's full stop: "... the knee. (Lee et al., 2019) [4]".
TRAILING_REFERENCES = re.compile(r"(?:\s*(?:\[\d+(?:\s*[,–-]\s*\d+)*\]|\([^()]{0,60}\b\d{4}[a-z]?\)))+$")
ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)['\"”’)\]]*$")
# "[…]" or ",…" marks text cut short by a teaser widget; a plain "…" also ends rhetorical
# sentences in articles.
CUT_MARK_END = re.compile(r"(?:[\[(](?:…|\.\.\.)[\])]|[,;]\s*(?:…|\.\.\.))\s*$")
INNER_SENTENCE_END = re.compile(r"[.!?。！？]['\"”’)\]]*\s+\S")
# Chinese and Japanese write a word in one to three characters without spaces, where a Latin
# word takes five or six with its space (Korean spaces its words and counts as written).
IDEOGRAPHIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
IDEOGRAPH_WEIGHT = 3


@dataclass
class TextBlock:
    text: str
    line_start: int
    line_end: int
    kind: str = "paragraph"
    gap_before: bool = True
    n_words: int = 0
    length: int = 0  # text_length(text): characters, ideographs weighted
    stop_density: float = 0.0
    cls: str = "bad"  # jusText class: good, near_good, short, bad
    reason: str | None = None  # removal reason, None while kept
    pattern_id: str | None = None
    zone_start: bool = False
    edge_only: bool = False
    structured: bool = False  # a quantity line of a plan, menu or recipe (`region`)

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
        and not ends_sentence(previous.text)
        and line[:1].islower()
    )


def ends_sentence(text: str) -> bool:
    """The text ends in sentence punctuation (a colon or semicolon too), references aside."""
    return TERMINAL.search(TRAILING_REFERENCES.sub("", text)) is not None


def text_length(text: str) -> int:
    """Characters, counting each ideographic character as IDEOGRAPH_WEIGHT Latin ones."""
    return len(text) + (IDEOGRAPH_WEIGHT - 1) * len(IDEOGRAPHIC.findall(text))


def word_key(text: str) -> str:
    """Lower-cased words joined by single spaces: the text with punctuation and layout gone."""
    return " ".join(WORD.findall(text.lower()))
