"""Command line: `curate` (or `python -m pipeline`). Thin: parse (`arguments.py`), call a stage
runner, report. The exit statuses are `arguments.EXIT_STATUSES`, shown by `curate --help`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Only light modules here: `curate run` with nothing changed answers before spaCy, trafilatura
# or Arrow are imported (see pipeline/run/uptodate.py); each command imports what it runs.
from pipeline.arguments import build_parser
from pipeline.common.atomic import write_text_atomically
from pipeline.common.rules import PatternError
from pipeline.ingest.known import KnownInputs
from pipeline.review.decisions import DecisionsError, reviewer_name
from pipeline.run.cache import StageCache
from pipeline.run.interrupt import Interrupted, stop_on_signals
from pipeline.run.stages import BY_COMMAND, Stage
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
    known = None if args.no_cache else KnownInputs.load(args.cache_dir)
    inputs = BuildInputs(args.raw, args.out, args.max_bytes, args.decisions, known)
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
