"""Conflicts for a reviewer: one module per kind, all made through the two builders here.

A *form* conflict is about how an entity is written (naming, category): it carries the written
form, its cluster and every form's counts. A *fact* conflict is about facts (reference,
disagreement): it carries the relation, the values and the facts a suggestion would reject.
Every conflict id is a hash of its kind and the values involved, so a decision keyed by it still
applies after a rebuild reorders or extends everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.common.ids import short_id
from pipeline.reconcile.evidence import Evidence
from pipeline.records import CONFLICT_KINDS, RESOLVING, Mention
from pipeline.review.decisions import Decision


@dataclass
class Conflict:
    conflict_id: str
    kind: str
    summary: str
    muscle_ids: list[str]
    evidence: list[Evidence]
    suggested_resolution: str
    suggested_action: str  # "keep" or "reject" the facts in `suggested_fact_ids`
    fact_ids: list[str] = field(default_factory=list)
    suggested_fact_ids: list[str] = field(default_factory=list)
    relation: str | None = None
    object_ids: list[str] = field(default_factory=list)
    surface: str | None = None
    cluster_method: str | None = None
    forms: list[dict[str, Any]] = field(default_factory=list)
    decision: Decision | None = None
    mentions: list[Mention] = field(default_factory=list, repr=False)  # form conflicts: the mentions at issue

    @property
    def status(self) -> str:
        return "resolved" if self.decision and self.decision.action in RESOLVING else "open"


def form_conflict(
    kind: str,
    muscle_id: str,
    id_values: tuple[str, ...],
    summary: str,
    evidence: list[Evidence],
    resolution: str,
    surface: str,
    mentions: list[Mention],
    forms: list[dict[str, Any]],
    cluster_method: str | None = None,
) -> Conflict:
    """A naming or category conflict; its facts are filled in once reviewer merges are applied."""
    return Conflict(
        conflict_id=short_id(kind, muscle_id, *id_values),
        kind=kind,
        summary=summary,
        muscle_ids=[muscle_id],
        evidence=evidence,
        suggested_resolution=resolution,
        suggested_action="keep",
        surface=surface,
        cluster_method=cluster_method,
        forms=forms,
        mentions=mentions,
    )


def fact_conflict(
    kind: str,
    muscle_id: str,
    relation: str,
    id_values: tuple[str, ...],
    summary: str,
    evidence: list[Evidence],
    resolution: str,
    fact_ids: list[str],
    suggested_fact_ids: list[str],
    object_ids: list[str],
) -> Conflict:
    """A reference or disagreement conflict over facts; accepting it rejects `suggested_fact_ids`."""
    return Conflict(
        conflict_id=short_id(kind, muscle_id, *id_values),
        kind=kind,
        summary=summary,
        muscle_ids=[muscle_id],
        evidence=evidence,
        suggested_resolution=resolution,
        suggested_action="reject" if suggested_fact_ids else "keep",
        fact_ids=fact_ids,
        suggested_fact_ids=suggested_fact_ids,
        relation=relation,
        object_ids=object_ids,
    )


def conflict_order(conflict: Conflict) -> tuple[int, str, str]:
    return (list(CONFLICT_KINDS).index(conflict.kind), conflict.summary, conflict.conflict_id)
