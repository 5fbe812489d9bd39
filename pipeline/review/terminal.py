"""Reviewing conflicts: `curate review` (interactive), `curate review --list` and `curate decide`.

All three read the conflicts of the last build (`curated/conflicts.parquet`) and write only to
the decisions file, one appended entry per decision, so quitting midway keeps every decision
already made. `make curate` then applies them.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pyarrow.parquet as pq

from pipeline.extract.lexicon import cached_lexicon
from pipeline.records import ACTIONS, DEFER, MERGE, REJECT
from pipeline.review.actions import HELP, QUIT, SKIP, action_for_key, choices, effect
from pipeline.review.decisions import Decision, append_decision, latest, load_decisions, now

# Identifiers may be shortened to a unique prefix of at least this many characters.
MIN_PREFIX = 6


class ReviewError(ValueError):
    """A review command that cannot go on (no build yet, unknown conflict, bad action)."""


@dataclass
class ReviewContext:
    out_dir: Path
    decisions_path: Path
    reviewer: str


def load_conflicts(out_dir: Path) -> list[dict[str, Any]]:
    path = out_dir / "conflicts.parquet"
    if not path.exists():
        raise ReviewError(f"{path} does not exist: run `make curate` (or `curate run`) first")
    return pq.ParquetFile(path).read().to_pylist()  # not read_table: it imports pyarrow.dataset (0.2 s)


def fact_claims(out_dir: Path) -> dict[str, set[str]]:
    path = out_dir / "facts.parquet"
    if not path.exists():
        return {}
    table = pq.ParquetFile(path).read(columns=["fact_id", "claim_ids"]).to_pylist()
    return {row["fact_id"]: set(row["claim_ids"]) for row in table}


def find_conflict(conflicts: list[dict[str, Any]], conflict_id: str) -> dict[str, Any]:
    matches = [c for c in conflicts if c["conflict_id"] == conflict_id]
    if not matches and len(conflict_id) >= MIN_PREFIX:
        matches = [c for c in conflicts if c["conflict_id"].startswith(conflict_id)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ReviewError(f"'{conflict_id}' matches {len(matches)} conflicts; give more of the id")
    if len(conflict_id) < MIN_PREFIX:
        raise ReviewError(
            f"no conflict has the id '{conflict_id}'; a shortened id needs at least {MIN_PREFIX} characters "
            "(see `curate review --list`)"
        )
    raise ReviewError(f"no conflict '{conflict_id}' in the last build (see `curate review --list`)")


def make_decision(
    conflict: dict[str, Any],
    action: str,
    reviewer: str,
    note: str | None = None,
    facts: tuple[str, ...] = (),
    claims: tuple[str, ...] = (),
    into: str | None = None,
    claims_of_facts: dict[str, set[str]] | None = None,
) -> Decision:
    """A decision on one conflict, checked against it before anything is written."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown action '{action}' (one of {', '.join(ACTIONS)})")
    if action == MERGE and conflict["kind"] != "naming":
        raise ReviewError(f"'merge' applies to naming conflicts; {conflict['conflict_id']} is {conflict['kind']}")
    if action != REJECT and (facts or claims):
        raise ReviewError("--fact and --claim go with 'reject' only")
    if into and action != MERGE:
        raise ReviewError("--into goes with 'merge' only")
    if into and merge_target_of(into) is None:
        raise ReviewError(
            f"--into '{into}' names no lexicon entry: give a muscle's name, another of its names, or its id"
        )
    unknown = sorted(set(facts) - set(conflict["fact_ids"]))
    if unknown:
        raise ReviewError(f"facts {unknown} are not part of conflict {conflict['conflict_id']}")
    if claims:
        known = set().union(*((claims_of_facts or {}).get(f, set()) for f in conflict["fact_ids"]))
        stray = sorted(set(claims) - known)
        if stray:
            raise ReviewError(f"claims {stray} are not behind the facts of conflict {conflict['conflict_id']}")
    return Decision(
        conflict_id=conflict["conflict_id"],
        action=action,
        by=reviewer,
        at=now(),
        kind=conflict["kind"],
        values=conflict_values(conflict),
        note=note or None,
        facts=facts,
        claims=claims,
        into=into or (_canonical(conflict) if action == MERGE else None),
    )


def conflict_values(conflict: dict[str, Any]) -> dict[str, Any]:
    """What the decision applies to, recorded beside the id so a person can read it."""
    values: dict[str, Any] = {"muscle_ids": list(conflict["muscle_ids"])}
    for key in ("relation", "surface"):
        if conflict.get(key):
            values[key] = conflict[key]
    if conflict.get("object_ids"):
        values["object_ids"] = list(conflict["object_ids"])
    return values


def merge_target_of(name: str) -> str | None:
    """The lexicon entry a merge's --into names: by id, canonical name or any other name."""
    lexicon = cached_lexicon()
    if name in lexicon.entries:
        return name
    term = lexicon.resolve(name)
    return term.muscle_id if term else None


def _canonical(conflict: dict[str, Any]) -> str:
    """The lexicon's canonical name of the conflict's muscle: what a merge writes by default."""
    return cached_lexicon()[conflict["muscle_ids"][0]].name


def decide(context: ReviewContext, conflict_id: str, action: str, **options: Any) -> Decision:
    conflicts = load_conflicts(context.out_dir)
    conflict = find_conflict(conflicts, conflict_id)
    decision = make_decision(
        conflict, action, context.reviewer, claims_of_facts=fact_claims(context.out_dir), **options
    )
    append_decision(context.decisions_path, decision)
    return decision


