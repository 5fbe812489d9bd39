"""curated/review.html: the open and resolved conflicts with their evidence, by kind.

Each piece of evidence links to the audit page of its document at the cited lines
(`audit/<doc_id>.html#L12-L14`), which highlights them; reference citations link to their
web addresses. A summary by kind and status heads the page, with links to each kind's place,
and filters by kind and status (kept in the address: `review.html?kind=naming&status=open`).
Served by `curate review --web`, the page gets a token and its decision buttons come alive.
The page holds no timestamps or paths of its own, so an unchanged build writes the same bytes.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.common.atomic import write_text_atomically
from pipeline.reconcile.conflicts import Conflict
from pipeline.records import CONFLICT_KINDS
from pipeline.review.actions import KEYS, action_for_key, choices
from pipeline.write import assets
from pipeline.write.links import audit_href, lines_label, linkify

STATUSES = ("open", "resolved")
# What each key does, in the page's help (each button says it for its own conflict).
KEY_HELP = {
    "accept": "accept the suggestion",
    "reject": "reject the facts",
    "merge": "merge the names (naming conflicts)",
    "not_a_conflict": "keep the facts (not a conflict)",
    "defer": "defer",
}
# The page's token placeholder: `curate review --web` fills it in as it serves the page.
TOKEN_META = '<meta name="curate-token" content="">'


def write_review_page(path: Path, conflicts: Iterable[Conflict | dict[str, Any]]) -> None:
    write_text_atomically(path, render_review_page([_row(c) for c in conflicts]))


def _row(conflict: Conflict | dict[str, Any]) -> dict[str, Any]:
    """A conflict as a `conflicts.parquet` row: the page reads the same from a build and from disk."""
    if isinstance(conflict, dict):
        return conflict
    decision = conflict.decision
    row = {f.name: getattr(conflict, f.name) for f in dataclasses.fields(conflict) if f.name != "decision"}
    row["evidence"] = [dataclasses.asdict(e) for e in conflict.evidence]
    row.update(
        status=conflict.status,
        decision=decision.action if decision else None,
        decided_by=decision.by if decision else None,
        decided_at=decision.at if decision else None,
        decision_note=decision.note if decision else None,
    )
    return row


def cited_documents(conflicts: Iterable[dict[str, Any]]) -> set[str]:
    """doc_ids the page links to: evidence and written forms."""
    cited = set()
    for conflict in conflicts:
        cited |= {e["doc_id"] for e in conflict["evidence"] if e.get("doc_id")}
        cited |= {f["doc_id"] for f in conflict.get("forms") or [] if f.get("doc_id")}
    return cited


def kinds_of(conflicts: list[dict[str, Any]]) -> list[str]:
    """Known kinds in their usual order, then any others a build has (newer kinds of conflict)."""
    present = {c["kind"] for c in conflicts}
    return [k for k in CONFLICT_KINDS if k in present] + sorted(present - set(CONFLICT_KINDS))


def render_review_page(conflicts: list[dict[str, Any]]) -> str:
    kinds = kinds_of(conflicts)
    counts = Counter((c["kind"], c["status"]) for c in conflicts)
    n_open, n_resolved = (sum(c["status"] == s for c in conflicts) for s in STATUSES)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Curation review</title>',
        f"{TOKEN_META}{assets.ICON}<style>{assets.BASE_CSS}{assets.REVIEW_CSS}</style></head><body>",
        '<nav class="pages"><a href="report.html">Report</a><a href="review.html">Review</a></nav>',
        "<h1>Curation review</h1>",
        f"<p>{n_open} open and {n_resolved} resolved conflicts.</p>",
        '<p class="static-only">Decide with <code>curate review --web</code> (buttons in this page), '
        "<code>make review</code> (the terminal) or <code>curate decide CONFLICT_ID ACTION</code>; "
        "<code>make curate</code> applies the decisions.</p>",
        _summary(kinds, counts),
        _filters(kinds),
    ]
    for status in STATUSES:
        # The order of the reconciler (summary, then id), whichever order the rows come in.
        chosen = sorted((c for c in conflicts if c["status"] == status), key=lambda c: (c["summary"], c["conflict_id"]))
        parts.append(f'<h2 id="{status}">{status.capitalize()} ({len(chosen)})</h2>')
        for kind in kinds:
            group = [c for c in chosen if c["kind"] == kind]
            if group:
                parts.append(
                    f'<section class="kind-group" id="{status}-{kind}"><h3>{html.escape(kind)} ({len(group)})</h3>'
                )
                parts += [_conflict(c) for c in group]
                parts.append("</section>")
    parts.append(f"<script>{assets.REVIEW_JS}</script></body></html>")
    return "\n".join(parts) + "\n"


def _summary(kinds: list[str], counts: Counter[tuple[str, str]]) -> str:
    rows = []
    for kind in kinds:
        cells = "".join(
            f'<td class="n"><a href="#{s}-{kind}">{counts[(kind, s)]}</a></td>' if counts[(kind, s)] else '<td class="n">0</td>'
            for s in STATUSES
        )  # fmt: skip
        rows.append(f"<tr><td>{html.escape(kind)}</td><td>{html.escape(CONFLICT_KINDS.get(kind, ''))}</td>{cells}</tr>")
    return (
        '<nav id="summary"><table class="data"><tr><th>kind</th><th>what</th><th class="n">open</th>'
        f'<th class="n">resolved</th></tr>{"".join(rows)}</table></nav>'
    )


def _filters(kinds: list[str]) -> str:
    kind_options = "".join(f'<option value="{html.escape(k)}">{html.escape(k)}</option>' for k in kinds)
    status_options = "".join(f'<option value="{s}">{s}</option>' for s in STATUSES)
    return (
        '<div class="filters"><label>Kind <select id="filter-kind"><option value="">all kinds</option>'
        f'{kind_options}</select></label><label>Status <select id="filter-status"><option value="">all</option>'
        f'{status_options}</select></label><span id="filter-count" class="meta"></span>{_served_bar()}</div>'
    )


def _served_bar() -> str:
    keys = ", ".join(f"<kbd>{k}</kbd> {KEY_HELP[a]}" for k, a in KEYS.items())
    return (
        '<div id="banner" class="served-only"><span id="banner-text"></span> '
        '<button type="button" id="rebuild" hidden>Rebuild now</button></div>'
        '<div id="help" class="served-only" hidden><p>Keys act on the outlined conflict: '
        f"{keys}; <kbd>s</kbd> or <kbd>j</kbd> next, <kbd>p</kbd> previous, <kbd>e</kbd> write a note, "
        "<kbd>?</kbd> this help. Each decision is appended to the decisions file at once and applies on "
        "the next build.</p></div>"
    )


def _conflict(conflict: dict[str, Any]) -> str:
    e = html.escape
    decided = ""
    if conflict.get("decision"):
        note = f" &mdash; {e(conflict['decision_note'])}" if conflict.get("decision_note") else ""
        decided = (
            f"<p><strong>Decision:</strong> {e(conflict['decision'])} by {e(conflict['decided_by'] or '')} "
            f"at {e(conflict['decided_at'] or '')}{note}</p>"
        )
    sides: dict[str, list[dict[str, Any]]] = {}
    for item in conflict["evidence"]:
        sides.setdefault(item["side"], []).append(item)
    columns = "".join(
        f'<div class="side"><h4>{e(side)}</h4>{"".join(_evidence(i) for i in items)}</div>'
        for side, items in sides.items()
    )
    cid, kind = e(conflict["conflict_id"]), e(conflict["kind"])
    return (
        f'<section class="conflict {e(conflict["status"])}" id="{cid}" data-kind="{kind}" data-status="{e(conflict["status"])}">'
        f"<h4>{e(conflict['summary'])}</h4>"
        f'<p class="meta">{kind} ({e(CONFLICT_KINDS.get(conflict["kind"], conflict["kind"]))}) &middot; '
        f"<code>{cid}</code> &middot; {e(conflict['status'])}</p>"
        f"<p><strong>Suggested:</strong> {e(conflict['suggested_resolution'])}</p>"
        f"{decided}{_forms(conflict)}"
        f'<div class="sides">{columns}</div>{_decide(conflict)}</section>'
    )


def _decide(conflict: dict[str, Any]) -> str:
    """Buttons labelled by what they do to the facts (live only when served), and the command line."""
    e = html.escape
    keys = {k: a for k in "armkdn" if (a := action_for_key(conflict, k)[0])}
    why = {k: reason for k in "armkdn" if (reason := action_for_key(conflict, k)[1])}
    buttons = "".join(
        f'<button type="button" data-action="{c.action}" data-key="{c.key}"><kbd>{c.key}</kbd> {e(c.label)}</button>'
        for c in choices(conflict)
    )
    verb = "Change the decision" if conflict["status"] == "resolved" else "Decide"
    return (
        f'<div class="decide served-only" data-keys="{e(json.dumps(keys))}" data-why="{e(json.dumps(why))}">'
        f"<strong>{verb}:</strong> {buttons}"
        '<input class="note" type="text" placeholder="note (optional), kept with the decision" aria-label="note">'
        '<span class="recorded" role="status"></span></div>'
        f'<p class="meta static-only">Decide: <code>curate decide {e(conflict["conflict_id"])} ACTION</code></p>'
    )


def _evidence(item: dict[str, Any]) -> str:
    e = html.escape
    if item.get("doc_id") and item.get("source_path"):
        label = ", ".join(filter(None, [item["source_path"], lines_label(item["line_start"], item["line_end"])]))
        href = audit_href(item["doc_id"], item["line_start"], item["line_end"], item.get("claim_id"))
        where = f'<a class="evidence" href="{e(href)}">{e(label)}</a>'
    else:
        where = linkify(item.get("source_path") or "")
    claim = f" &middot; claim <code>{e(item['claim_id'])}</code>" if item.get("claim_id") else ""
    return f'<blockquote>{linkify(item["quote"] or "")}</blockquote><p class="meta">{where}{claim}</p>'


def _forms(conflict: dict[str, Any]) -> str:
    if not conflict.get("forms"):
        return ""
    e = html.escape
    method = f" (clusters by {e(conflict['cluster_method'])})" if conflict.get("cluster_method") else ""
    rows = "".join(
        f"<tr><td>{e(f['form'])}</td><td>{_document_link(f)}</td><td>{f['n']}</td></tr>" for f in conflict["forms"]
    )
    return (
        f'<details><summary>Written forms{method}</summary><table class="forms">'
        f"<tr><th>form</th><th>source</th><th>n</th></tr>{rows}</table></details>"
    )


def _document_link(form: dict[str, Any]) -> str:
    path = html.escape(form.get("source_path") or "")
    return f'<a href="{html.escape(audit_href(form["doc_id"]))}">{path}</a>' if form.get("doc_id") else path
