"""Command line: `curate` (or `python -m pipeline`). Thin: parse, call a stage runner, report.

Exit status: 0 when every input was curated, 1 when the run finished but some inputs failed
(their rows in documents.parquet say why), 2 when the run could not start or could not write
(bad arguments, missing input folder, an invalid lexicon, rule or decisions file, a table that
breaks the data contract, an output folder that cannot take the build), 130 or 143 when stopped
by SIGINT or SIGTERM (the output folder then holds the previous build).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Only light modules here: `curate run` with nothing changed answers before spaCy, trafilatura
# or Arrow are imported (see pipeline/run/uptodate.py); each command imports what it runs.
from pipeline import __version__
from pipeline.common.atomic import write_text_atomically
from pipeline.common.rules import PatternError
from pipeline.ingest.read import DEFAULT_MAX_BYTES
from pipeline.records import ACTIONS
from pipeline.review.decisions import DEFAULT_DECISIONS, DecisionsError, reviewer_name
from pipeline.run.cache import DEFAULT_CACHE_DIR, StageCache
from pipeline.run.engines import ENGINES
from pipeline.run.interrupt import Interrupted, stop_on_signals
from pipeline.run.stages import BY_COMMAND, STAGES, Stage
from pipeline.run.staging import OutputError, hold, output_folder, outputs_present, recover_if_idle
from pipeline.run.summary import report_counts, report_per_document, report_problems, report_written
from pipeline.run.uptodate import BuildInputs, LastBuild, build_key, up_to_date

if TYPE_CHECKING:
    from pipeline.run.build import RunResult

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN = 0, 1, 2
# What `curate evaluate` leaves in the build it scores, for the report.
EVALUATION_FILE = "evaluation.json"


# A process stopped by a signal exits with 128 + the signal's number, as the shell reports it.
EXIT_SIGNAL_BASE = 128


def _at_least(minimum: int) -> type[int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = "number"
    return parse  # type: ignore[return-value]


def _stage_help(stage: Stage) -> str:
    """What a stage command reads and writes, for its --help."""
    written = [f"{name}.parquet" for name in stage.writes]
    if stage.name != "ingest":
        written.append("stats.json")
    if stage.name == "reconcile":
        written += ["review.html", "report.html", "audit/<doc_id>.html pages", "manifest.json"]
    return f"Reads {stage.reads}.\nWrites {', '.join(written)} to --out."


def _add_io_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    # Subcommands repeat the options so both `curate --raw X run` and `curate run --raw X` work;
    # SUPPRESS keeps a subcommand from overwriting a value given before it.
    default = (lambda value: value) if defaults else (lambda value: argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, default=default(Path("raw")), help="input folder (default: raw)")
    parser.add_argument("--out", type=Path, default=default(Path("curated")), help="output folder (default: curated)")
    parser.add_argument(
        "--max-bytes",
        type=_at_least(1),
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
        "--workers",
        type=_at_least(0),
        default=default(0),
        help="local pool or LocalCluster size (default: one per core)",
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


def _add_force_option(parser: argparse.ArgumentParser, default: object, whole: bool = True) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        default=default,
        help="rebuild even when inputs, code, settings and decisions equal the last build's"
        if whole
        else "replace a fuller build in --out (its other tables are removed) instead of refusing",
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
    for stage in sorted(STAGES, key=lambda s: s.command != "run"):
        sub = commands.add_parser(
            stage.command,
            help=stage.summary,
            description=f"{stage.summary}\n\n{_stage_help(stage)}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _add_io_options(sub, defaults=False)
        _add_force_option(sub, default=argparse.SUPPRESS, whole=stage.command == "run")
    schema = commands.add_parser(
        "schema",
        help="Print the data dictionary of every table.",
        description="Print the data dictionary of every table (reads nothing, writes to stdout).",
    )
    schema.add_argument("--markdown", action="store_true", help="Markdown tables, as in the README (default)")
    _add_review_commands(commands)
    _add_evaluate_command(commands)
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


def _add_evaluate_command(commands: argparse._SubParsersAction) -> None:
    evaluate = commands.add_parser(
        "evaluate",
        help="Score a build against articles annotated by hand (GOLD.yaml).",
        description="Score an already-built --out folder against a gold file: muscles found, claims found and\n"
        "extracted correctly (per relation), boilerplate lines removed and content lines kept.\n"
        "Reads GOLD.yaml, its muscle-key map, the --out tables and the raw files under --raw.\n"
        "Writes the report to stdout. It does not build: run `curate run` first.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("gold", type=Path, metavar="GOLD.yaml", help="the gold file (format: see the README)")
    # SUPPRESS: `curate --out X evaluate GOLD` keeps the value given before the subcommand.
    evaluate.add_argument("--out", type=Path, default=argparse.SUPPRESS, help="the build to score (default: curated)")
    evaluate.add_argument(
        "--raw", type=Path, default=argparse.SUPPRESS, help="the raw folder that was built (default: raw)"
    )
    evaluate.add_argument(
        "--muscle-keys",
        type=Path,
        help="map of gold muscle keys to names and ontology ids (default: muscle_keys.yaml beside GOLD.yaml, "
        "if present; without one, gold keys are lexicon ids)",
    )
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.add_argument("--only", nargs="+", default=[], metavar="KEY", help="score only these articles")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "schema":
        from pipeline.write.schemas import data_dictionary_markdown

        print(data_dictionary_markdown())
        return EXIT_OK
    if command in ("review", "decide"):
        return _review_command(args)
    if command == "evaluate":
        return _evaluate_command(args)
    if command in ("report", "show"):
        from pipeline.write.commands import page_command

        return page_command(args)
    if command == "clean-cache":
        from pipeline.run.cache import run_lock

        try:
            with run_lock(args.cache_dir):  # never under a running build
                removed = StageCache(args.cache_dir).clear()
        except OSError as exc:
            print(f"curate clean-cache: {args.cache_dir}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_CANNOT_RUN
        print(f"removed {removed} cache entries from {args.cache_dir}")
        return EXIT_OK
    try:
        output_folder(args.out)
    except OutputError as exc:
        print(f"curate: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if not args.raw.is_dir():
        what = "is not a folder" if args.raw.exists() else "does not exist"
        print(f"curate: input folder {args.raw} {what}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    return _stage_command(args, BY_COMMAND[command])


def _stage_command(args: argparse.Namespace, stage: Stage) -> int:
    """A build: own --out (lock, recovery), refuse to clobber a fuller build, build; errors and
    signals become an exit status and a message, never a traceback."""
    try:
        with stop_on_signals(), hold(args.out) as recovered:
            for line in recovered:
                if not args.quiet:
                    print(f"curate: {line}", file=sys.stderr)
            refusal = _clobber_refusal(args, stage)
            if refusal:
                print(refusal, file=sys.stderr)
                return EXIT_CANNOT_RUN
            return _build(args, stage)
    except DecisionsError as exc:
        print(f"curate: nothing written, the decisions file is invalid: {exc}", file=sys.stderr)
    except OutputError as exc:
        print(f"curate: nothing written: {exc}", file=sys.stderr)
    except (Interrupted, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else 2
        name = exc.name if isinstance(exc, Interrupted) else "SIGINT"
        print(f"curate: stopped by {name}; {_left_as(args.out)}", file=sys.stderr)
        return EXIT_SIGNAL_BASE + signum
    except OSError as exc:
        print(f"curate: nothing written, {_left_as(args.out)}: {exc}", file=sys.stderr)
    return EXIT_CANNOT_RUN


def _left_as(out: Path) -> str:
    return f"{out} holds the last complete build" if out.is_dir() else f"no build in {out}"


def _clobber_refusal(args: argparse.Namespace, stage: Stage) -> str | None:
    """A partial stage (`curate ingest` ...) would replace --out with fewer outputs than it holds:
    the message refusing to, unless --force."""
    if stage.command == "run" or args.force:
        return None
    writes = {f"{name}.parquet" for name in stage.writes} | ({"stats.json"} if stage.name != "ingest" else set())
    dropped = sorted(outputs_present(args.out) - writes)
    if not dropped:
        return None
    return (
        f"curate {stage.command}: nothing written: {args.out} holds a fuller build ({', '.join(dropped)}), "
        f"which `curate {stage.command}` would replace with {', '.join(sorted(writes))} alone. "
        f"Give another --out (e.g. --out {args.out}-{stage.command}), or --force to replace it."
    )


def _build(args: argparse.Namespace, stage: Stage) -> int:
    inputs = BuildInputs(args.raw, args.out, args.max_bytes, args.decisions)
    key = None
    if stage.command == "run":
        key = build_key(inputs)  # handed to the build, which records it: the inputs are hashed once
        last = None if args.force else up_to_date(inputs, key)
        if last is not None:
            return _report_unchanged(last, args)
    from pipeline.run.build import Settings, run_through
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
        inputs=inputs,
        build_key=key,
    )
    try:
        result = run_through(stage.name, settings)
    except TableValidationError as exc:
        print(f"curate: nothing written, a table breaks the data contract: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except PatternError as exc:
        print(f"curate: nothing written, a rule or lexicon file is invalid: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.verbose and not args.quiet:
        _report_documents(result)
    report_problems(result.documents, result.stats, args.quiet)
    if not args.quiet:
        report_counts(result.documents, result.processed, result.from_cache, result.stats)
        report_written(result.written)
    return EXIT_SOME_FAILED if result.failed else EXIT_OK


def _report_unchanged(last: LastBuild, args: argparse.Namespace) -> int:
    """What a rebuild would have printed, from the last build's stats: it would write the same."""
    stats, documents = last.stats, last.manifest.get("documents", {})
    report_problems([], stats, args.quiet)
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

    try:
        recover_if_idle(args.out)  # a build killed mid-swap (fallback swap only) is finished first
    except (OutputError, OSError) as exc:
        print(f"curate {args.command}: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
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


def _evaluate_command(args: argparse.Namespace) -> int:
    from pipeline.evaluate import BuildError, GoldError, evaluate
    from pipeline.evaluate.report import format_report, to_json

    try:
        evaluation = evaluate(args.gold, args.out, args.raw, args.muscle_keys, args.only)
    except (GoldError, BuildError) as exc:
        print(f"curate evaluate: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    figures = to_json(evaluation)
    # Kept beside the build it scores: `curate report` (and the report of the next `curate report`)
    # shows them. A rebuild replaces the folder, and with it these figures of the old build.
    write_text_atomically(args.out / EVALUATION_FILE, figures + "\n")
    print(figures if args.json else format_report(evaluation))
    return EXIT_OK


def _report_documents(result: RunResult) -> None:
    from collections import Counter

    mentions = Counter(mention.doc_id for mention in result.mentions)
    claims = Counter(claim.doc_id for claim in result.claims)
    report_per_document(result.documents, result.blocks.kept_per_doc, mentions, claims)
