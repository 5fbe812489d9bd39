"""What a build writes once its stages have run: the tables of its last stage, stats.json, and
for a whole build the reconciled facts and conflicts, review.html, report.html with the audit
pages they cite, and the manifest.

Every writer writes into the staging folder it is given (`staging.path`), never into --out:
`staged_output` swaps the folder in as --out only once every writer has finished, so --out
always holds one complete build. An output of the whole build is one more call in
`_write_whole_build`; the manifest, written last, lists and hashes every file in the folder.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.common.atomic import write_json_atomically
from pipeline.extract.lexicon import Lexicon, cached_lexicon
from pipeline.extract.vocabulary import Vocabulary, cached_vocabulary
from pipeline.ingest.stats import IngestStats
from pipeline.reconcile import Reconciled, ReconcileInputs, reconcile
from pipeline.reconcile.apply import describe
from pipeline.reconcile.knowledge import cached_reference
from pipeline.records import STATUS_ERROR
from pipeline.review.decisions import Decision
from pipeline.run.build import RunResult, Settings
from pipeline.run.manifest import write_manifest
from pipeline.run.progress import Steps
from pipeline.run.stages import BY_NAME, Stage
from pipeline.run.staging import Staging, staged_output
from pipeline.write.pages import write_report_pages
from pipeline.write.parquet import Rows, check_references, to_table, write_validated
from pipeline.write.review_page import write_review_page
from pipeline.write.rows import (
    claim_rows,
    conflict_rows,
    document_rows,
    fact_rows,
    mention_rows,
    muscle_rows,
    vocabulary_rows,
)


def write_partial(result: RunResult, stage: Stage, settings: Settings) -> None:
    """A build stopped after `stage`: its tables, and stats.json once anything was stripped."""
    lexicon, vocabulary = cached_lexicon(), cached_vocabulary(check_patterns=False)
    if stage.name != "ingest":
        result.stats = stats_report(result, lexicon, vocabulary, stage)
    built = tables(result, stage, lexicon, vocabulary)
    with staged_output(settings.out_dir) as staging:
        written = write_outputs(staging.path, built, result.stats)
    result.written = [staging.final(path) for path in written]


def finish_build(result: RunResult, decisions: list[Decision], settings: Settings, key: str, started: float) -> None:
    """Reconcile, then every table, the review page, stats.json and the manifest."""
    documents_done = time.perf_counter()
    built = reconcile_build(result, decisions, settings)
    reconciled_at = time.perf_counter()
    with Steps("write", len(built) + 3, settings.progress) as steps, staged_output(settings.out_dir) as staging:
        write_whole_build(staging, result, built, settings, steps)
        timings = {
            "ingest_and_documents": documents_done - started,
            "reconcile": reconciled_at - documents_done,
            "write": time.perf_counter() - reconciled_at,
            "total": time.perf_counter() - started,
        }
        counts = {"files": len(result.documents), "processed": result.processed, "from_cache": result.from_cache}
        counts["failed"] = len(result.failed)
        with steps.step("manifest.json"):
            manifest = staging.path / "manifest.json"
            outputs = staging.files()  # every output of the build, whoever wrote it
            write_manifest(manifest, result.documents, settings.build_inputs(), timings, counts, key, outputs)
    result.written = [staging.final(path) for path in [*outputs, manifest]]


def write_whole_build(
    staging: Staging, result: RunResult, built: dict[str, pa.Table], settings: Settings, steps: Steps
) -> None:
    """Every output of a whole build but the manifest, each into the staging folder.

    A new output is one more call here, writing under `staging.path`.
    """
    write_outputs(staging.path, built, result.stats, steps.advance)
    with steps.step("review.html"):
        write_review_page(staging.path / "review.html", result.reconciled.conflicts)
    with steps.step("report.html and audit pages"):
        write_report_pages(staging.path, settings.raw_dir, beside=settings.out_dir, written=built)


def reconcile_build(result: RunResult, decisions: list[Decision], settings: Settings) -> dict[str, pa.Table]:
    """Facts and conflicts over everything the documents gave, then the rows of every table."""
    lexicon, vocabulary = cached_lexicon(), cached_vocabulary(check_patterns=False)
    stage = BY_NAME["reconcile"]
    with Steps("reconcile", 3, settings.progress) as steps:
        with steps.step("near-duplicate groups"):
            groups = {doc_id: group for doc_id, (group, _) in result.source_groups().items()}
        with steps.step("facts and conflicts"):
            inputs = ReconcileInputs(result.documents, result.blocks.texts, result.mentions, result.claims, groups)
            reconciled = reconcile(inputs, lexicon, cached_reference(), decisions)
        with steps.step("rows"):
            result.reconciled = reconciled
            result.mentions, result.claims = reconciled.mentions, reconciled.claims
            result.stats = stats_report(result, lexicon, vocabulary, stage)
            result.stats["reconcile"] = reconcile_stats(reconciled, settings.decisions)
            return tables(result, stage, lexicon, vocabulary)


def tables(result: RunResult, stage: Stage, lexicon: Lexicon, vocabulary: Vocabulary) -> dict[str, pa.Table]:
    """The tables `stage` writes, built from the build's records, each validated as it is built:
    only one table's rows are ever held as Python dicts, which matters for a very large input."""
    builders: dict[str, Callable[[], Rows | pa.Table]] = {
        "documents": lambda: document_rows(result.documents, result.blocks, result.source_groups()),
        "blocks": result.blocks.table,
        "mentions": lambda: mention_rows(result.mentions, lexicon),
        "muscles": lambda: muscle_rows(lexicon, result.mentions),
        "claims": lambda: claim_rows(result.claims),
        "vocabulary": lambda: vocabulary_rows(vocabulary, result.claims, _accepted_candidates(result)),
        "facts": lambda: fact_rows(result.reconciled.facts, lexicon),
        "conflicts": lambda: conflict_rows(result.reconciled.conflicts),
    }
    return {name: to_table(name, builders[name]()) for name in stage.writes}


