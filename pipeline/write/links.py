"""Links between the pages of a build: evidence opens the audit page of its document at its lines.

An audit page lives at `<out>/audit/<doc_id>.html`; its blocks carry the raw line numbers as
anchors, and `#L12-L14` highlights lines 12 to 14 (the anchor form code hosts use). HTML inputs
have no raw lines, so their evidence points at the claim (`#claim-<claim_id>`). Every link is
relative to the build folder, so the pages work wherever the folder is copied.
"""

from __future__ import annotations

import html
import re

AUDIT_DIR = "audit"
# A web address in evidence or a citation ("... <https://example.org/page>"): the address stops at
# whitespace, angle brackets or quotes, and a trailing full stop or bracket is not part of it.
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]")


def line_anchor(line_start: int | None, line_end: int | None) -> str:
    """'L12-L14', 'L12', or '' without lines."""
    if not line_start:
        return ""
    if line_end and line_end != line_start:
        return f"L{line_start}-L{line_end}"
    return f"L{line_start}"


def audit_href(
    doc_id: str,
    line_start: int | None = None,
    line_end: int | None = None,
    claim_id: str | None = None,
    prefix: str = f"{AUDIT_DIR}/",
) -> str:
    """The audit page of a document, at its lines (text inputs) or its claim (HTML inputs)."""
    anchor = line_anchor(line_start, line_end) or (f"claim-{claim_id}" if claim_id else "")
    return f"{prefix}{doc_id}.html" + (f"#{anchor}" if anchor else "")


def lines_label(line_start: int | None, line_end: int | None) -> str:
    if not line_start:
        return ""
    if line_end and line_end != line_start:
        return f"lines {line_start}-{line_end}"
    return f"line {line_start}"


def linkify(text: str) -> str:
    """Escaped text in which every web address is a link."""
    parts, last = [], 0
    for match in URL.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group(0))
        parts.append(f'<a href="{url}" rel="noopener noreferrer">{url}</a>')
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)
