"""Reviewer decisions: a version-controlled YAML file that every rebuild re-applies.

The file is user data. The pipeline reads it on every build and only ever appends to it (from
`curate review` and `curate decide`), under a lock and with an atomic rename; hand edits,
comments and decisions that no longer match any conflict are all kept. Later entries for the
same conflict supersede earlier ones, like an operation history.

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

from pipeline.common.atomic import write_text_atomically
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


def load_decisions(path: Path) -> list[Decision]:
    """Every decision in the file, in file order; a missing file holds none."""
    if not path.exists():
        return []
    return parse_decisions(path.read_text(encoding="utf-8"), path)


def parse_decisions(text: str, path: Path) -> list[Decision]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise DecisionsError(f"{path}{line}: not valid YAML ({exc.problem or exc.context})") from exc
    except yaml.YAMLError as exc:
        raise DecisionsError(f"{path}: not valid YAML ({exc})") from exc
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {"decisions"}:
        raise DecisionsError(f"{path}:1: expected one top-level key, 'decisions', holding a list")
    entries = data["decisions"] or []
    if not isinstance(entries, list):
        raise DecisionsError(f"{path}:1: 'decisions' must be a list")
    nodes = _entry_nodes(root)
    return [_decision(entry, path, line) for entry, line in zip(entries, nodes, strict=True)]


def _entry_nodes(root: yaml.Node | None) -> list[int]:
    """Line numbers (1-based) of the list entries, from the composed node tree."""
    if root is None or not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "decisions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


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
    """Add a decision at the end of the file, keeping everything already in it.

    The existing file must parse first: a malformed file is reported and left untouched.
    """
    with _locked(path):
        old_text = path.read_text(encoding="utf-8") if path.exists() else ""
        existing = parse_decisions(old_text, path)
        entry_text = yaml.safe_dump([decision.as_yaml_dict()], sort_keys=False, allow_unicode=True, width=100)
        base = old_text if old_text.strip() else HEADER
        new_text = base + ("" if base.endswith("\n") else "\n") + entry_text
        try:
            appended = parse_decisions(new_text, path)
        except DecisionsError:
            appended = []
        if [d.as_yaml_dict() for d in appended] != [d.as_yaml_dict() for d in [*existing, decision]]:
            # The file's layout does not take a plain append (e.g. `decisions: []`): write the
            # same decisions back in the standard layout. Comments are lost; no decision is.
            entries = [d.as_yaml_dict() for d in [*existing, decision]]
            new_text = HEADER + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)
        write_text_atomically(path, new_text)


def _locked(path: Path) -> contextlib.AbstractContextManager[None]:
    """An exclusive lock beside the file, so that two reviewers never interleave writes."""
    return exclusive_lock(path.with_name(f".{path.name}.lock"), f"the decisions file {path}")


def reviewer_name() -> str:
    """Who is deciding: $CURATE_REVIEWER, else the login name."""
    return os.environ.get("CURATE_REVIEWER") or getpass.getuser()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
