"""curated/review.html: a static page of the open and resolved conflicts, with their evidence.

Each piece of evidence links back to its source file and lines (`../raw/file.txt#L12-L14`, the
anchor form code hosts understand). The page holds no timestamps of its own, so an unchanged
build writes the same bytes.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from pipeline.common.atomic import write_text_atomically
from pipeline.reconcile.conflicts import Conflict
from pipeline.reconcile.evidence import Evidence
from pipeline.records import CONFLICT_KINDS

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
section.conflict { border: 1px solid #ddd; border-radius: 6px; margin: 1em 0; padding: 0.6em 1em; }
section.conflict.resolved { background: #f6fbf6; }
.meta { color: #666; font-size: 0.9em; } code { background: #f3f3f3; padding: 0 0.2em; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(20em, 1fr)); gap: 1em; }
.side h4 { margin: 0.4em 0; } blockquote { margin: 0.3em 0 0.6em; padding-left: 0.8em; border-left: 3px solid #ccc; }
table.forms { border-collapse: collapse; font-size: 0.9em; } table.forms td, table.forms th { padding: 0 0.6em; }
"""


def write_review_page(path: Path, conflicts: list[Conflict], raw_dir: Path) -> None:
    write_text_atomically(path, render_review_page(conflicts, _raw_prefix(path.parent, raw_dir)))


def _raw_prefix(out_dir: Path, raw_dir: Path) -> str:
    """The raw folder as seen from the page, so links work when the two folders sit side by side."""
    return Path(os.path.relpath(raw_dir.resolve(), out_dir.resolve())).as_posix()


def render_review_page(conflicts: list[Conflict], raw_prefix: str = "../raw") -> str:
    open_ = [c for c in conflicts if c.status == "open"]
    resolved = [c for c in conflicts if c.status == "resolved"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Curation review</title>',
        f"<style>{STYLE}</style></head><body>",
        "<h1>Curation review</h1>",
        f"<p>{len(open_)} open and {len(resolved)} resolved conflicts. Decide with <code>make review</code> "
        "or <code>curate decide CONFLICT_ID ACTION</code>; <code>make curate</code> applies the decisions.</p>",
        f'<h2 id="open">Open ({len(open_)})</h2>',
        *(_conflict(c, raw_prefix) for c in open_),
        f'<h2 id="resolved">Resolved ({len(resolved)})</h2>',
        *(_conflict(c, raw_prefix) for c in resolved),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _conflict(conflict: Conflict, raw_prefix: str) -> str:
    e = html.escape
    decision = conflict.decision
    decided = (
        f"<p><strong>Decision:</strong> {e(decision.action)} by {e(decision.by)} at {e(decision.at)}"
        + (f" &mdash; {e(decision.note)}" if decision.note else "")
        + "</p>"
        if decision
        else ""
    )
    sides: dict[str, list[Evidence]] = {}
    for item in conflict.evidence:
        sides.setdefault(item.side, []).append(item)
    columns = "".join(
        f'<div class="side"><h4>{e(side)}</h4>{"".join(_evidence(i, raw_prefix) for i in items)}</div>'
        for side, items in sides.items()
    )
    return (
        f'<section class="conflict {conflict.status}" id="{e(conflict.conflict_id)}">'
        f"<h3>{e(conflict.summary)}</h3>"
        f'<p class="meta">{e(conflict.kind)} ({e(CONFLICT_KINDS[conflict.kind])}) &middot; '
        f"<code>{e(conflict.conflict_id)}</code> &middot; {e(conflict.status)}</p>"
        f"<p><strong>Suggested:</strong> {e(conflict.suggested_resolution)}</p>"
        f"{decided}{_forms(conflict)}"
        f'<div class="sides">{columns}</div></section>'
    )


def _evidence(item: Evidence, raw_prefix: str) -> str:
    e = html.escape
    if item.doc_id and item.source_path:
        lines = ""
        if item.line_start:
            lines = f"#L{item.line_start}" + (f"-L{item.line_end}" if item.line_end != item.line_start else "")
        label = item.source_path + (f", lines {item.line_start}-{item.line_end}" if item.line_start else "")
        href = f"{raw_prefix}/{item.source_path}{lines}"
        where = f'<a href="{e(href)}">{e(label)}</a>'
    else:
        where = e(item.source_path or "")
    claim = f" &middot; claim <code>{e(item.claim_id)}</code>" if item.claim_id else ""
    return f'<blockquote>{e(item.quote)}</blockquote><p class="meta">{where}{claim}</p>'


def _forms(conflict: Conflict) -> str:
    if not conflict.forms:
        return ""
    e = html.escape
    method = f" (clusters by {e(conflict.cluster_method)})" if conflict.cluster_method else ""
    rows = "".join(
        f"<tr><td>{e(f['form'])}</td><td>{e(f['source_path'] or '')}</td><td>{f['n']}</td></tr>" for f in conflict.forms
    )
    return (
        f'<details><summary>Written forms{method}</summary><table class="forms">'
        f"<tr><th>form</th><th>source</th><th>n</th></tr>{rows}</table></details>"
    )
