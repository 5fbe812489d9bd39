"""Turn an HTML page into a plain-text dump, the way saved text dumps of pages are made.

Recipe: drop script, style, noscript and template elements; take the text with a newline at
every block-level element boundary; collapse runs of spaces. The benchmark uses it to make
text-dump versions of HTML pages, and the HTML path uses it to list what trafilatura left out.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

DROPPED_ELEMENTS = ("script", "style", "noscript", "template")
BLOCK_ELEMENTS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "option",
        "select",
        "button",
        "label",
    ]
)
SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u3000]+")
BLANK_RUNS = re.compile(r"\n{3,}")


def html_to_dump(markup: str) -> str:
    """The page's visible text, one block per line, blank lines between block groups."""
    try:
        root = lxml_html.document_fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    # Listed first: dropping elements while iterating the tree skips the one after each drop,
    # so a second script in a row would leak its code into the dump.
    for element in list(root.iter(*DROPPED_ELEMENTS)):
        element.drop_tree()
    body = root.find("body")
    parts: list[str] = []
    _collect(body if body is not None else root, parts)
    return _dump_text(parts)


def _dump_text(parts: list[str]) -> str:
    """Spaces collapsed in each line, runs of blank lines cut to one."""
    lines = (SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def _collect(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    is_block = tag.lower() in BLOCK_ELEMENTS
    if is_block:
        parts.append("\n")
    if element.text and tag:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
    if is_block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


# Streamed pages are fed to the parser in pieces of this many characters.
FEED_CHARS = 1 << 20


def html_to_dump_streamed(markup: str) -> str:
    """The same dump as `html_to_dump`, made from parser events without building the page's tree:
    a tree of a page of tens of megabytes takes gigabytes, the events take the text's size."""
    target = _DumpTarget()
    parser = lxml_html.etree.HTMLParser(target=target)
    for start in range(0, len(markup), FEED_CHARS):
        parser.feed(markup[start : start + FEED_CHARS])
    return _dump_text(parser.close())


class _DumpTarget:
    """Parser events to dump text: the body's text and tails, a newline at block boundaries,
    nothing inside dropped elements or the head."""

    SKIPPED = frozenset((*DROPPED_ELEMENTS, "head"))

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skipping = 0

    def start(self, tag: str, attrib: dict) -> None:
        tag = tag.lower()
        if tag in self.SKIPPED:
            self.skipping += 1
        elif not self.skipping and tag in BLOCK_ELEMENTS:
            self.parts.append("\n")

    def end(self, tag: str) -> None:
        tag = tag.lower()
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif not self.skipping and tag in BLOCK_ELEMENTS:
            self.parts.append("\n")

    def data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def comment(self, text: str) -> None:
        pass  # comments are never shown

    def close(self) -> list[str]:
        return self.parts