def _accepted_candidates(result: RunResult) -> set[tuple[str, str]]:
    """Candidate terms a reviewer accepted: regular objects of this dataset from now on."""
    reconciled = result.reconciled
    return reconciled.accepted_candidates if reconciled is not None else set()


def write_outputs(
    out: Path,
    built: dict[str, pa.Table],
    stats: dict[str, Any],
    on_table: Callable[[str], None] = lambda name: None,
) -> list[Path]:
    """Every table (validated already; the references between them are checked before any is
    written), then stats.json when there are stats."""
    check_references(built)
    written = []
    for name, table in built.items():
        written.append(write_validated(name, table, out))
        on_table(name)
    if stats:
        stats_path = out / "stats.json"
        write_json_atomically(stats_path, stats)
        written.append(stats_path)
    return written


def stats_report(result: RunResult, lexicon: Lexicon, vocabulary: Vocabulary, stage: Stage) -> dict[str, Any]:
    """stats.json: each stage's counters, plus what only the whole build can count."""
    report: dict[str, Any] = {
        "ingest": IngestStats.of(result.documents).to_dict(),
        "errors": [d.error for d in result.documents if d.status == STATUS_ERROR],
    }
    stage_stats = result.stage_stats
    if "strip" in stage_stats:
        report["strip"] = stage_stats["strip"].to_dict()
    if "mentions" in stage.writes and "muscles" in stage_stats:
        report["muscles"] = {
            **stage_stats["muscles"].to_dict(),
            "mentions": len(result.mentions),
            "documents_with_mentions": len({m.doc_id for m in result.mentions}),
            "entries_mentioned": len({m.muscle_id for m in result.mentions}),
            "lexicon": {"entries": len(lexicon), "sha256_16": lexicon.digest},
        }
    if "claims" in stage.writes and "claims" in stage_stats:
        report["claims"] = {
            **stage_stats["claims"].to_dict(),
            "claims": len(result.claims),
            "vocabulary": {"objects": len(vocabulary), "sha256_16": vocabulary.digest},
        }
    return report


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
            {
                "conflict_id": d.conflict_id,
                "action": d.action,
                "about": describe(d),
                "line": d.line,
                "file": str(decisions_path),
            }
            for d in reconciled.stale
        ],
    }
