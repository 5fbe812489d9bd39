"""The `curate` command line's arguments: one subcommand per stage of the registry, the page and
review commands, and `evaluate`. Building the parser imports nothing heavy."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline import __version__
from pipeline.ingest.read import DEFAULT_MAX_BYTES
from pipeline.records import ACTIONS
from pipeline.review.decisions import DEFAULT_DECISIONS
from pipeline.run.cache import DEFAULT_CACHE_DIR
from pipeline.run.engines import ENGINES
from pipeline.run.stages import STAGES, Stage

EXIT_STATUSES = """\
Exit status: 0 when every input was curated, 1 when the run finished but some inputs failed
(their rows in documents.parquet say why), 2 when the run could not start or could not write
(bad arguments, missing input folder, an invalid lexicon, rule or decisions file, a table that
breaks the data contract, an output folder that cannot take the build), 130 or 143 when stopped
by SIGINT or SIGTERM (the output folder then holds the previous build)."""


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
        help=f"per-document stage cache (default: {DEFAULT_CACHE_DIR}; $CURATE_CACHE_DIR sets the default)",
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
        epilog="Without a subcommand, `curate` runs the whole pipeline. " + EXIT_STATUSES,
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
        "Prints the report on stdout and writes its figures to --out/evaluation.json, where\n"
        "report.html shows them. It does not build: run `curate run` first.",
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
