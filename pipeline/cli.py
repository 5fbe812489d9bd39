"""Command line: `curate` (or `python -m pipeline`). Thin: parse, call a stage runner, report.

Exit status: 0 when every input was curated, 1 when the run finished but some inputs failed
(their rows in documents.parquet say why), 2 when the run could not start or could not write
(bad arguments, missing input folder, an invalid lexicon or rule file, a table that breaks
the data contract).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# Only light modules here: `curate run` with nothing changed answers before spaCy, trafilatura
# or Arrow are imported (see pipeline/run/uptodate.py); each command imports what it runs.
from pipeline import __version__
from pipeline.common.rules import PatternError
from pipeline.ingest.read import DEFAULT_MAX_BYTES
from pipeline.review.decisions import ACTIONS, DEFAULT_DECISIONS, DecisionsError, reviewer_name
from pipeline.run.cache import DEFAULT_CACHE_DIR, StageCache
from pipeline.run.engines import ENGINES
from pipeline.run.uptodate import BuildInputs, LastBuild, build_key, up_to_date

if TYPE_CHECKING:
    from pipeline.run.build import RunResult, Settings

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN = 0, 1, 2

STAGE_HELP = {
    "run": (
        "Run the whole pipeline.",
        "Reads every .html, .htm, .html.gz and .txt file under --raw, and the reviewer's\n"
        "decisions (--decisions).\n"
        "Writes documents, blocks, mentions, muscles, claims, vocabulary, facts and conflicts\n"
        ".parquet files, review.html, report.html, audit/<doc_id>.html pages and stats.json to --out.",
    ),
    "ingest": (
        "Stage 1: discover, read and decode the inputs.",
        "Reads the files under --raw.\n"
        "Writes documents.parquet to --out (one row per input; cleaning columns are zero).",
    ),
    "strip": (
        "Stages 1-2: ingest, then strip boilerplate.",
        "Reads the files under --raw.\n"
        "Writes documents.parquet, blocks.parquet (every block, kept or removed with a reason)\n"
        "and stats.json (counts per stage and per removal reason) to --out.",
    ),
    "claims": (
        "Stages 1-3: ingest, strip, recognise muscles, extract claims.",
        "Reads the files under --raw, the lexicon and the claim vocabularies and cues\n"
        "(pipeline/data/).\n"
        "Writes documents, blocks, mentions, muscles, claims (one row per claim occurrence) and\n"
        "vocabulary .parquet files and stats.json to --out.",
    ),
    "muscles": (
        "Stages 1-3a: ingest, strip, then find and normalise muscle mentions.",
        "Reads the files under --raw and the lexicon (pipeline/data/muscles.jsonl).\n"
        "Writes documents.parquet, blocks.parquet, mentions.parquet (one row per mention),\n"
        "muscles.parquet (the lexicon with mention counts) and stats.json to --out.",
    ),
}


def _add_io_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    # Subcommands repeat the options so both `curate --raw X run` and `curate run --raw X` work;
    # SUPPRESS keeps a subcommand from overwriting a value given before it.
    default = (lambda value: value) if defaults else (lambda value: argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, default=default(Path("raw")), help="input folder (default: raw)")
    parser.add_argument("--out", type=Path, default=default(Path("curated")), help="output folder (default: curated)")
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=default(DEFAULT_MAX_BYTES),
        help=f"inputs larger than this are reported as errors (default: {DEFAULT_MAX_BYTES})",
    )
    parser.add_argument("-q", "--quiet", action="store_true", default=default(False), help="print only errors")
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=default(False), help="also print one line per document"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=default(DEFAULT_CACHE_DIR),
        help=f"per-document stage cache (default: {DEFAULT_CACHE_DIR})",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        default=default(False),
        help="recompute every document and leave the cache as it is",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=default("local"),
        help="where the per-document stages run: a local process pool (default) or a Dask cluster",
    )
    parser.add_argument(
        "--workers", type=int, default=default(0), help="local pool or LocalCluster size (default: one per core)"
    )
    parser.add_argument(
        "--scheduler", default=default(None), help="dask: address of a running scheduler (default: a LocalCluster)"
    )
    parser.add_argument(
        "--decisions",
        type=Path,
        default=default(DEFAULT_DECISIONS),
        help=f"reviewer decisions file (default: {DEFAULT_DECISIONS})",
    )


def _add_force_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        default=default,
        help="rebuild even when inputs, code, settings and decisions equal the last build's",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="curate",
        description="Curate web articles about the muscles running works into Parquet tables.",
        epilog="Without a subcommand, `curate` runs the whole pipeline. " + __doc__.split("\n\n")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_io_options(parser, defaults=True)
    _add_force_option(parser, default=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (summary, io) in STAGE_HELP.items():
        sub = commands.add_parser(
            name, help=summary, description=f"{summary}\n\n{io}", formatter_class=argparse.RawDescriptionHelpFormatter
        )
        _add_io_options(sub, defaults=False)
        if name == "run":
            _add_force_option(sub, default=argparse.SUPPRESS)
    schema = commands.add_parser(
        "schema",
        help="Print the data dictionary of every table.",
        description="Print the data dictionary of every table (reads nothing, writes to stdout).",
    )
    schema.add_argument("--markdown", action="store_true", help="Markdown tables, as in the README (default)")
    _add_review_commands(commands)
    _add_page_commands(commands)
    clean = commands.add_parser(
        "clean-cache",
        help="Delete the per-document stage cache.",
        description="Delete every entry of the per-document stage cache (--cache-dir); the next build\n"
        "recomputes every document. Touches nothing else.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_io_options(clean, defaults=False)
    return parser


def _add_page_commands(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report",
        help="Write report.html, review.html and the audit pages from a build folder.",
        description="Read the tables of --out (and the raw files under --raw); write report.html, review.html\n"
        "and audit/<doc_id>.html for every document they cite. Runs nothing else.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_io_options(report, defaults=False)
    show = commands.add_parser(
        "show",
        help="Show one document: kept and removed text, mentions and claims.",
        description="Print one document of the last build (a path under --raw, or a doc_id): kept text, removed\n"
        "blocks dimmed with their reason, muscle mentions highlighted and each claim under its block.\n"
        "--html writes the same as --out/audit/<doc_id>.html instead.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_io_options(show, defaults=False)
    show.add_argument("document", help="path of the input (as under --raw, or on disk) or its doc_id (6+ characters)")
    show.add_argument("--html", action="store_true", help="write the audit page and print its path")
    show.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="terminal colours")


def _add_review_commands(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review",
        help="Review the open conflicts, one keypress per decision.",
        description="Walk the open conflicts of the last build (--out/conflicts.parquet) with their evidence\n"
        "side by side. Each keypress appends a decision to --decisions at once, so quitting midway\n"
        "keeps every decision made. `make curate` applies them.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_io_options(review, defaults=False)
    review.add_argument("--list", action="store_true", help="print the conflicts as tab-separated lines and exit")
    review.add_argument(
        "--status", choices=("open", "resolved", "all"), default="all", help="with --list: which conflicts"
    )
    review.add_argument("--deferred", action="store_true", help="also show conflicts deferred earlier")
    review.add_argument("--by", help="reviewer name (default: $CURATE_REVIEWER or the login name)")
    review.add_argument("--web", action="store_true", help="serve the review and report pages on 127.0.0.1 instead")
    review.add_argument("--port", type=int, default=8765, help="with --web: the port (default 8765; 0: any free one)")
    decide = commands.add_parser(
        "decide",
        help="Record one decision on a conflict (for scripts).",
        description="Append a decision on one conflict of the last build to --decisions.\n\nActions:\n"
        + "\n".join(f"  {action:15} {text}" for action, text in ACTIONS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_io_options(decide, defaults=False)
    decide.add_argument("conflict_id", help="the conflict's id (a unique prefix of 6+ characters will do)")
    decide.add_argument("action", choices=list(ACTIONS))
    decide.add_argument("--note", help="why; kept with the decision")
    decide.add_argument("--by", help="reviewer name (default: $CURATE_REVIEWER or the login name)")
    decide.add_argument("--fact", action="append", default=[], help="reject: only this fact (repeatable)")
    decide.add_argument("--claim", action="append", default=[], help="reject: only this claim (repeatable)")
    decide.add_argument("--into", help="merge: the canonical name (default: the suggested one)")


def runner(command: str) -> Callable[[Settings], RunResult]:
    from pipeline.run import build as run

    return {
        "run": run.run_all,
        "strip": run.run_through_strip,
        "muscles": run.run_through_muscles,
        "claims": run.run_all,
        "ingest": run.run_ingest_only,
    }[command]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "schema":
        from pipeline.write.schemas import data_dictionary_markdown

        print(data_dictionary_markdown())
        return EXIT_OK
    if command in ("review", "decide"):
        return _review_command(args)
    if command in ("report", "show"):
        from pipeline.write.commands import page_command

        return page_command(args)
    if command == "clean-cache":
        removed = StageCache(args.cache_dir).clear()
        print(f"removed {removed} cache entries from {args.cache_dir}")
        return EXIT_OK
    if not args.raw.is_dir():
        print(f"curate: input folder {args.raw} does not exist", file=sys.stderr)
        return EXIT_CANNOT_RUN
    key = None
    if command == "run":
        inputs = BuildInputs(args.raw, args.out, args.max_bytes, args.decisions)
        key = build_key(inputs)  # handed to the build, which records it: the inputs are hashed once
        last = None if args.force else up_to_date(inputs, key)
        if last is not None:
            return _report_unchanged(last, args)
    from pipeline.run.build import Settings
    from pipeline.write.parquet import TableValidationError

    settings = Settings(
        raw_dir=args.raw,
        out_dir=args.out,
        max_bytes=args.max_bytes,
        progress=not args.quiet,
        decisions=args.decisions,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        engine=args.engine,
        workers=args.workers,
        scheduler=args.scheduler,
        build_key=key,
    )
    try:
        result = runner(command)(settings)
    except TableValidationError as exc:
        print(f"curate: nothing written, a table breaks the data contract: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except PatternError as exc:
        print(f"curate: nothing written, a rule or lexicon file is invalid: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except DecisionsError as exc:
        print(f"curate: nothing written, the decisions file is invalid: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.verbose and not args.quiet:
        _report_documents(result)
    _report(result, quiet=args.quiet)
    return EXIT_SOME_FAILED if result.failed else EXIT_OK


def _report_unchanged(last: LastBuild, args: argparse.Namespace) -> int:
    """What a rebuild would have printed, from the last build's stats: it would write the same."""
    stats, documents = last.stats, last.manifest.get("documents", {})
    _warn_stale_decisions(stats)
    for error in stats.get("errors", []):
        print(f"error: {error}", file=sys.stderr)
    if not args.quiet:
        conflicts = stats.get("reconcile", {}).get("conflicts_open", 0)
        print(
            f"{args.out} is up to date: inputs, code, settings and decisions are those of the build of "
            f"{last.manifest.get('built_at')} ({documents.get('files', 0)} files, {documents.get('failed', 0)} "
            f"failed, {conflicts} open conflicts). Nothing was rebuilt; --force rebuilds anyway."
        )
    return EXIT_SOME_FAILED if documents.get("failed") else EXIT_OK


