"""curated/report.html: the page to open first. What the build holds, as charts and short tables.

Sections: the corpus (documents by status, words kept and removed per reason, languages,
near-duplicate groups), coverage (a muscle x source heatmap of mentions), facts (the
best-supported per relation, coloured by reference agreement, with links to their evidence),
review (conflicts by kind and status, candidate terms, stale decisions) and quality (the
figures of `curate evaluate`, when it has run). Charts are SVG (`charts.py`) inlined in the page,
so it is one offline file; all of it is made from the build folder's files.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipeline.records import RELATIONS, REMOVAL_REASONS
from pipeline.write import assets, charts
from pipeline.write import report_data as data
from pipeline.write.built import BuiltFolder
from pipeline.write.links import audit_href, lines_label
from pipeline.write.review_page import kinds_of

KEPT_COLOR = "#4c78a8"
# A twenty-colour categorical palette without its blues (kept text is blue), one colour per removal reason.
PALETTE = (
    "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5", "#8c564b",
    "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7", "#bcbd22", "#dbdb8d", "#17becf", "#9edae5",
)  # fmt: skip
REASON_COLORS = dict(zip(REMOVAL_REASONS, PALETTE, strict=False))
AGREEMENT_COLORS = {"agrees": "#2e7d32", "partial": "#f2a900", "contradicts": "#c62828", "unknown": "#9e9e9e"}
STATUS_COLORS = {"open": "#c88a00", "resolved": "#2e7d32"}
NARROW = charts.NARROW_IN
# Removal reasons drawn apart in the per-document chart; the others are summed (the corpus-wide
# chart shows every reason).
STACKED_REASONS = 7
# evaluation.json: the figures shown, each a nested object of numbers (also looked for under "totals").
QUALITY_KEYS = ("muscles", "claims", "boilerplate", "lines")


@dataclass
class Report:
    html: str
    cited: set[str] = field(default_factory=set)  # doc_ids the page links to


def build_report(built: BuiltFolder) -> Report:
    corpus = data.corpus(built)
    coverage = data.coverage(built)
    facts = data.facts(built, RELATIONS)
    conflicts = built.rows("conflicts", ["conflict_id", "kind", "status"])
    cited = {d.doc_id for d in corpus.top_documents}
    cited |= {c["doc_id"] for fs in facts.by_relation.values() for f in fs for c in f.evidence}
    sections = [
        _headline(corpus, coverage, facts, conflicts),
        '<nav class="pages"><a href="#corpus">Corpus</a><a href="#coverage">Coverage</a><a href="#facts">Facts</a>'
        '<a href="#review">Review</a><a href="#quality">Quality</a></nav>',
        _corpus(corpus),
        _coverage(coverage),
        _facts(facts),
        _review(built, conflicts),
        _quality(built),
    ]
    page = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Curated dataset report</title>',
        f"{assets.ICON}<style>{assets.BASE_CSS}{assets.REPORT_CSS}</style></head><body>",
        '<nav class="pages"><a href="report.html">Report</a><a href="review.html">Review</a></nav>',
        "<h1>Curated dataset report</h1>",
        *sections,
        "</body></html>",
    ]
    return Report(html="\n".join(page) + "\n", cited=cited)


def _n(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _table(header: list[str], rows: list[list[Any]], numeric: set[int] = frozenset()) -> str:
    """A small table; cells are HTML already (escape before), numbers are formatted here."""
    head = "".join(f"<th{' class=n' if i in numeric else ''}>{h}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(
            f'<td class="n">{_n(c)}</td>' if isinstance(c, int | float) and not isinstance(c, bool) else f"<td>{c}</td>"
            for c in row
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f'<table class="data"><tr>{head}</tr>{body}</table>'


def _headline(corpus: data.Corpus, coverage: data.Coverage, facts: data.Facts, conflicts: list[dict]) -> str:
    removed = sum(n for reason, n in corpus.words.items() if reason != data.KEPT)
    figures = [
        ("documents", corpus.n_documents),
        ("words kept", corpus.words.get(data.KEPT, 0)),
        ("words removed", removed),
        ("muscles named", coverage.n_muscles),
        ("claims", facts.n_claims),
        ("facts", facts.n_facts),
        ("open conflicts", sum(c["status"] == "open" for c in conflicts)),
    ]
    cells = "".join(f"<div><b>{_n(v)}</b>{html.escape(k)}</div>" for k, v in figures)
    return f'<div class="figures">{cells}</div>'


def _corpus(corpus: data.Corpus) -> str:
    reasons = list(corpus.words)
    colors = [KEPT_COLOR if r == data.KEPT else REASON_COLORS.get(r, "#555") for r in reasons]
    words = [charts.Series("words", list(corpus.words.values()), KEPT_COLOR)]
    title = "Words kept, and removed per reason"
    shares = [f"{10 * i}%" for i in range(10)]
    grid = [
        charts.barh("c-words", reasons, words, title, "words", bar_colors=colors, width=NARROW),
        charts.columns(
            "c-share", shares, corpus.removed_share, "Share of each document's words removed",
            "words removed (from)", "documents",
        ),
    ]  # fmt: skip
    # A handful of statuses and languages read better as counts than as charts.
    counts = [
        _counts("Documents by status", corpus.by_status),
        _counts("Formats", corpus.by_format),
        _counts("Languages", corpus.languages[: data.TOP_LANGUAGES], len(corpus.languages)),
    ]
    parts = ['<h2 id="corpus">Corpus</h2>', f'<div class="figures">{"".join(counts)}</div>']
    parts += [f'<div class="charts">{"".join(grid)}</div>', _per_document(corpus), _groups(corpus)]
    return "\n".join(parts)


def _counts(title: str, counts: list[tuple[str, int]], total: int = 0) -> str:
    rows = "".join(f'<tr><td>{html.escape(k)}</td><td class="n">{n:,}</td></tr>' for k, n in counts)
    more = f'<tr><td colspan="2">and {total - len(counts)} more</td></tr>' if total > len(counts) else ""
    return f'<div><strong>{title}</strong><table class="data">{rows}{more}</table></div>'


def _groups(corpus: data.Corpus) -> str:
    e = html.escape
    head = f"<h3>Near-duplicate groups ({corpus.n_groups_with_copies} with copies)</h3>"
    if not corpus.groups:
        return head + '<p class="empty">No near-duplicate copies: every file counts as its own source.</p>'
    rows = []
    for group in corpus.groups:
        shown = ", ".join(f"{e(p)} ({s:.2f})" for p, s in group[1 : 1 + data.GROUP_MEMBERS_SHOWN])
        more = len(group) - 1 - data.GROUP_MEMBERS_SHOWN
        rows.append([e(group[0][0]), len(group), shown + (f", and {more} more" if more > 0 else "")])
    return head + _table(["first file", "files", "copies (similarity)"], rows, {1})


def _per_document(corpus: data.Corpus) -> str:
    docs = corpus.top_documents
    if not docs:
        return ""
    # The reasons that remove most words across the corpus, then the rest together: each reason
    # drawn is a row of bars, and a dozen of them cost more time than the rest of the page.
    reasons = [r for r in corpus.words if r != data.KEPT]
    shown, rest = reasons[:STACKED_REASONS], set(reasons[STACKED_REASONS:])
    series = [charts.Series(data.KEPT, [d.kept for d in docs], KEPT_COLOR)]
    series += [charts.Series(r, [d.removed.get(r, 0) for d in docs], REASON_COLORS.get(r, "#555")) for r in shown]
    if rest:
        others = [sum(n for r, n in d.removed.items() if r in rest) for d in docs]
        series.append(charts.Series("other reasons", others, "#555555"))
    which = "every document"
    if corpus.n_with_blocks > len(docs):
        which = f"the {len(docs)} of {corpus.n_with_blocks:,} documents with the most words removed"
    urls = [audit_href(d.doc_id) for d in docs]
    chart = charts.barh("c-docs", [d.source_path for d in docs], series, "Words per document", "words", urls=urls)
    return (
        f"<h3>Words kept and removed per reason: {which}</h3>{chart}"
        "<p class=meta>Each file name opens its audit page; blocks.parquet has every document's blocks.</p>"
    )


def _coverage(coverage: data.Coverage) -> str:
    e = html.escape
    parts = ['<h2 id="coverage">Coverage</h2>']
    if not coverage.muscles:
        return parts[0] + '<p class="empty">No muscle is mentioned in this build.</p>'
    rows = "every muscle named"
    if coverage.n_muscles > len(coverage.muscles):
        rows = f"the {len(coverage.muscles)} of {coverage.n_muscles} muscles named by most sources"
    cols = "every source"
    if coverage.n_sources > len(coverage.sources):
        cols = f"the {len(coverage.sources)} of {coverage.n_sources:,} sources with the most mentions"
    parts.append(
        f"<p>Mentions per muscle and source: {rows}, against {cols}. A source is a near-duplicate group: "
        "copies of one article count once.</p>"
    )
    heat = charts.heatmap("c-heat", coverage.muscles, coverage.sources, coverage.counts, "Mentions")
    labels = [str(i) for i in range(1, len(coverage.sources_per_muscle) + 1)]
    title = "Muscles by how many sources name them"
    spread = charts.columns("c-spread", labels, coverage.sources_per_muscle, title, "sources", "muscles")
    parts.append(f'<div class="charts">{heat}{spread}</div>')
    every = ", ".join(e(m) for m in coverage.every_source) or '<span class="empty">none</span>'
    parts.append(f"<h3>Named by every source ({coverage.n_sources})</h3><p>{every}</p>")
    once = "".join(f"<li>{e(m)} <span class=meta>({e(s)})</span></li>" for m, s in coverage.one_source)
    parts.append(f'<h3>Named by one source only</h3><ul class="compact">{once}</ul>' if once else "")
    return "\n".join(parts)


def _facts(facts: data.Facts) -> str:
    parts = ['<h2 id="facts">Facts</h2>']
    status = ", ".join(f"{n:,} {s}" for s, n in facts.by_status)
    agreement = ", ".join(f"{n:,} {a}" for a, n in facts.by_agreement)
    parts.append(
        f"<p>{facts.n_facts:,} facts ({status}); against the reference tables: {agreement}. Per relation, the "
        f"{data.TOP_FACTS} best-supported facts not rejected, with the number of sources in brackets.</p>"
    )
    swatches = "".join(
        f'<span><span class="swatch" style="background:{c}"></span>{a}</span>' for a, c in AGREEMENT_COLORS.items()
    )
    parts.append(f'<p class="legend meta">Bars coloured by reference agreement: {swatches}</p>')
    grid = []
    for relation, top in facts.by_relation.items():
        series = [charts.Series("support", [f.support for f in top], KEPT_COLOR)]
        labels = [f"{f.label} ({f.n_sources})" for f in top]
        colors = [AGREEMENT_COLORS.get(f.agreement, "#555") for f in top]
        chart = charts.barh(f"c-fact-{relation}", labels, series, relation, "support", bar_colors=colors, width=NARROW)
        grid.append(f'<div id="facts-{relation}">{chart}{_evidence_table(top)}</div>')
    parts.append(f'<div class="charts">{"".join(grid)}</div>')
    if facts.claims_by_rule:
        rules = [r for r, _, _ in facts.claims_by_rule]
        series = [
            charts.Series("asserted", [a for _, a, _ in facts.claims_by_rule], KEPT_COLOR),
            charts.Series("hedged", [h for _, _, h in facts.claims_by_rule], "#f2a900"),
        ]
        parts.append(charts.barh("c-rules", rules, series, "Claims per rule and modality", "claims"))
    return "\n".join(parts)


def _evidence_table(top: list[data.TopFact]) -> str:
    e = html.escape
    rows = []
    for fact in top:
        links = " &middot; ".join(
            f'<a class="evidence" href="{e(audit_href(c["doc_id"], c["line_start"], c["line_end"], c["claim_id"]))}">'
            f"{e(c['source_path'])}{', ' + lines_label(c['line_start'], c['line_end']) if c['line_start'] else ''}</a>"
            for c in fact.evidence
        )  # fmt: skip
        rows.append([e(fact.label), fact.n_sources, round(fact.support, 2), e(fact.agreement), e(fact.status), links])
    table = _table(["fact", "sources", "support", "reference", "status", "evidence"], rows, {1, 2})
    return f"<details><summary>Evidence for these facts</summary>{table}</details>"


def _review(built: BuiltFolder, conflicts: list[dict[str, Any]]) -> str:
    parts = ['<h2 id="review">Review</h2>']
    counts = Counter((c["kind"], c["status"]) for c in conflicts)
    kinds = kinds_of(conflicts)
    if kinds:
        series = [charts.Series(s, [counts[(k, s)] for k in kinds], STATUS_COLORS[s]) for s in ("open", "resolved")]
        parts.append(charts.barh("c-conflicts", kinds, series, "Conflicts by kind and status", "conflicts"))
        rows = [[_kind_link(k, counts), counts[(k, "open")], counts[(k, "resolved")]] for k in kinds]
        parts.append(_table(["kind (in the review page)", "open", "resolved"], rows, {1, 2}))
    else:
        parts.append('<p class="empty">No conflicts: nothing waits for review.</p>')
    parts.append(_candidates(built, conflicts))
    parts.append(_stale(built))
    return "\n".join(p for p in parts if p)


def _kind_link(kind: str, counts: Counter[tuple[str, str]]) -> str:
    """The kind's open conflicts in the review page, or its resolved ones when none is open."""
    where = "open" if counts[(kind, "open")] else "resolved"
    return f'<a href="review.html#{where}-{html.escape(kind)}">{html.escape(kind)}</a>'


