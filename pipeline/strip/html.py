"""Stage 2, strip boilerplate: turn each ingested document into blocks, kept or removed.

HTML goes through trafilatura, which is what it is best at; its main text keeps its headings,
paragraphs and list items as separate blocks. The rest of the page's text is listed too, as
removed blocks with a reason, so that anyone can audit what was dropped. Text dumps go through
our own block classifier (`textclean`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import trafilatura
from lxml import etree

from pipeline.records import STATUS_ERROR, Block, Document
from pipeline.strip.htmldump import html_to_dump, html_to_dump_streamed
from pipeline.strip.textclean import clean_text, default_patterns, duplicate_indices, word_key
from pipeline.strip.textclean.patterns import matcher

HEADING_LEVEL = re.compile(r"h(\d)")
# A dump line counts as extracted when its words appear in trafilatura's text. Lines shorter
# than this many characters are too generic to locate ("Share", "Home") and count as removed
# unless they are a whole extracted block.
MIN_LOCATABLE_CHARS = 25


# Above this many characters a page is cleaned as its text dump: trafilatura's time grows faster
# than the page (bench/large_inputs.py, distinct paragraphs: 34 s at 5 MB, 160 s at 20 MB, 980 s
# at 50 MB), the dump cleaner's in proportion (36, 125, 307 s), and below 5 MB the two cost alike.
LARGE_HTML_CHARS = 5_000_000


def strip_boilerplate(doc: Document) -> tuple[Document, list[Block]]:
    """Blocks of one document; documents that are not `ok` have none."""
    if doc.status != "ok":
        return doc, []
    if doc.format == "html" and len(doc.text) > LARGE_HTML_CHARS:
        return _strip_large_html(doc)
    if doc.format == "html":
        return _strip_html(doc)
    return _strip_text(doc)


def _strip_large_html(doc: Document) -> tuple[Document, list[Block]]:
    """A very large page through the text-dump cleaner, its dump made from parser events without
    a tree; its blocks have no raw line numbers, since they are lines of the dump, not of the HTML."""
    stripped, blocks = _strip_text(replace(doc, text=html_to_dump_streamed(doc.text)))
    for name in ("title", "author", "published", "language", "status", "error"):
        setattr(doc, name, getattr(stripped, name))
    return doc, [replace(b, line_start=None, line_end=None) for b in blocks]


def _strip_text(doc: Document) -> tuple[Document, list[Block]]:
    result = clean_text(doc.text)
    doc.title = doc.title or result.title
    doc.author = doc.author or result.author
    doc.published = doc.published or result.published
    doc.language = result.language
    blocks = []
    section: list[str] = []
    for idx, tb in enumerate(result.blocks):
        if tb.kept and tb.kind == "heading":
            section = [tb.text]
        blocks.append(
            Block(
                doc_id=doc.doc_id,
                block_idx=idx,
                kind=tb.kind,
                text=tb.text,
                kept=tb.kept,
                removal_reason=tb.reason,
                section_path=[] if tb.kind in ("heading", "title") else list(section),
                line_start=tb.line_start,
                line_end=tb.line_end,
            )
        )
    if not any(b.kept for b in blocks):
        doc.status, doc.error = STATUS_ERROR, f"{doc.source_path}: {nothing_kept(blocks)}"
    return doc, blocks


def nothing_kept(blocks: list[Block]) -> str:
    """Why a document kept no text: how many blocks were removed, for what reasons."""
    if not blocks:
        return "no article text: the file holds no text lines"
    counts = Counter(str(b.removal_reason) for b in blocks)
    if len(counts) == 1:
        return f"no article text kept: all {len(blocks)} blocks judged {next(iter(counts))}"
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return f"no article text kept: all {len(blocks)} blocks removed ({', '.join(f'{n} {r}' for r, n in ranked)})"


def _strip_html(doc: Document) -> tuple[Document, list[Block]]:
    extracted = trafilatura.bare_extraction(doc.text, with_metadata=True, include_comments=False, include_tables=True)
    dump = html_to_dump(doc.text)
    if extracted is None or extracted.body is None or not extracted.text:
        # trafilatura found no main text: judge the page's text dump like any other dump.
        fallback = replace(doc, text=dump, format="text")
        fallback, blocks = _strip_text(fallback)
        for block in blocks:
            block.line_start = block.line_end = None  # lines of a derived dump, not of the file
        doc.status, doc.error = fallback.status, fallback.error
        doc.title, doc.author, doc.published = fallback.title, fallback.author, fallback.published
        return doc, blocks
    doc.title = extracted.title
    doc.author = extracted.author
    doc.published = extracted.date
    doc.sitename = extracted.sitename
    doc.url = extracted.url
    kept = list(_body_blocks(doc.doc_id, extracted.body))
    for i in duplicate_indices([(b.kind, b.text) for b in kept]):
        kept[i].kept, kept[i].removal_reason = False, "duplicate"
    removed = _removed_dump_lines(doc.doc_id, dump, kept)
    # Page order for kept blocks; removed lines are listed after them, header ones first.
    blocks = removed["before"] + kept + removed["after"]
    for idx, block in enumerate(blocks):
        block.block_idx = idx
    return doc, blocks


def _body_blocks(doc_id: str, body: etree._Element):
    headings: list[tuple[int, str]] = []
    for element in body:
        text = _element_text(element)
        if element.tag == "head":
            level = _heading_level(element)
            headings = [h for h in headings if h[0] < level] + [(level, text)]
            yield _html_block(doc_id, "heading", text, [t for _, t in headings[:-1]])
        elif element.tag == "list":
            for item in element.iter("item"):
                yield _html_block(doc_id, "list_item", _element_text(item), [t for _, t in headings])
        elif element.tag == "table":
            for row in element.iter("row"):
                cells = [_element_text(cell) for cell in row.iter("cell")]
                yield _html_block(doc_id, "table_row", " | ".join(c for c in cells if c), [t for _, t in headings])
        elif text:
            yield _html_block(doc_id, "paragraph", text, [t for _, t in headings])


def _html_block(doc_id: str, kind: str, text: str, section: list[str]) -> Block:
    return Block(doc_id=doc_id, block_idx=0, kind=kind, text=text, section_path=section)


def _heading_level(element: etree._Element) -> int:
    match = HEADING_LEVEL.fullmatch(element.get("rend", ""))
    return int(match.group(1)) if match else 2


def _element_text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _removed_dump_lines(doc_id: str, dump: str, kept: list[Block]) -> dict[str, list[Block]]:
    """Dump lines that trafilatura did not extract, with a reason from the named patterns."""
    kept_text = " " + " ".join(word_key(b.text) for b in kept) + " "
    kept_blocks = {word_key(b.text) for b in kept}
    first_match = matcher(default_patterns()).first
    out: dict[str, list[Block]] = {"before": [], "after": []}
    seen_kept = False
    for line in dump.splitlines():
        norm = word_key(line)
        if not norm:
            continue
        located = norm in kept_blocks or (len(norm) >= MIN_LOCATABLE_CHARS and f" {norm} " in kept_text)
        if located:
            seen_kept = True
            continue
        n_words = len(norm.split())
        pattern = first_match(line, n_words)
        reason = pattern.label if pattern else "not_extracted"
        block = Block(doc_id=doc_id, block_idx=0, kind="paragraph", text=line, kept=False, removal_reason=reason)
        out["after" if seen_kept else "before"].append(block)
    return out
