"""Reviewer decisions: a version-controlled YAML file that every rebuild re-applies.

The file is user data. The pipeline reads it on every build and only ever appends to it (from
`curate review` and `curate decide`): the new entry's text is added at the end of the file in
place, under a lock, so hand edits, comments, the file's mode, its owner and a symlink to a
shared file are all kept, and decisions that no longer match any conflict stay. Before
appending, the file must parse, and the file with the entry appended must read back as the
same decisions plus the new one; when its layout cannot take an appended entry (a flow-style
list, `decisions: []`), nothing is written and the message says what to change. Later entries
for the same conflict supersede earlier ones, like an operation history.

    decisions:
    - conflict_id: 4f1c2a9b0d3e5f67
      kind: naming
      values: {muscle_id: tensor_fasciae_latae, surface: TLF}
      action: accept
      by: alice
      at: '2026-11-21T10:15:00+00:00'
      note: transposed letters
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.common.files import NotRegularFile, read_regular
from pipeline.common.locks import exclusive_lock
from pipeline.common.rules import check_keys
from pipeline.records import ACTIONS

DEFAULT_DECISIONS = Path("review/decisions.yaml")


HEADER = """\
# Reviewer decisions on curation conflicts (see README, "Reviewing conflicts").
# `make curate` applies them on every rebuild. Entries are only ever appended; the latest entry
# for a conflict_id wins. Edit by hand, or use `curate review` and `curate decide`.
decisions:
"""
REQUIRED = {"conflict_id": str, "action": str, "by": str, "at": str}
OPTIONAL = {"kind": str, "values": dict, "note": str, "facts": list, "claims": list, "into": str}


class DecisionsError(ValueError):
    """A decisions file that cannot be read; nothing is written over it."""


@dataclass(frozen=True)
class Decision:
    conflict_id: str
    action: str
    by: str
    at: str
    kind: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    facts: tuple[str, ...] = ()  # reject: only these facts (default: every fact of the conflict)
    claims: tuple[str, ...] = ()  # reject: only these claims
    into: str | None = None  # merge: the canonical name
    line: int = 0  # where the entry starts in the file, for messages

    def as_yaml_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"conflict_id": self.conflict_id}
        if self.kind:
            entry["kind"] = self.kind
        if self.values:
            entry["values"] = dict(self.values)
        entry.update(action=self.action, by=self.by, at=self.at)
        for key in ("facts", "claims"):
            if getattr(self, key):
                entry[key] = list(getattr(self, key))
        if self.into:
            entry["into"] = self.into
        if self.note:
            entry["note"] = self.note
        return entry


def read_decisions_file(path: Path) -> bytes | None:
    """The decisions file's bytes, or None when there is none yet; DecisionsError if it cannot be read."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        return None
    except NotRegularFile as exc:
        raise DecisionsError(f"{path}: {exc.strerror}; the decisions file must be a YAML file") from exc
    except OSError as exc:
        raise DecisionsError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def decode_decisions(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecisionsError(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from exc


def load_decisions(path: Path) -> list[Decision]:
    """Every decision in the file, in file order; a missing file holds none."""
    data = read_decisions_file(path)
    return [] if data is None else parse_decisions(decode_decisions(data, path), path)


def parse_decisions(text: str, path: Path) -> list[Decision]:
    root = _compose(text, path)
    _check_unique_keys(root, path)
    data = yaml.safe_load(text)
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {"decisions"}:
        raise DecisionsError(f"{path}:1: expected one top-level key, 'decisions', holding a list")
    entries = data["decisions"] or []
    if not isinstance(entries, list):
        raise DecisionsError(f"{path}:1: 'decisions' must be a list")
    nodes = _entry_nodes(root)
    return [_decision(entry, path, line) for entry, line in zip(entries, nodes, strict=True)]


def _compose(text: str, path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise DecisionsError(f"{path}{_where(exc)}") from exc
    except yaml.YAMLError as exc:
        raise DecisionsError(f"{path}: not valid YAML ({exc})") from exc


def _where(exc: yaml.MarkedYAMLError) -> str:
    """':LINE: not valid YAML (...)', at the line to fix: for something opened and never closed
    (a quote, a bracket), where it opens, not the end of the file where the parser gave up."""
    problem, context = exc.problem_mark, exc.context_mark
    if context is not None and problem is not None and "end of stream" in (exc.problem or ""):
        what = "a quote opened here is never closed" if "quoted" in (exc.context or "") else exc.context
        return f":{context.line + 1}: not valid YAML ({what}; the file ends at line {problem.line + 1})"
    mark = problem or context
    line = f":{mark.line + 1}" if mark else ""
    return f"{line}: not valid YAML ({exc.problem or exc.context})"


def _check_unique_keys(node: yaml.Node | None, path: Path) -> None:
    """YAML keeps the last of two equal keys silently; in a decision that hides a mistake."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                line = key.start_mark.line + 1
                raise DecisionsError(f"{path}:{line}: key '{key.value}' appears twice (YAML would keep only the last)")
            seen.add(key.value)
            _check_unique_keys(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_unique_keys(item, path)


def _entry_nodes(root: yaml.Node | None) -> list[int]:
    """Line numbers (1-based) of the list entries, from the composed node tree."""
    sequence = _decisions_node(root)
    return [item.start_mark.line + 1 for item in sequence.value] if sequence else []


def _decisions_node(root: yaml.Node | None) -> yaml.SequenceNode | None:
    if root is None or not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value == "decisions" and isinstance(value, yaml.SequenceNode):
            return value
    return None


def _decision(entry: Any, path: Path, line: int) -> Decision:
    where = f"{path}:{line}"
    if not isinstance(entry, dict):
        raise DecisionsError(f"{where}: each decision must be a mapping")
    entry = {k: (v.isoformat() if isinstance(v, dt.date | dt.datetime) else v) for k, v in entry.items()}
    check_keys(entry, REQUIRED, OPTIONAL, where, DecisionsError)
    if entry["action"] not in ACTIONS:
        raise DecisionsError(f"{where}: unknown action '{entry['action']}' (one of {', '.join(ACTIONS)})")
    return Decision(
        conflict_id=str(entry["conflict_id"]),
        action=entry["action"],
        by=entry["by"],
        at=entry["at"],
        kind=entry.get("kind"),
        values=entry.get("values") or {},
        note=entry.get("note"),
        facts=tuple(str(f) for f in entry.get("facts") or ()),
        claims=tuple(str(c) for c in entry.get("claims") or ()),
        into=entry.get("into"),
        line=line,
    )


def latest(decisions: list[Decision]) -> dict[str, Decision]:
    """conflict_id -> the decision that applies: the last one in the file."""
    return {d.conflict_id: d for d in decisions}


def append_decision(path: Path, decision: Decision) -> None:
    """Append a decision's entry to the end of the file, in place; never rewrite what is there.

    Refused (DecisionsError, nothing written) when the file does not parse, cannot be written,
    or has a layout that an appended entry would not extend. A missing file is created.
    """
    with _locked(path):
        data = read_decisions_file(path)
        text = decode_decisions(data, path) if data is not None else ""
        existing = parse_decisions(text, path)
        addition = _addition(text, decision)
        if not _reads_back(text + addition, path, [*existing, decision]):
            raise DecisionsError(_layout_problem(text, path))
        if data is not None:
            _check_writable(path)
        _append(path, addition, len(data or b""))


def _append(path: Path, addition: str, size: int) -> None:
    """Write `addition` at the end of the file; if the write fails midway, cut the file back to `size`."""
    try:
        with open(path, "ab") as handle:
            try:
                handle.write(addition.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            except OSError:
                handle.truncate(size)
                raise
    except OSError as exc:
        raise DecisionsError(f"{path}: cannot be written ({exc.strerror or exc}); nothing was recorded") from exc


def _reads_back(text: str, path: Path, expected: list[Decision]) -> bool:
    try:
        decisions = parse_decisions(text, path)
    except DecisionsError:
        return False
    return [d.as_yaml_dict() for d in decisions] == [d.as_yaml_dict() for d in expected]


def _addition(text: str, decision: Decision) -> str:
    """The text to append: the entry, indented like the entries already there, in the file's line
    endings; with the header (new or empty file) or a `decisions:` line (comments only) first."""
    entry = yaml.safe_dump([decision.as_yaml_dict()], sort_keys=False, allow_unicode=True, width=100)
    try:
        sequence = _decisions_node(yaml.compose(text, Loader=yaml.SafeLoader))
        data = yaml.safe_load(text)
    except yaml.YAMLError:  # already reported by parse_decisions
        sequence, data = None, None
    indent = " " * sequence.start_mark.column if sequence and sequence.value else ""  # where its dashes are
    entry = "".join(indent + line for line in entry.splitlines(keepends=True))
    if not text.strip():
        entry = HEADER + entry
    elif data is None:  # comments only
        entry = "decisions:\n" + entry
    if text and not text.endswith("\n"):
        entry = "\n" + entry
    return entry.replace("\n", "\r\n") if "\r\n" in text else entry


def _layout_problem(text: str, path: Path) -> str:
    """Why an appended entry would not extend the list, and what to change."""
    sequence = _decisions_node(yaml.compose(text, Loader=yaml.SafeLoader))
    data = yaml.safe_load(text) or {}
    if isinstance(data.get("decisions"), list) and (sequence is None or sequence.flow_style):
        line = sequence.start_mark.line + 1 if sequence else 1
        return (
            f"{path}:{line}: cannot append a decision: the list is written in flow style ([...]), which an entry "
            "added at the end of the file does not extend. Nothing was written. Write it in block style: "
            "`decisions:` on a line of its own, then one `- conflict_id: ...` entry per decision."
        )
    return (
        f"{path}: cannot append a decision: with an entry added at its end, the file would not read back as its "
        "decisions plus the new one. Nothing was written. End the file with the list of decisions in block "
        "style (`decisions:`, then one `- conflict_id: ...` entry per decision), with nothing after the last entry."
    )


def _check_writable(path: Path) -> None:
    mode = os.stat(path).st_mode
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise DecisionsError(
            f"{path}: the decisions file is read-only (mode {mode & 0o777:o}); nothing was recorded. "
            "Make it writable (chmod u+w) to record decisions, or pass another --decisions file."
        )


def _locked(path: Path) -> contextlib.AbstractContextManager[None]:
    """An exclusive lock beside the file (beside a symlink's target, which is what is written), so
    that two reviewers never interleave writes."""
    real = Path(os.path.realpath(path))
    return exclusive_lock(real.with_name(f".{real.name}.lock"), f"the decisions file {path}")


def reviewer_name() -> str:
    """Who is deciding: $CURATE_REVIEWER, else the login name."""
    return os.environ.get("CURATE_REVIEWER") or getpass.getuser()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
