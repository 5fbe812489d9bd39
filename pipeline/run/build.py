"""Run the stages in order: a pipeline is a list of plain, typed stage functions.

Each stage takes the records of the one before and returns its own; this module only wires
them together, writes the tables and counts what happened.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.common.atomic import write_json_atomically
from pipeline.extract.claims import ClaimStats
from pipeline.extract.lexicon import Lexicon
from pipeline.extract.muscles import RecognitionStats, cached_lexicon
from pipeline.extract.vocabulary import Vocabulary, cached_vocabulary
from pipeline.ingest.read import DEFAULT_MAX_BYTES, discover, iter_documents
from pipeline.reconcile.dedupe import groups_of_signatures, source_groups
from pipeline.reconcile.reconciler import Conflict, Fact, Reconciled, Reconciler
from pipeline.reconcile.reference import cached_reference
from pipeline.records import STATUS_ERROR, Block, Claim, Document, Mention
from pipeline.review.decisions import DEFAULT_DECISIONS, Decision, load_decisions
from pipeline.run.cache import DEFAULT_CACHE_DIR, run_lock
from pipeline.run.engines import EngineSettings, run_documents
from pipeline.run.manifest import write_manifest
from pipeline.run.process import DocumentOutput
from pipeline.run.progress import Steps, progress
from pipeline.run.uptodate import BuildInputs, build_key
from pipeline.write.blocktable import BlockTable
from pipeline.write.pages import write_report_pages
from pipeline.write.parquet import Rows, write_table, write_tables
from pipeline.write.review_page import write_review_page


@dataclass
class Settings:
    raw_dir: Path = Path("raw")
    out_dir: Path = Path("curated")
    max_bytes: int = DEFAULT_MAX_BYTES
    progress: bool = True
    decisions: Path = DEFAULT_DECISIONS
    cache_dir: Path = DEFAULT_CACHE_DIR
    use_cache: bool = True
    engine: str = "local"
    workers: int = 0  # 0: one per core
    scheduler: str | None = None
    build_key: str | None = None  # of these inputs, when the caller has hashed them already


@dataclass
class RunResult:
    documents: list[Document]
    blocks: BlockTable = field(default_factory=BlockTable)
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    reconciled: Reconciled | None = None
    recognition: RecognitionStats = field(default_factory=RecognitionStats)
    claim_stats: ClaimStats = field(default_factory=ClaimStats)
    processed: int = 0  # documents that went through the per-document stages
    from_cache: int = 0  # of those, documents served entirely from the cache
    signatures: dict[str, Any] = field(default_factory=dict, repr=False)  # doc_id -> MinHash
    _groups: dict[str, tuple[str, float]] | None = field(default=None, repr=False)
    stats: dict[str, Any] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    def source_groups(self) -> dict[str, tuple[str, float]]:
        """doc_id -> (near-duplicate group, similarity); computed once per run, from the
        signatures the per-document stage made (and cached)."""
        if self._groups is None:
            owners = sorted((d for d in self.documents if d.doc_id in self.signatures), key=lambda d: d.source_path)
            self._groups = groups_of_signatures([(d.doc_id, self.signatures[d.doc_id]) for d in owners])
        return self._groups

    @property
    def failed(self) -> list[Document]:
        return [d for d in self.documents if d.status == STATUS_ERROR]


def ingest_stage(settings: Settings) -> tuple[Iterator[Document], int]:
    """The documents, read lazily as the next stage asks for them, and how many there are."""
    sources = discover(settings.raw_dir)
    return iter_documents(sources, settings.max_bytes), len(sources)


def document_stages(
    documents: Iterable[Document], total: int, settings: Settings, through: str = "claims"
) -> RunResult:
    """Stages 1-3 streamed per document, through `through` (strip, muscles or claims), cache first."""
    engine = EngineSettings(
        engine=settings.engine,
        workers=settings.workers,
        scheduler=settings.scheduler,
        cache_dir=settings.cache_dir,
        use_cache=settings.use_cache,
        through=through,
    )
    lock = run_lock(settings.cache_dir) if settings.use_cache else contextlib.nullcontext()
    label = through if through != "claims" else "documents"
    with lock:
        outputs = progress(run_documents(documents, engine), total, label, settings.progress)
        result = RunResult(documents=[])
        recognition, claim_stats = RecognitionStats(), ClaimStats()
        for out in outputs:
            _collect(result, out, recognition, claim_stats)
    result.recognition, result.claim_stats = recognition, claim_stats
    return result


def _collect(result: RunResult, out: DocumentOutput, recognition: RecognitionStats, claim_stats: ClaimStats) -> None:
    # Workers return the documents with the metadata the strip stage recovered (text dropped).
    result.documents.append(out.document)
    if out.blocks:
        result.processed += 1
        result.from_cache += out.from_cache
    result.blocks.add(out.blocks)
    result.mentions += out.mentions
    result.claims += out.claims
    if out.signature is not None and out.document.status in ("ok", "error"):
        result.signatures[out.document.doc_id] = out.signature
    _add_recognition(recognition, out.recognition)
    _add_claim_stats(claim_stats, out.claim_stats)


def _add_recognition(total: RecognitionStats, part: RecognitionStats) -> None:
    total.by_match_type.update(part.by_match_type)
    total.dropped_by_guard.update(part.dropped_by_guard)
    total.definitions += part.definitions


def _add_claim_stats(total: ClaimStats, part: ClaimStats) -> None:
    total.by_relation.update(part.by_relation)
    total.by_rule.update(part.by_rule)
    total.hedged += part.hedged
    total.negated_dropped += part.negated_dropped
    total.members_rejected += part.members_rejected


def run_through_muscles(settings: Settings) -> RunResult:
    """Stages 1-3a: ingest, strip, recognise muscles; write documents, blocks, mentions, muscles, stats."""
    result, lexicon = _recognise(settings)
    result.written = write_outputs(settings.out_dir, _muscle_tables(result, lexicon), result.stats)
    return result


def reconcile_stage(result: RunResult, decisions: list[Decision], lexicon: Lexicon) -> Reconciled:
    groups = {doc_id: group for doc_id, (group, _) in result.source_groups().items()}
    reconciler = Reconciler(
        result.documents, result.blocks.kept, result.mentions, result.claims, groups, lexicon, cached_reference("")
    )
    return reconciler.run(decisions)


def group_documents(documents: list[Document], blocks: list[Block]) -> dict[str, str]:
    """doc_id -> its near-duplicate source group, from documents and blocks made outside a run."""
    kept: dict[str, list[str]] = {}
    for block in blocks:
        if block.kept:
            kept.setdefault(block.doc_id, []).append(block.text)
    owners = sorted((d for d in documents if d.status in ("ok", "error")), key=lambda d: d.source_path)
    groups = source_groups((d.doc_id, "\n".join(kept.get(d.doc_id, []))) for d in owners)
    return {doc_id: group for doc_id, (group, _) in groups.items()}


def run_all(settings: Settings) -> RunResult:
    """Stages 1-5: ingest, strip, recognise muscles, extract claims, reconcile with the reviewer's
    decisions; write every table, the review page and the stats."""
    started = time.perf_counter()
    # Taken before anything is read: an input edited during the build makes the next run rebuild.
    key = settings.build_key or build_key(build_inputs(settings))
    decisions = load_decisions(settings.decisions)  # a malformed file stops the run before any work
    result, lexicon = _recognise(settings, through="claims")
    documents_done = time.perf_counter()
    claims, claim_stats = result.claims, result.claim_stats
    vocabulary = cached_vocabulary("")
    result.stats["claims"] = {
        "claims": len(claims),
        "by_relation": dict(sorted(claim_stats.by_relation.items())),
        "by_rule": dict(sorted(claim_stats.by_rule.items())),
        "hedged": claim_stats.hedged,
        "negated_not_emitted": claim_stats.negated_dropped,
        "member_claims_rejected_by_lexicon": claim_stats.members_rejected,
        "vocabulary": {"objects": len(vocabulary), "sha256_16": vocabulary.digest},
    }
    with Steps("reconcile", 3, settings.progress) as steps:
        with steps.step("near-duplicate groups"):
            result.source_groups()
        with steps.step("facts and conflicts"):
            reconciled = reconcile_stage(result, decisions, lexicon)
        with steps.step("rows"):
            result.reconciled = reconciled
            result.stats["reconcile"] = reconcile_stats(reconciled, settings.decisions)
            tables = {
                **_muscle_tables(result, lexicon),
                "claims": claim_rows(claims),
                "vocabulary": vocabulary_rows(vocabulary, claims),
                "facts": fact_rows(reconciled.facts, lexicon),
                "conflicts": conflict_rows(reconciled.conflicts),
            }
    reconciled_at = time.perf_counter()
    with Steps("write", 2 * len(tables) + 2, settings.progress) as steps:
        result.written = write_outputs(settings.out_dir, tables, result.stats, steps)
        page = settings.out_dir / "review.html"
        with steps.step("review.html"):
            write_review_page(page, reconciled.conflicts)
        result.written.append(page)
        with steps.step("report.html and audit pages"):
            result.written += write_report_pages(settings.out_dir, settings.raw_dir)
    finished = time.perf_counter()
    timings = {
        "ingest_and_documents": documents_done - started,
        "reconcile": reconciled_at - documents_done,
        "write": finished - reconciled_at,
        "total": finished - started,
    }
    counts = {"files": len(result.documents), "processed": result.processed, "from_cache": result.from_cache}
    counts["failed"] = len(result.failed)
    manifest = settings.out_dir / "manifest.json"
    write_manifest(manifest, result.documents, settings.decisions, timings, counts, key, result.written)
    result.written.append(manifest)
    return result


def build_inputs(settings: Settings) -> BuildInputs:
    return BuildInputs(settings.raw_dir, settings.out_dir, settings.max_bytes, settings.decisions)


def reconcile_stats(reconciled: Reconciled, decisions_path: Path) -> dict[str, Any]:
    facts, conflicts = reconciled.facts, reconciled.conflicts
    return {
        "facts": len(facts),
        "facts_by_status": dict(sorted(Counter(f.status for f in facts).items())),
        "facts_with_several_sources": sum(len(f.source_groups) > 1 for f in facts),
        "facts_by_reference_agreement": dict(sorted(Counter(f.judgement.agreement for f in facts).items())),
        "conflicts": len(conflicts),
        "conflicts_by_kind": dict(sorted(Counter(c.kind for c in conflicts).items())),
        "conflicts_open": sum(c.status == "open" for c in conflicts),
        "decisions_applied": sum(c.decision is not None for c in conflicts),
        "claims_rejected_by_reviewer": len(reconciled.rejected_claims),
        "stale_decisions": [
            {"conflict_id": d.conflict_id, "action": d.action, "line": d.line, "file": str(decisions_path)}
            for d in reconciled.stale
        ],
    }


def _recognise(settings: Settings, through: str = "muscles") -> tuple[RunResult, Lexicon]:
    """Stages 1-3a (or 3b), with the stats of each; nothing written."""
    result = document_stages(*ingest_stage(settings), settings, through)
    documents, blocks, mentions, recognition = result.documents, result.blocks, result.mentions, result.recognition
    lexicon = cached_lexicon("")
    result.stats = build_stats(documents, blocks)
    result.stats["muscles"] = {
        "mentions": len(mentions),
        "documents_with_mentions": len({m.doc_id for m in mentions}),
        "entries_mentioned": len({m.muscle_id for m in mentions}),
        "by_match_type": dict(sorted(recognition.by_match_type.items())),
        "dropped_by_sense_guard": dict(sorted(recognition.dropped_by_guard.items())),
        "defined_abbreviations": recognition.definitions,
        "lexicon": {"entries": len(lexicon), "sha256_16": lexicon.digest},
    }
    return result, lexicon


def _muscle_tables(result: RunResult, lexicon: Lexicon) -> dict[str, Rows | pa.Table]:
    return {
        "documents": document_rows(result.documents, result.blocks, result.source_groups()),
        "blocks": result.blocks.table(),
        "mentions": mention_rows(result.mentions, lexicon),
        "muscles": muscle_rows(lexicon, result.mentions),
    }


def run_through_strip(settings: Settings) -> RunResult:
    """Stages 1-2, then write documents, blocks and stats."""
    result = document_stages(*ingest_stage(settings), settings, through="strip")
    documents, blocks = result.documents, result.blocks
    result.stats = build_stats(documents, blocks)
    tables = {"documents": document_rows(documents, blocks, result.source_groups()), "blocks": blocks.table()}
    result.written = write_outputs(settings.out_dir, tables, result.stats)
    return result


def write_outputs(
    out: Path, tables: dict[str, Rows | pa.Table], stats: dict[str, Any], steps: Steps | None = None
) -> list[Path]:
    """Every table, then stats.json; each written atomically."""
    written = write_tables(tables, out, on_table=steps.advance if steps else lambda name: None)
    stats_path = out / "stats.json"
    write_json_atomically(stats_path, stats)
    return [*written, stats_path]


def run_ingest_only(settings: Settings) -> RunResult:
    documents, total = ingest_stage(settings)
    result = RunResult(documents=list(progress(documents, total, "ingest", settings.progress)))
    # No text yet, so no near-duplicates: every document is its own group.
    rows = document_rows(result.documents, result.blocks, {})
    result.written.append(write_table("documents", rows, settings.out_dir))
    return result


def document_rows(
    documents: list[Document], blocks: BlockTable, groups: dict[str, tuple[str, float]]
) -> list[dict[str, Any]]:
    kept, kept_chars, removed = blocks.kept_per_doc, blocks.kept_chars_per_doc, blocks.removed_per_doc
    rows = []
    for doc in documents:
        # A duplicate shares its doc_id with the first copy, whose blocks these are.
        owns_blocks = doc.status in ("ok", "error")
        rows.append(
            {
                "doc_id": doc.doc_id,
                "source_path": doc.source_path,
                "format": doc.format,
                "encoding": doc.encoding,
                "language": doc.language,
                "title": doc.title,
                "author": doc.author,
                "published": _as_date(doc.published),
                "sitename": doc.sitename,
                "url": doc.url,
                "n_chars_raw": doc.n_chars_raw,
                "n_chars_clean": kept_chars[doc.doc_id] if owns_blocks else 0,
                "n_blocks_kept": kept[doc.doc_id] if owns_blocks else 0,
                "n_blocks_removed": removed[doc.doc_id] if owns_blocks else 0,
                "duplicate_of": doc.duplicate_of,
                "source_group": groups.get(doc.doc_id, (doc.doc_id, 1.0))[0],
                "group_similarity": groups.get(doc.doc_id, (doc.doc_id, 1.0))[1],
                "status": doc.status,
                "error": doc.error,
            }
        )
    return rows


def mention_rows(mentions: list[Mention], lexicon: Lexicon) -> list[dict[str, Any]]:
    rows = []
    for m in mentions:
        entry = lexicon[m.muscle_id]
        key = f"{m.doc_id}|{m.block_idx}|{m.char_start}|{m.char_end}"
        rows.append(
            {
                "mention_id": hashlib.sha256(key.encode()).hexdigest()[:16],
                "doc_id": m.doc_id,
                "block_idx": m.block_idx,
                "sentence_idx": m.sentence_idx,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "line_start": m.line_start,
                "line_end": m.line_end,
                "surface": m.surface,
                "muscle_id": m.muscle_id,
                "muscle_name": entry.name,
                "kind": entry.kind,
                "match_type": m.match_type,
                "note": m.note,
                "category_note": m.category_note,
                "flags": list(m.flags),
            }
        )
    return rows


def muscle_rows(lexicon: Lexicon, mentions: list[Mention]) -> list[dict[str, Any]]:
    n_mentions = Counter(m.muscle_id for m in mentions)
    documents: dict[str, set[str]] = {}
    for m in mentions:
        documents.setdefault(m.muscle_id, set()).add(m.doc_id)
    member_of: dict[str, list[str]] = {}
    for entry in lexicon.entries.values():
        for member in entry.members:
            member_of.setdefault(member, []).append(entry.id)
    return [
        {
            "muscle_id": entry.id,
            "name": entry.name,
            "kind": entry.kind,
            "region": entry.region,
            "uberon_id": entry.uberon_id,
            "fma_id": entry.fma_id,
            "synonyms": list(entry.synonyms),
            "variants": list(entry.variants),
            "abbreviations": list(entry.standard_abbreviations),
            "members": list(entry.members),
            "member_of": sorted(member_of.get(entry.id, [])),
            "note": entry.note,
            "n_documents": len(documents.get(entry.id, ())),
            "n_mentions": n_mentions[entry.id],
        }
        for entry in lexicon.entries.values()
    ]


CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))


def claim_rows(claims: list[Claim]) -> list[dict[str, Any]]:
    # Not dataclasses.asdict: its deep copy was most of the time spent on this table.
    return [{name: getattr(claim, name) for name in CLAIM_FIELDS} for claim in claims]


def vocabulary_rows(vocabulary: Vocabulary, claims: list[Claim]) -> list[dict[str, Any]]:
    used = Counter((c.relation, c.object_id) for c in claims)
    return [
        {
            "vocabulary": entry.vocabulary,
            "object_id": entry.id,
            "label": entry.label,
            "phrases": list(entry.phrases),
            "n_claims": used[(entry.vocabulary, entry.id)],
        }
        for entry in vocabulary.entries.values()
    ]


def fact_rows(facts: list[Fact], lexicon: Lexicon) -> list[dict[str, Any]]:
    rows = []
    for fact in facts:
        judgement = fact.judgement
        rows.append(
            {
                "fact_id": fact.fact_id,
                "muscle_id": fact.muscle_id,
                "muscle_name": lexicon[fact.muscle_id].name,
                "relation": fact.relation,
                "object_id": fact.object_id,
                "object_label": fact.object_label,
                "n_claims": 0 if fact.all_claims_rejected else len(fact.claims),
                "n_documents": len({c.doc_id for c in fact.evidence}),
                "n_sources": len(fact.source_groups),
                "doc_ids": sorted({c.doc_id for c in fact.evidence}),
                "claim_ids": sorted(c.claim_id for c in fact.claims),
                "member_claim_ids": sorted(c.claim_id for c in fact.member_claims),
                "support": 0.0 if fact.all_claims_rejected else fact.support,
                "modality": "asserted" if any(c.modality == "asserted" for c in fact.claims) else "hedged",
                "status": fact.status,
                "reference_agreement": judgement.agreement,
                "reference_note": judgement.explanation or None,
                "reference_citation": str(judgement.citation) if judgement.citation else None,
                "conflict_ids": fact.conflict_ids,
            }
        )
    return rows


def conflict_rows(conflicts: list[Conflict]) -> list[dict[str, Any]]:
    rows = []
    for conflict in conflicts:
        decision = conflict.decision
        rows.append(
            {
                "conflict_id": conflict.conflict_id,
                "kind": conflict.kind,
                "summary": conflict.summary,
                "muscle_ids": conflict.muscle_ids,
                "relation": conflict.relation,
                "object_ids": conflict.object_ids,
                "surface": conflict.surface,
                "cluster_method": conflict.cluster_method,
                "forms": conflict.forms,
                "evidence": [dataclasses.asdict(e) for e in conflict.evidence],
                "fact_ids": conflict.fact_ids,
                "suggested_resolution": conflict.suggested_resolution,
                "suggested_action": conflict.suggested_action,
                "suggested_fact_ids": conflict.suggested_fact_ids,
                "status": conflict.status,
                "decision": decision.action if decision else None,
                "decided_by": decision.by if decision else None,
                "decided_at": decision.at if decision else None,
                "decision_note": decision.note if decision else None,
            }
        )
    return rows


def build_stats(documents: list[Document], blocks: BlockTable) -> dict[str, Any]:
    return {
        "ingest": {
            "files": len(documents),
            "by_status": dict(sorted(Counter(d.status for d in documents).items())),
            "by_format": dict(sorted(Counter(d.format or "unsupported" for d in documents).items())),
            "by_encoding": dict(sorted(Counter(d.encoding for d in documents if d.encoding).items())),
        },
        "strip": {
            "blocks_kept": blocks.n_kept,
            "blocks_removed": blocks.n_removed,
            "chars_kept": sum(blocks.kept_chars_per_doc.values()),
            "chars_removed": sum(blocks.removed_chars_by_reason.values()),
            "removed_by_reason": dict(sorted(blocks.removed_by_reason.items())),
            "chars_removed_by_reason": dict(sorted(blocks.removed_chars_by_reason.items())),
        },
        "errors": [d.error for d in documents if d.status == STATUS_ERROR],
    }


def _as_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
