"""What each review key does to a conflict's facts, in words: shared by the terminal and the web review.

A reviewer reads "accept" as "keep the fact", so each choice is labelled by its effect on the
next build: which facts are rejected, which stay. Where two actions would do the same thing
(accepting a suggestion to reject every fact of the conflict, or rejecting them), only one is
offered; the other key still works and records its own action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.records import ACCEPT, DEFER, MERGE, NOT_A_CONFLICT, REJECT

# One key per action, in the order they are offered. `n` was the not-a-conflict key before
# `k` ("keep"); it still works so that habits and scripts keep working.
KEYS = {"a": ACCEPT, "r": REJECT, "m": MERGE, "k": NOT_A_CONFLICT, "d": DEFER}
ALIASES = {"n": NOT_A_CONFLICT}
SKIP, QUIT, HELP = "s", "q", "?"


@dataclass(frozen=True)
class Choice:
    key: str
    action: str
    label: str  # what it does to the facts, e.g. "accept suggestion: reject 2 facts"


def _facts(n: int) -> str:
    return f"{n} fact" if n == 1 else f"{n} facts"


def choices(conflict: Mapping[str, Any]) -> list[Choice]:
    """The actions offered for one conflict (a `conflicts.parquet` row), labelled by their effect."""
    facts = list(conflict.get("fact_ids") or [])
    suggested = list(conflict.get("suggested_fact_ids") or [])
    rejects = conflict.get("suggested_action") == "reject" and bool(suggested)
    keep = "keep the facts" if len(facts) != 1 else "keep the fact"
    offered = [
        Choice(
            "a",
            ACCEPT,
            f"accept suggestion: reject {_facts(len(suggested))}" if rejects else f"accept suggestion: {keep}",
        )
    ]
    if facts and not (rejects and set(suggested) == set(facts)):
        offered.append(Choice("r", REJECT, f"reject {'all ' if len(facts) > 1 else ''}{_facts(len(facts))}"))
    if conflict.get("kind") == "naming":
        surface = conflict.get("surface")
        offered.append(
            Choice("m", MERGE, f"merge '{surface}' into the canonical name" if surface else "merge the names")
        )
    if facts:
        offered.append(Choice("k", NOT_A_CONFLICT, f"{keep} (not a conflict)"))
    else:
        offered.append(Choice("k", NOT_A_CONFLICT, "not a conflict"))
    offered.append(Choice("d", DEFER, "defer (stays open)"))
    return offered


def action_for_key(conflict: Mapping[str, Any], key: str) -> tuple[str | None, str | None]:
    """(action, None) for a key that applies to this conflict, else (None, why not)."""
    key = key.lower()
    action = KEYS.get(key) or ALIASES.get(key)
    if action is None:
        return None, f"'{key}' is not one of the keys (? lists them)"
    if action == MERGE and conflict.get("kind") != "naming":
        return None, f"'m' (merge) applies to naming conflicts only; this is a {conflict.get('kind')} conflict"
    if action == REJECT and not conflict.get("fact_ids"):
        return None, "'r' (reject) has no facts to reject in this conflict"
    return action, None


def effect(conflict: Mapping[str, Any], action: str) -> str:
    """What an action does to this conflict's facts, in words (for "recorded: ..." messages)."""
    offered = {c.action: c.label for c in choices(conflict)}
    if action in offered:
        return offered[action]
    if action == REJECT:  # not offered because accepting does the same
        return f"reject {_facts(len(conflict.get('fact_ids') or []))}"
    return action.replace("_", " ")
