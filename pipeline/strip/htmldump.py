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
    for element in root.iter(*DROPPED_ELEMENTS):
        element.drop_tree()
    body = root.find("body")
    parts: list[str] = []
    _collect(body if body is not None else root, parts)
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
