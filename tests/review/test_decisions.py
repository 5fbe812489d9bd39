from __future__ import annotations

import os

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


ENTRY = "- conflict_id: old1\n  action: not_a_conflict\n  by: bo\n  at: '2026-01-02T03:04:05'\n"


def test_append_adds_text_at_the_end_in_place_keeping_every_byte_the_mode_and_the_file(tmp_path):
    path = tmp_path / "decisions.yaml"
    before = "# team decisions, see the wiki\ndecisions:\n" + ENTRY + "# keep this line\n"
    path.write_text(before)
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    append_decision(path, make("new1", note="checked twice"))
    after = path.read_text()
    assert after.startswith(before)  # nothing before the new entry changed, comments included
    assert after[len(before) :].startswith("- conflict_id: new1\n")
    assert path.stat().st_ino == inode and path.stat().st_mode & 0o777 == 0o640
    assert [d.conflict_id for d in load_decisions(path)] == ["old1", "new1"]


def test_a_symlinked_file_is_appended_to_through_its_link(tmp_path):
    shared = tmp_path / "team" / "decisions.yaml"
    shared.parent.mkdir()
    shared.write_text("decisions:\n" + ENTRY)
    link = tmp_path / "decisions.yaml"
    link.symlink_to(shared)
    append_decision(link, make("new1"))
    assert link.is_symlink() and os.readlink(link) == str(shared)
    assert [d.conflict_id for d in load_decisions(shared)] == ["old1", "new1"]


def test_a_read_only_file_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "decisions.yaml"
    path.write_text("decisions:\n" + ENTRY)
    os.chmod(path, 0o444)
    with pytest.raises(DecisionsError, match=r"read-only \(mode 444\); nothing was recorded. Make it writable"):
        append_decision(path, make("new1"))
    assert path.read_text() == "decisions:\n" + ENTRY and path.stat().st_mode & 0o777 == 0o444


@pytest.mark.parametrize(
    ("before", "added"),
    [
        ("decisions:\n  " + ENTRY.replace("\n  ", "\n    "), "  - conflict_id: new1\n    action: accept\n"),
        ("decisions:\n" + ENTRY.rstrip("\n"), "\n- conflict_id: new1\n"),  # no newline at the end
        ("# nothing decided yet\n", "decisions:\n- conflict_id: new1\n"),  # comments only
        ("", HEADER + "- conflict_id: new1\n"),  # empty
        ("decisions:\r\n" + ENTRY.replace("\n", "\r\n"), "- conflict_id: new1\r\n  action: accept\r\n"),
        ("decisions:\n# none yet\n", "- conflict_id: new1\n"),
    ],
    ids=["indented list", "no final newline", "comments only", "empty", "CRLF", "empty list key"],
)
def test_each_block_layout_takes_an_entry_in_its_own_style(tmp_path, before, added):
    path = tmp_path / "decisions.yaml"
    path.write_bytes(before.encode())
    append_decision(path, make("new1"))
    after = path.read_bytes().decode()
    assert after.startswith(before) and after[len(before) :].startswith(added)
    assert [d.conflict_id for d in load_decisions(path)][-1] == "new1"


def test_a_layout_that_an_entry_cannot_extend_is_refused_saying_what_to_change(tmp_path):
    path = tmp_path / "decisions.yaml"
    text = "decisions:\n" + ENTRY + "...\n"  # a document end marker: what follows is another document
    path.write_text(text)
    with pytest.raises(DecisionsError, match=r"cannot append a decision: .*Nothing was written. End the file with"):
        append_decision(path, make("new1"))
    assert path.read_text() == text


def test_a_duplicated_key_in_an_entry_is_rejected_at_its_line(tmp_path):
    path = tmp_path / "decisions.yaml"
    path.write_text("decisions:\n" + ENTRY + "  action: reject\n")
    with pytest.raises(DecisionsError, match=r"decisions.yaml:6: key 'action' appears twice"):
        load_decisions(path)


def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path):
    path = tmp_path / "decisions.yaml"
    path.write_text("decisions:\n- conflict_id: c1\n  action: accept\n  note: 'never closed\n  by: ana\n  at: now\n")
    with pytest.raises(DecisionsError, match=r"decisions.yaml:4: not valid YAML \(a quote opened here is never closed"):
        load_decisions(path)


def test_a_decisions_path_that_is_no_utf8_file_is_a_clear_error(tmp_path):
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(DecisionsError, match=r"folder.yaml: is a directory, not a regular file"):
        load_decisions(folder)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("decisions:\n- conflict_id: c1\n  note: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(DecisionsError, match=r"latin.yaml:3: not UTF-8 text \(byte \d+\); save the file as UTF-8"):
        load_decisions(latin)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DecisionsError, match=r"pipe.yaml: is a named pipe \(FIFO\), not a regular file"):
        load_decisions(fifo)  # never opened for reading: that would wait for a writer forever
    for path in (folder, latin, fifo):
        with pytest.raises(DecisionsError):
            append_decision(path, make())