def list_conflicts(context: ReviewContext, status: str, out: TextIO) -> int:
    conflicts = load_conflicts(context.out_dir)
    pending = latest(load_decisions(context.decisions_path))
    shown = 0
    out.write("conflict_id\tkind\tstatus\tdecision\tsummary\n")
    for conflict in conflicts:
        decision = pending.get(conflict["conflict_id"])
        if status != "all" and conflict["status"] != status:
            continue
        # A decision made since the last build shows as pending until `make curate` applies it.
        label = conflict["decision"] or (f"{decision.action} (pending rebuild)" if decision else "-")
        out.write(f"{conflict['conflict_id']}\t{conflict['kind']}\t{conflict['status']}\t{label}\t")
        out.write(f"{conflict['summary']}\n")
        shown += 1
    return shown


# --------------------------------------------------------------------------- interactive


def interactive_review(
    context: ReviewContext,
    include_deferred: bool = False,
    read_key: Callable[[], str] | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Walk the open conflicts without a decision; one keypress per decision. Returns how many were made."""
    conflicts = load_conflicts(context.out_dir)
    decided = latest(load_decisions(context.decisions_path))
    queue = [
        c
        for c in conflicts
        if c["status"] == "open"
        and (c["conflict_id"] not in decided or (include_deferred and decided[c["conflict_id"]].action == DEFER))
    ]
    if not queue:
        out.write("Nothing to review: every conflict of the last build has a decision.\n")
        return 0
    made = 0
    with _single_keys() as keys:
        read = read_key or keys
        for number, conflict in enumerate(queue, start=1):
            out.write(render_conflict(conflict, number, len(queue)))
            action = _ask(conflict, read, out)
            if action == QUIT:
                break
            if action == SKIP:
                continue
            append_decision(context.decisions_path, make_decision(conflict, action, context.reviewer))
            made += 1
            out.write(f"  recorded: {action} ({effect(conflict, action)}); applies on the next build\n\n")
            out.flush()
    out.write(f"{made} decision(s) saved to {context.decisions_path}. Run `make curate` to apply them.\n")
    return made


def _prompt(conflict: dict[str, Any]) -> str:
    keys = [f"[{c.key}] {c.label}" for c in choices(conflict)]
    return "  " + "  ".join([*keys, "[s] skip", "[q] quit", "[?] help"]) + "\n> "


def _ask(conflict: dict[str, Any], read: Callable[[], str], out: TextIO) -> str:
    while True:
        out.write(_prompt(conflict))
        out.flush()
        key = read()
        if key == "":  # end of input: stop, keeping what is saved
            out.write("\n")
            return QUIT
        key = key.lower()
        out.write(key + "\n")
        if key in (SKIP, QUIT):
            return key
        if key == HELP:
            out.write(_help(conflict))
            continue
        action, why_not = action_for_key(conflict, key)
        if action:
            return action
        out.write(f"  {why_not}\n")


def _help(conflict: dict[str, Any]) -> str:
    offered = choices(conflict)
    lines = [f"  {c.key}  {c.label}  ({c.action}: {ACTIONS[c.action]})" for c in offered]
    if conflict["fact_ids"] and REJECT not in {c.action for c in offered}:
        lines.append("  r  same as a here: it rejects the same facts")
    lines += ["  s  skip for now", "  q  quit; decisions already made are saved"]
    if conflict["kind"] != "naming":
        lines.append("  (m, merge, applies to naming conflicts only)")
    return "\n".join(lines) + "\n"


def render_conflict(conflict: dict[str, Any], number: int, total: int) -> str:
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))
    lines = [
        "=" * width,
        f"[{number}/{total}] {conflict['kind']} conflict {conflict['conflict_id']}",
        *textwrap.wrap(conflict["summary"], width),
        *textwrap.wrap(f"Suggested: {conflict['suggested_resolution']}", width),
        f"Facts touched: {len(conflict['fact_ids'])}",
        "",
    ]
    if conflict["forms"]:
        forms = ", ".join(f"{f['form']} x{f['n']} ({f['source_path']})" for f in conflict["forms"])
        lines += textwrap.wrap(f"Written forms: {forms}", width) + [""]
    sides: dict[str, list[dict[str, Any]]] = {}
    for item in conflict["evidence"]:
        sides.setdefault(item["side"], []).append(item)
    names = list(sides)
    for i in range(0, len(names), 2):
        lines += _side_by_side([(n, sides[n]) for n in names[i : i + 2]], width)
    return "\n".join(lines) + "\n"


def _side_by_side(columns: list[tuple[str, list[dict[str, Any]]]], width: int) -> list[str]:
    column_width = (width - 3) // len(columns)
    rendered = [_column(name, items, column_width) for name, items in columns]
    height = max(len(c) for c in rendered)
    rows = []
    for i in range(height):
        cells = [(c[i] if i < len(c) else "").ljust(column_width) for c in rendered]
        rows.append(" | ".join(cells).rstrip())
    return [*rows, ""]


def _column(name: str, items: list[dict[str, Any]], width: int) -> list[str]:
    lines = [name.upper(), "-" * min(width, len(name) + 4)]
    for item in items:
        lines += textwrap.wrap(f'"{item["quote"]}"', width) or [""]
        where = item["source_path"] or ""
        if item["line_start"]:
            where += f":{item['line_start']}-{item['line_end']}"
        if item["claim_id"]:
            where += f" claim {item['claim_id']}"
        lines += textwrap.wrap(f"  - {where}", width) + [""]
    return lines


@contextlib.contextmanager
def _single_keys() -> Iterator[Callable[[], str]]:
    """Read one key at a time on a terminal (no Enter needed); read lines from a pipe."""
    if not sys.stdin.isatty():
        yield _read_line_key
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield lambda: sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _read_line_key() -> str:
    """From a pipe: the first character of the next line; '' at the end of input."""
    line = sys.stdin.readline()
    if not line:
        return ""
    return (line.strip() or " ")[0]
