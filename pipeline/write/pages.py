"""The build's pages beside its tables: report.html, and the audit pages that it and review.html cite.

`curate run` calls `write_report_pages` after review.html is written; `curate report` calls
`write_pages`, which also rewrites review.html from conflicts.parquet, so any build folder can
be given the pages again without running the pipeline. Audit pages of documents that no page
cites any more are removed, so the audit folder holds what this build links to.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.common.atomic import write_text_atomically
from pipeline.write.audit import iter_documents
from pipeline.write.audit_page import write_audit_pages
from pipeline.write.built import BuiltFolder
from pipeline.write.links import AUDIT_DIR
from pipeline.write.review_page import cited_documents, write_review_page

if TYPE_CHECKING:
    import pyarrow as pa

CONFLICT_COLUMNS = [
    "conflict_id", "kind", "summary", "status", "suggested_resolution", "suggested_action", "fact_ids",
    "suggested_fact_ids", "surface", "cluster_method", "forms", "evidence", "decision", "decided_by",
    "decided_at", "decision_note",
]  # fmt: skip


def write_report_pages(
    out_dir: Path, raw_dir: Path, beside: Path | None = None, written: dict[str, pa.Table] | None = None
) -> list[Path]:
    """report.html and the audit pages of every document it or review.html cites; returns the files
    written. `beside` is the folder the build will replace (a build writes into a staging folder),
    where `curate evaluate` left its figures; `written`, the tables just written to `out_dir`."""
    from pipeline.write.report import build_report

    built = BuiltFolder(out_dir, beside, written)
    report = build_report(built)
    page = out_dir / "report.html"
    write_text_atomically(page, report.html)
    conflicts = built.rows("conflicts", CONFLICT_COLUMNS)
    cited = sorted(report.cited | cited_documents(conflicts))
    previous = beside if beside is not None and beside.resolve() != out_dir.resolve() else None
    audit = write_audit_pages(out_dir, iter_documents(built, raw_dir, cited), previous)
    _remove_uncited(out_dir / AUDIT_DIR, set(audit))
    return [page, *audit]


def write_pages(out_dir: Path, raw_dir: Path) -> list[Path]:
    """`curate report`: review.html from conflicts.parquet, then report.html and the audit pages."""
    built = BuiltFolder(out_dir)
    review = out_dir / "review.html"
    write_review_page(review, built.rows("conflicts", CONFLICT_COLUMNS))
    return [review, *write_report_pages(out_dir, raw_dir)]


def _remove_uncited(folder: Path, keep: set[Path]) -> None:
    if not folder.is_dir():
        return
    for path in folder.glob("*.html"):
        if path not in keep:
            path.unlink()
