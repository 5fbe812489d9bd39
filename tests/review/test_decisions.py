from __future__ import annotations

import pytest

from pipeline.review.decisions import HEADER, Decision, DecisionsError, append_decision, latest, load_decisions


def make(conflict_id="c1", action="accept", **extra):
    return Decision(conflict_id=conflict_id, action=action, by="ana", at="2026-11-21T10:00:00+00:00", **extra)


def test_a_missing_file_holds_no_decisions(tmp_path):
    assert load_decisions(tmp_path / "decisions.yaml") == []


def test_append_creates_the_file_and_reads_back(tmp_path):
    path = tmp_path / "review" / "decisions.yaml"
    first = make(kind="naming", values={"muscle_ids": ["tensor_fasciae_latae"], "surface": "TLF"}, note="transposed")
    append_decision(path, first)
    append_decision(path, make("c2", "reject", facts=("f1",)))
    text = path.read_text()
    assert text.startswith(HEADER)
    loaded = load_decisions(path)
    assert [(d.conflict_id, d.action) for d in loaded] == [("c1", "accept"), ("c2", "reject")]
    assert loaded[0].values["surface"] == "TLF"
    assert loaded[0].note == "transposed"
    assert loaded[1].facts == ("f1",)
    assert [d.line for d in loaded] == [5, 15]  # where each entry starts, for error messages


def test_append_keeps_hand_edits_and_comments(tmp_path):
    path = tmp_path / "decisions.yaml"
    path.write_text(
        "# our team's decisions\n"
        "decisions:\n"
        "# agreed in the Monday meeting\n"
        "- conflict_id: old1\n"
        "  action: not_a_conflict\n"
        "  by: bo\n"
        "  at: 2026-01-02T03:04:05\n"  # an unquoted timestamp is fine
    )
    append_decision(path, make("new1"))
    text = path.read_text()
    assert "# agreed in the Monday meeting" in text and "# our team's decisions" in text
    assert [d.conflict_id for d in load_decisions(path)] == ["old1", "new1"]
    assert load_decisions(path)[0].at.startswith("2026-01-02T03:04:05")


@pytest.mark.parametrize(
    "text",
    [
        "decisions: []\n",
        "# ours\ndecisions: []  # none yet\n",
        "decisions: [{conflict_id: x, action: accept, by: a, at: t}]\n",
    ],
)
def test_a_flow_style_list_is_refused_saying_what_to_change_and_left_untouched(tmp_path, text):
    path = tmp_path / "decisions.yaml"
    path.write_text(text)
    with pytest.raises(
        DecisionsError, match=r"flow style .*Nothing was written. Write it in block style: `decisions:`"
    ):
        append_decision(path, make("a"))
    assert path.read_text() == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "decisions:\n- conflict_id: x\n  action: accept\n  by: ana\n   at: bad indent\n",
            r"decisions.yaml:\d+: not valid YAML",
        ),
        (
            "decisions:\n- conflict_id: x\n  action: approve\n  by: ana\n  at: now\n",
            r"decisions.yaml:2: unknown action 'approve'",
        ),
        ("decisions:\n- conflict_id: x\n  action: accept\n  at: now\n", r"decisions.yaml:2: missing key 'by'"),
        ("decisions:\n- conflict_id: x\n  action: accept\n  by: a\n  at: now\n  colour: red\n", "unknown key 'colour'"),
        ("choices: []\n", r"decisions.yaml:1: expected one top-level key"),
    ],
)
def test_a_malformed_file_is_reported_with_its_line_and_never_overwritten(tmp_path, text, message):
    path = tmp_path / "decisions.yaml"
    path.write_text(text)
    with pytest.raises(DecisionsError, match=message):
        load_decisions(path)
    with pytest.raises(DecisionsError):
        append_decision(path, make())
    assert path.read_text() == text


def test_the_latest_decision_per_conflict_applies():
    decisions = [make("c1", "defer"), make("c2", "accept"), make("c1", "reject")]
    assert {k: d.action for k, d in latest(decisions).items()} == {"c1": "reject", "c2": "accept"}
