"""The figures behind report.html, aggregated from a build folder's tables.

Everything here is a count over the whole build or a top-N list, so the page stays the same
size at 5 documents and at 5,000; the per-document numbers stay in the tables. Ties are broken
by name, so the same build always gives the same figures in the same order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.write.built import BuiltFolder

# How many documents the per-document chart shows (those with the most words removed): a chart
# of 25 bars stays readable; every document's figures are in blocks.parquet.
TOP_DOCUMENTS = 25
# Rows (muscles) and columns (sources) of the coverage heatmap: 30 x 40 cells fit a page width.
HEATMAP_MUSCLES, HEATMAP_SOURCES = 30, 40
# Facts shown per relation, and evidence links per fact (one per document).
TOP_FACTS, EVIDENCE_PER_FACT = 10, 3
# Languages shown (the rest are rare: the long tail of a multilingual crawl).
TOP_LANGUAGES = 15
# Near-duplicate groups listed, and member files named per group.
TOP_GROUPS, GROUP_MEMBERS_SHOWN = 10, 5
# Muscles listed as named by every source, or by one source only.
LISTED_MUSCLES = 30
KEPT = "kept"


@dataclass
class DocumentWords:
    doc_id: str
    source_path: str
    kept: int
    removed: dict[str, int]  # reason -> words

    @property
    def removed_total(self) -> int:
        return sum(self.removed.values())


@dataclass
class Corpus:
    n_documents: int
    by_status: list[tuple[str, int]]
    by_format: list[tuple[str, int]]
    languages: list[tuple[str, int]]
    words: dict[str, int]  # "kept" and each removal reason -> words, corpus-wide
    top_documents: list[DocumentWords]
    n_with_blocks: int
    removed_share: list[int]  # documents per tenth of words removed (0-10 %, ..., 90-100 %)
    groups: list[list[tuple[str, float]]]  # largest near-duplicate groups: (source_path, similarity)
    n_groups_with_copies: int


def words_per_block(blocks: pa.Table) -> pa.Array:
    """Words of each block: block text has single spaces between words."""
    text = blocks.column("text")
    spaces = pc.count_substring(text, " ")
    return pc.if_else(pc.equal(pc.utf8_length(text), 0), 0, pc.add(spaces, 1))


def corpus(built: BuiltFolder) -> Corpus:
    docs = built.rows("documents", ["doc_id", "source_path", "status", "format", "language", "source_group"])
    blocks = built.table("blocks", ["doc_id", "kept", "removal_reason", "text"])
    words = blocks.select(["doc_id", "kept", "removal_reason"]).append_column("words", words_per_block(blocks))
    grouped = words.group_by(["doc_id", "kept", "removal_reason"]).aggregate([("words", "sum")]).to_pylist()
    per_doc: dict[str, DocumentWords] = {}
    path_of = owner_paths(docs)
    totals: Counter[str] = Counter()
    for row in grouped:
        reason = KEPT if row["kept"] else (row["removal_reason"] or "unknown")
        doc = per_doc.setdefault(row["doc_id"], DocumentWords(row["doc_id"], path_of.get(row["doc_id"], "?"), 0, {}))
        if reason == KEPT:
            doc.kept += row["words_sum"]
        else:
            doc.removed[reason] = doc.removed.get(reason, 0) + row["words_sum"]
        totals[reason] += row["words_sum"]
    ranked = sorted(per_doc.values(), key=lambda d: (-d.removed_total, d.source_path))
    shares = [0] * 10
    for doc in per_doc.values():
        total = doc.kept + doc.removed_total
        if total:
            shares[min(9, int(10 * doc.removed_total / total))] += 1
    groups, n_multi = _groups(built, docs)
    return Corpus(
        n_documents=len(docs),
        by_status=_counted(d["status"] for d in docs),
        by_format=_counted(d["format"] or "unsupported" for d in docs),
        languages=_counted(d["language"] for d in docs if d["language"]),
        words={KEPT: totals.pop(KEPT, 0), **dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))},
        top_documents=ranked[:TOP_DOCUMENTS],
        n_with_blocks=len(per_doc),
        removed_share=shares,
        groups=groups,
        n_groups_with_copies=n_multi,
    )


def owner_paths(docs: list[dict[str, Any]]) -> dict[str, str]:
    """doc_id -> source_path of the file that owns its blocks (an exact re-save shares the doc_id)."""
    return {d["doc_id"]: d["source_path"] for d in docs if d["status"] in ("ok", "error")}


def _counted(values: Any) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))


def _groups(built: BuiltFolder, docs: list[dict[str, Any]]) -> tuple[list[list[tuple[str, float]]], int]:
    similarity = {
        (r["doc_id"], r["source_path"]): r["group_similarity"]
        for r in built.rows("documents", ["doc_id", "source_path", "group_similarity"])
        if r.get("group_similarity") is not None
    }
    members: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for d in docs:
        if d["status"] in ("ok", "error") and d.get("source_group"):
            members[d["source_group"]].append((d["source_path"], similarity.get((d["doc_id"], d["source_path"]), 1.0)))
    multi = [sorted(m, key=lambda m: (-m[1], m[0])) for m in members.values() if len(m) > 1]
    multi.sort(key=lambda m: (-len(m), m[0][0]))
    return multi[:TOP_GROUPS], len(multi)


@dataclass
class Coverage:
    muscles: list[str]  # heatmap rows (muscle names)
    sources: list[str]  # heatmap columns (a source group's first file)
    counts: list[list[int]]
    n_sources: int  # sources that name any muscle
    n_muscles: int
    sources_per_muscle: list[int]  # muscles named by 1, 2, ... sources
    every_source: list[str]
    one_source: list[tuple[str, str]]  # (muscle, the source)


def coverage(built: BuiltFolder) -> Coverage:
    docs = built.rows("documents", ["doc_id", "source_path", "status", "source_group"])
    group_of = {d["doc_id"]: d["source_group"] or d["doc_id"] for d in docs if d["status"] in ("ok", "error")}
    label = owner_paths(docs)
    names = {r["muscle_id"]: r["name"] for r in built.rows("muscles", ["muscle_id", "name"])}

    def name(muscle_id: str) -> str:
        return names.get(muscle_id, muscle_id)

    mentions = built.table("mentions", ["muscle_id", "doc_id"])
    per_pair = mentions.group_by(["muscle_id", "doc_id"]).aggregate([("doc_id", "count")]).to_pylist()
    cells: Counter[tuple[str, str]] = Counter()
    for row in per_pair:
        cells[(row["muscle_id"], group_of.get(row["doc_id"], row["doc_id"]))] += row["doc_id_count"]
    sources_of: dict[str, set[str]] = defaultdict(set)
    by_source: Counter[str] = Counter()
    for (muscle, source), n in cells.items():
        sources_of[muscle].add(source)
        by_source[source] += n
    mentions_of = Counter({m: sum(cells[(m, s)] for s in ss) for m, ss in sources_of.items()})
    rows = sorted(sources_of, key=lambda m: (-len(sources_of[m]), -mentions_of[m], name(m)))[:HEATMAP_MUSCLES]
    columns = sorted(by_source, key=lambda s: (-by_source[s], label.get(s, s)))[:HEATMAP_SOURCES]
    columns.sort(key=lambda s: label.get(s, s))
    n_sources = len(by_source)
    spread = Counter(len(s) for s in sources_of.values())
    everywhere = sorted(name(m) for m, s in sources_of.items() if len(s) == n_sources and n_sources > 1)
    once = sorted((name(m), label.get(next(iter(s)), "?")) for m, s in sources_of.items() if len(s) == 1)
    return Coverage(
        muscles=[name(m) for m in rows],
        sources=[label.get(s, s) for s in columns],
        counts=[[cells[(m, s)] for s in columns] for m in rows],
        n_sources=n_sources,
        n_muscles=len(sources_of),
        sources_per_muscle=[spread[i] for i in range(1, max(spread, default=0) + 1)],
        every_source=everywhere[:LISTED_MUSCLES],
        one_source=once[:LISTED_MUSCLES],
    )


@dataclass
class TopFact:
    fact_id: str
    label: str  # "muscle -> object"
    support: float
    n_sources: int
    agreement: str
    status: str
    evidence: list[dict[str, Any]] = field(default_factory=list)  # claims: doc_id, source_path, lines


@dataclass
class Facts:
    by_relation: dict[str, list[TopFact]]
    n_facts: int
    by_status: list[tuple[str, int]]
    by_agreement: list[tuple[str, int]]
    claims_by_rule: list[tuple[str, int, int]]  # rule, asserted, hedged
    n_claims: int


def facts(built: BuiltFolder, relations: tuple[str, ...]) -> Facts:
    columns = ["fact_id", "muscle_name", "relation", "object_label", "support", "n_sources"]
    rows = built.rows("facts", [*columns, "reference_agreement", "status", "claim_ids"])
    ranked: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["status"] != "rejected":
            ranked[row["relation"]].append(row)
    order = [r for r in relations if r in ranked] + sorted(set(ranked) - set(relations))
    best_first = lambda f: (-f["support"], -f["n_sources"], f["muscle_name"], f["object_label"])  # noqa: E731
    top = {relation: sorted(ranked[relation], key=best_first)[:TOP_FACTS] for relation in order}
    claims = built.table("claims", ["rule_id", "modality"])
    by_rule = claims.group_by(["rule_id", "modality"]).aggregate([("rule_id", "count")]).to_pylist()
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in by_rule:
        rules[row["rule_id"]][row["modality"] == "hedged"] += row["rule_id_count"]
    result = Facts(
        by_relation={r: [_top_fact(f) for f in fs] for r, fs in top.items()},
        n_facts=len(rows),
        by_status=_counted(r["status"] for r in rows),
        by_agreement=_counted(r["reference_agreement"] for r in rows),
        claims_by_rule=sorted(((r, a, h) for r, (a, h) in rules.items()), key=lambda x: (-(x[1] + x[2]), x[0])),
        n_claims=claims.num_rows,
    )
    _add_evidence(built, [f for fs in top.values() for f in fs], result)
    return result


def _top_fact(row: dict[str, Any]) -> TopFact:
    return TopFact(
        fact_id=row["fact_id"],
        label=f"{row['muscle_name']} \u2192 {row['object_label']}",
        support=row["support"],
        n_sources=row["n_sources"],
        agreement=row["reference_agreement"],
        status=row["status"],
    )


def _add_evidence(built: BuiltFolder, rows: list[dict[str, Any]], result: Facts) -> None:
    """The best claim from each of up to EVIDENCE_PER_FACT documents behind each top fact."""
    wanted = sorted({c for row in rows for c in row["claim_ids"]})
    if not wanted:
        return
    columns = ["claim_id", "doc_id", "line_start", "line_end", "confidence"]
    claims = {c["claim_id"]: c for c in built.rows("claims", columns, where=("claim_id", wanted))}
    paths = owner_paths(built.rows("documents", ["doc_id", "source_path", "status"]))
    facts = {f.fact_id: f for fs in result.by_relation.values() for f in fs}
    for row in rows:
        found = [claims[c] for c in row["claim_ids"] if c in claims]
        found.sort(key=lambda c: (-c["confidence"], c["claim_id"]))
        seen: dict[str, dict[str, Any]] = {}
        for claim in found:
            seen.setdefault(claim["doc_id"], claim)
        best = list(seen.values())[:EVIDENCE_PER_FACT]
        facts[row["fact_id"]].evidence = [{**c, "source_path": paths.get(c["doc_id"], c["doc_id"])} for c in best]