def _review_command(args: argparse.Namespace) -> int:
    from pipeline.review.terminal import ReviewContext, ReviewError, decide, interactive_review, list_conflicts

    context = ReviewContext(out_dir=args.out, decisions_path=args.decisions, reviewer=args.by or reviewer_name())
    try:
        if args.command == "decide":
            decision = decide(
                context,
                args.conflict_id,
                args.action,
                note=args.note,
                facts=tuple(args.fact),
                claims=tuple(args.claim),
                into=args.into,
            )
            print(f"recorded: {decision.action} on {decision.conflict_id} in {args.decisions}")
            print("run `make curate` to apply it")
        elif args.list:
            list_conflicts(context, args.status, sys.stdout)
        elif args.web:
            from pipeline.review.web import serve

            serve(context, args)
        else:
            interactive_review(context, include_deferred=args.deferred)
    except (ReviewError, DecisionsError) as exc:
        print(f"curate {args.command}: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        print(f"\ninterrupted; decisions already made are saved in {args.decisions}", file=sys.stderr)
        return EXIT_OK
    return EXIT_OK


def _report_documents(result: RunResult) -> None:
    blocks = result.blocks.kept_per_doc
    mentions = Counter(mention.doc_id for mention in result.mentions)
    claims = Counter(claim.doc_id for claim in result.claims)
    for doc in sorted(result.documents, key=lambda d: d.source_path):
        counts = f"{blocks[doc.doc_id]} blocks kept, {mentions[doc.doc_id]} mentions, {claims[doc.doc_id]} claims"
        print(f"{doc.source_path}: {doc.status}; {counts}")


def _warn_stale_decisions(stats: dict) -> None:
    for decision in stats.get("reconcile", {}).get("stale_decisions", []):
        print(
            f"warning: stale decision ({decision['action']} on {decision['conflict_id']}, line {decision['line']}): "
            "no conflict of this build matches it; it is kept in the decisions file",
            file=sys.stderr,
        )


def _report(result: RunResult, quiet: bool) -> None:
    _warn_stale_decisions(result.stats)
    for doc in result.documents:
        if doc.status == "error":
            print(f"error: {doc.error}", file=sys.stderr)
        elif doc.status == "unsupported" and not quiet:
            print(f"skipped: {doc.error}", file=sys.stderr)
    if quiet:
        return
    statuses: dict[str, int] = {}
    for doc in result.documents:
        statuses[doc.status] = statuses.get(doc.status, 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    cached = f"; {result.from_cache} of {result.processed} served from the cache" if result.processed else ""
    print(f"documents: {len(result.documents)} ({counts}){cached}")
    if result.stats:
        strip = result.stats["strip"]
        reasons = ", ".join(f"{reason} {n}" for reason, n in strip["removed_by_reason"].items())
        print(f"blocks: {strip['blocks_kept']} kept, {strip['blocks_removed']} removed ({reasons})")
    if "muscles" in result.stats:
        muscles = result.stats["muscles"]
        types = ", ".join(f"{kind} {n}" for kind, n in muscles["by_match_type"].items())
        print(f"mentions: {muscles['mentions']} of {muscles['entries_mentioned']} lexicon entries ({types})")
    if "claims" in result.stats:
        claims = result.stats["claims"]
        relations = ", ".join(f"{relation} {n}" for relation, n in claims["by_relation"].items())
        print(f"claims: {claims['claims']} ({relations}); {claims['hedged']} hedged")
    if "reconcile" in result.stats:
        rec = result.stats["reconcile"]
        statuses = ", ".join(f"{n} {status}" for status, n in rec["facts_by_status"].items())
        kinds = ", ".join(f"{kind} {n}" for kind, n in rec["conflicts_by_kind"].items())
        print(f"facts: {rec['facts']} ({statuses}); {rec['facts_with_several_sources']} from several sources")
        print(f"conflicts: {rec['conflicts']} ({kinds}); {rec['conflicts_open']} open")
    for path in result.written:
        print(f"wrote {path}")
