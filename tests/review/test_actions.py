"""Review keys say what they do to the facts, in the terminal and in the page."""

from __future__ import annotations

import io
import shutil

import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.review.actions import action_for_key, choices
from pipeline.review.decisions import load_decisions
from pipeline.review.terminal import ReviewContext, interactive_review


def conflict(kind="reference", facts=("f1",), suggested=("f1",), action="reject", surface=None):
    return {
        "conflict_id": "c1",
        "kind": kind,
        "fact_ids": list(facts),
        "suggested_fact_ids": list(suggested),
        "suggested_action": action,
        "surface": surface,
    }


def labels(c):
    return {choice.key: choice.label for choice in choices(c)}


def test_a_reject_suggestion_is_offered_once_and_keeping_reads_as_keeping():
    offered = labels(conflict(facts=("f1", "f2"), suggested=("f1", "f2")))
    assert offered["a"] == "accept suggestion: reject 2 facts"
    assert "r" not in offered  # it would do the same as a
    assert offered["k"] == "keep the facts (not a conflict)"
    assert action_for_key(conflict(), "r") == ("reject", None)  # the key still works


def test_reject_is_offered_when_it_differs_from_the_suggestion():
    offered = labels(conflict(kind="disagreement", facts=("f1", "f2", "f3"), suggested=("f2",)))
    assert offered["a"] == "accept suggestion: reject 1 fact"
    assert offered["r"] == "reject all 3 facts"
    keep = labels(conflict(kind="naming", facts=("f1",), suggested=(), action="keep", surface="TLF"))
    assert keep["a"] == "accept suggestion: keep the fact" and keep["r"] == "reject 1 fact"
    assert keep["m"] == "merge 'TLF' into the canonical name"


def test_unavailable_keys_say_why():
    assert action_for_key(conflict(kind="category"), "m") == (
        None,
        "'m' (merge) applies to naming conflicts only; this is a category conflict",
    )
    assert (
        action_for_key(conflict(facts=(), suggested=()), "r")[1]
        == "'r' (reject) has no facts to reject in this conflict"
    )
    assert action_for_key(conflict(), "x")[1] == "'x' is not one of the keys (? lists them)"
    assert action_for_key(conflict(), "n") == ("not_a_conflict", None)  # the former key still works


def only(out, kind):
    """Keep one conflict of this kind in the build, so that it comes first in the review."""
    table = pq.read_table(out / "conflicts.parquet")
    keep = next(c for c in table.to_pylist() if c["kind"] == kind)
    pq.write_table(table.filter(pc.equal(table["conflict_id"], keep["conflict_id"])), out / "conflicts.parquet")
    return keep


def test_the_terminal_prompt_and_answers_use_the_effects(seed_build, tmp_path):
    out = tmp_path / "curated"
    shutil.copytree(seed_build, out)
    reference = only(out, "reference")
    keys = iter(["m", "?", "r"])  # merge is refused with the reason; reject works though not offered
    context = ReviewContext(out_dir=out, decisions_path=tmp_path / "d.yaml", reviewer="kim")
    screen = io.StringIO()
    assert interactive_review(context, read_key=lambda: next(keys), out=screen) == 1
    text = screen.getvalue()
    assert "[a] accept suggestion: reject 1 fact  [k] keep the fact (not a conflict)  [d] defer" in text
    assert "[r]" not in text and "[m]" not in text
    assert "'m' (merge) applies to naming conflicts only; this is a reference conflict" in text
    assert "  r  same as a here: it rejects the same facts" in text  # the help
    assert "recorded: reject (reject 1 fact); applies on the next build" in text
    (decision,) = load_decisions(tmp_path / "d.yaml")
    assert (decision.conflict_id, decision.action) == (reference["conflict_id"], "reject")


def test_a_naming_conflict_offers_merge(seed_build, tmp_path):
    out = tmp_path / "curated"
    shutil.copytree(seed_build, out)
    naming = only(out, "naming")
    context = ReviewContext(out_dir=out, decisions_path=tmp_path / "d.yaml", reviewer="kim")
    screen = io.StringIO()
    assert interactive_review(context, read_key=iter(["m"]).__next__, out=screen) == 1
    assert f"[m] merge '{naming['surface']}' into the canonical name" in screen.getvalue()
    assert load_decisions(tmp_path / "d.yaml")[0].action == "merge"
