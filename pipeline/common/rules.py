"""Load rule patterns kept as JSONL data files, with validation.

Each line is one JSON object. A bad line stops loading with an error that names the file and
the line, because a silently skipped rule would change results without anyone noticing.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from collections.abc import Set as AbstractSet
from importlib import resources
from pathlib import Path
from typing import Any

DATA_DIR = Path(str(resources.files("pipeline") / "data"))


class PatternError(ValueError):
    """A pattern file that does not validate."""


def read_jsonl(path: Path, required: dict[str, type], optional: dict[str, type]) -> list[dict[str, Any]]:
    """Read a JSONL file and check each object's keys and types."""
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{line_no}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PatternError(f"{where}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise PatternError(f"{where}: expected a JSON object")
            check_keys(row, required, optional, where)
            rows.append(row)
    ids = [row["id"] for row in rows if "id" in row]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PatternError(f"{path.name}: duplicate ids {duplicates}")
    return rows


def required_words(pattern: list[dict]) -> list[frozenset[str]]:
    """For each token a spaCy Matcher pattern cannot do without, the lower-case words it accepts.

    A text lacking every word of some set cannot match, so a cheap set test can skip the
    Matcher (whose cost grows with patterns x tokens) on most blocks.
    """
    required = []
    for token in pattern:
        value = token.get("LOWER", token.get("ORTH"))
        if token.get("OP") in ("?", "*", "!") or value is None:
            continue  # optional or negated tokens require nothing
        if isinstance(value, dict) and "IN" not in value:
            continue  # NOT_IN and the like constrain nothing a pre-filter can use
        words = value["IN"] if isinstance(value, dict) else [value]
        required.append(frozenset(w.lower() for w in words))
    return required


def could_match(required: list[list[frozenset[Hashable]]], words: AbstractSet[Hashable]) -> bool:
    """Whether some pattern (given as `required_words`) has all its required words in `words`."""
    return any(all(not alternatives.isdisjoint(words) for alternatives in pattern) for pattern in required)


def check_keys(
    row: dict[str, Any],
    required: dict[str, type],
    optional: dict[str, type],
    where: str,
    error: type[Exception] = PatternError,
) -> None:
    """Every required key present with its type; every other key known, with its type (None allowed).

    `where` ("file:line") starts each message; `error` is the exception raised.
    """
    for key, kind in required.items():
        if key not in row or row[key] in (None, ""):
            raise error(f"{where}: missing key '{key}'")
        if not isinstance(row[key], kind):
            raise error(f"{where}: '{key}' must be {_type_name(kind)}")
    for key, value in row.items():
        if key in required:
            continue
        if key not in optional:
            allowed = ", ".join([*required, *optional])
            raise error(f"{where}: unknown key '{key}' (allowed: {allowed})")
        if value is not None and not isinstance(value, optional[key]):
            raise error(f"{where}: '{key}' must be {_type_name(optional[key])}")


def _type_name(kind: type) -> str:
    return {"str": "a string", "int": "an integer", "bool": "true or false", "list": "a list", "dict": "a mapping"}.get(
        kind.__name__, kind.__name__
    )