def _candidates(built: BuiltFolder, conflicts: list[dict[str, Any]]) -> str:
    """New vocabulary terms found in text, when the build has them (a `candidate` column)."""
    if not built.has_column("vocabulary", "candidate"):
        return ""
    rows = built.rows("vocabulary", ["candidate"])
    terms = sum(bool(r["candidate"]) for r in rows)
    waiting = sum(c["kind"] == "candidate" and c["status"] == "open" for c in conflicts)
    link = '<a href="review.html?kind=candidate&amp;status=open">in the review page</a>'
    return f"<h3>Candidate terms</h3><p>{terms:,} candidate vocabulary terms; {waiting:,} wait for review ({link}).</p>"


def _stale(built: BuiltFolder) -> str:
    stale = ((built.json("stats.json") or {}).get("reconcile") or {}).get("stale_decisions") or []
    if not stale:
        return "<h3>Stale decisions</h3><p>None: every decision matches a conflict of this build.</p>"
    e = html.escape
    rows = [
        [f"<code>{e(str(d.get('conflict_id')))}</code>", e(str(d.get("action"))), e(f"{d.get('file')}:{d.get('line')}")]
        for d in stale
    ]
    return (
        f"<h3>Stale decisions ({len(stale)})</h3><p>Decisions whose conflict this build no longer has; "
        f"they stay in the decisions file.</p>{_table(['conflict', 'action', 'where'], rows)}"
    )


