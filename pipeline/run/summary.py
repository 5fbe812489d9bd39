"""What a build prints: errors and warnings on stderr, then a summary of each stage's counts."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.records import Document


def warn_stale_decisions(stats: dict[str, Any]) -> None:
    for decision in stats.get("reconcile", {}).get("stale_decisions", []):
        print(
            f"warning: stale decision in {decision['file']}:{decision['line']} ({decision['action']} on "
            f"{decision['conflict_id']}, {decision.get('about', 'a conflict')}): no conflict of this build matches it; "
            "it is kept in the decisions file",
            file=sys.stderr,
        )


def report_problems(documents: list[Document], stats: dict[str, Any], quiet: bool) -> None:
    warn_stale_decisions(stats)
    for doc in documents:
        if doc.status == "error":
            print(f"error: {doc.error}", file=sys.stderr)
        elif doc.status == "unsupported" and not quiet:
            print(f"skipped: {doc.error}", file=sys.stderr)


def report_counts(documents: list[Document], processed: int, from_cache: int, stats: dict[str, Any]) -> None:
    statuses = Counter(doc.status for doc in documents)
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    cached = f"; {from_cache} of {processed} served from the cache" if processed else ""
    print(f"documents: {len(documents)} ({counts}){cached}")
    if "strip" in stats:
        strip = stats["strip"]
        reasons = ", ".join(f"{reason} {n}" for reason, n in strip["removed_by_reason"].items())
        print(f"blocks: {strip['blocks_kept']} kept, {strip['blocks_removed']} removed ({reasons})")
    if "muscles" in stats:
        muscles = stats["muscles"]
        types = ", ".join(f"{kind} {n}" for kind, n in muscles["by_match_type"].items())
        print(f"mentions: {muscles['mentions']} of {muscles['entries_mentioned']} lexicon entries ({types})")
    if "claims" in stats:
        claims = stats["claims"]
        relations = ", ".join(f"{relation} {n}" for relation, n in claims["by_relation"].items())
        print(f"claims: {claims['claims']} ({relations}); {claims['hedged']} hedged")
    if "reconcile" in stats:
        rec = stats["reconcile"]
        facts = ", ".join(f"{n} {status}" for status, n in rec["facts_by_status"].items())
        kinds = ", ".join(f"{kind} {n}" for kind, n in rec["conflicts_by_kind"].items())
        print(f"facts: {rec['facts']} ({facts}); {rec['facts_with_several_sources']} from several sources")
        print(f"conflicts: {rec['conflicts']} ({kinds}); {rec['conflicts_open']} open")


def report_written(paths: list[Path]) -> None:
    for path in paths:
        print(f"wrote {path}")


def report_per_document(documents: list[Document], kept: Counter, mentions: Counter, claims: Counter) -> None:
    for doc in sorted(documents, key=lambda d: d.source_path):
        counts = f"{kept[doc.doc_id]} blocks kept, {mentions[doc.doc_id]} mentions, {claims[doc.doc_id]} claims"
        print(f"{doc.source_path}: {doc.status}; {counts}")