def _quality(built: BuiltFolder) -> str:
    parts = ['<h2 id="quality">Quality</h2>']
    evaluation = built.json("evaluation.json")
    if evaluation is None:
        parts.append(
            "<p>No evaluation in this folder. <code>curate evaluate</code> scores a build against hand-made gold "
            "and writes <code>evaluation.json</code> here; <code>curate report</code> then shows its figures.</p>"
        )
        return "\n".join(parts)
    parts.append("<p class=meta>From <code>evaluation.json</code>, as <code>curate evaluate</code> wrote it.</p>")
    totals = evaluation.get("totals") if isinstance(evaluation.get("totals"), dict) else {}
    for key in QUALITY_KEYS:
        section = evaluation.get(key, totals.get(key))
        rows = [[html.escape(name), value] for name, value in _numbers(section)]
        if rows:
            parts.append(f"<h3>{key}</h3>" + _table(["figure", "value"], rows, {1}))
    return "\n".join(parts)


def _numbers(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """The numbers of a nested object as (path, number); {value, hits, total} reads as one figure."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [(prefix or "value", value)]
    if not isinstance(value, dict):
        return []
    if {"value", "hits", "total"} <= set(value) and all(isinstance(value[k], int | float) for k in ("hits", "total")):
        shown = "-" if value["value"] is None else f"{value['value']:.3f}"
        return [(prefix or "value", f"{shown} ({value['hits']}/{value['total']})")]
    found = []
    for key, item in value.items():
        found += _numbers(item, f"{prefix} / {key}" if prefix else str(key))
    return found
