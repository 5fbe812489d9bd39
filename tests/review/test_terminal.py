"""The review loop end to end on the five source articles: decide, rebuild, review.html, keystrokes."""

from __future__ import annotations

import os
import re
import shutil
import sys

import pexpect
import pyarrow.parquet as pq
import pytest

from pipeline import cli
from pipeline.review.decisions import load_decisions


@pytest.fixture(scope="module")
def built(tmp_path_factory, request):
    """A build of raw/ with an empty decisions file, copied fresh for each test."""
    base = tmp_path_factory.mktemp("built")
    raw = request.config.rootpath / "raw"
    code = cli.main(
        ["run", "--raw", str(raw), "--out", str(base / "curated"), "--decisions", str(base / "d.yaml"), "-q"]
    )
    assert code == cli.EXIT_OK
    return base, raw


@pytest.fixture
def project(built, tmp_path):
    base, raw = built
    shutil.copytree(base / "curated", tmp_path / "curated")
    return tmp_path, raw


def run(project, *extra):
    root, raw = project
    args = ["--raw", str(raw), "--out", str(root / "curated"), "--decisions", str(root / "d.yaml"), "-q"]
    return cli.main(["run", *args, *extra])


def table(project, name):
    return pq.read_table(project[0] / "curated" / f"{name}.parquet").to_pylist()


def conflict_about(project, kind, text):
    return next(c for c in table(project, "conflicts") if c["kind"] == kind and text in c["summary"])


def decide(project, *args):
    root, _ = project
    return cli.main(
        ["decide", *args, "--out", str(root / "curated"), "--decisions", str(root / "d.yaml"), "--by", "ana"]
    )


def test_decide_then_rebuild_applies_the_decision_and_rebuilds_byte_identical(project, capsys):
    conflict = conflict_about(project, "reference", "hip flexors -> exercise -> glute bridge")
    (fact_id,) = conflict["fact_ids"]
    assert conflict["status"] == "open"
    assert decide(project, conflict["conflict_id"], "accept", "--note", "bridges train the hip extensors") == 0
    assert "recorded: accept" in capsys.readouterr().out
    assert run(project) == cli.EXIT_OK
    after = {c["conflict_id"]: c for c in table(project, "conflicts")}[conflict["conflict_id"]]
    assert (after["status"], after["decision"], after["decided_by"]) == ("resolved", "accept", "ana")
    assert after["decision_note"] == "bridges train the hip extensors"
    fact = {f["fact_id"]: f for f in table(project, "facts")}[fact_id]
    assert fact["status"] == "rejected"
    curated = project[0] / "curated"
    first = {p.name: p.read_bytes() for p in curated.glob("*.parquet")}
    assert run(project) == cli.EXIT_OK
    assert {p.name: p.read_bytes() for p in curated.glob("*.parquet")} == first


def test_decide_accepts_a_unique_prefix_and_refuses_what_cannot_apply(project, capsys):
    naming = conflict_about(project, "naming", "'TLF'")
    assert decide(project, naming["conflict_id"][:8], "merge") == 0
    (decision,) = load_decisions(project[0] / "d.yaml")
    assert (decision.conflict_id, decision.into) == (naming["conflict_id"], "tensor fasciae latae")
    assert decision.values == {"muscle_ids": ["tensor_fasciae_latae"], "surface": "TLF"}
    reference = conflict_about(project, "reference", "glute bridge")
    assert decide(project, reference["conflict_id"], "merge") == cli.EXIT_CANNOT_RUN
    assert decide(project, "feedfacecafe", "accept") == cli.EXIT_CANNOT_RUN
    assert decide(project, reference["conflict_id"], "reject", "--fact", "0000") == cli.EXIT_CANNOT_RUN
    err = capsys.readouterr().err
    assert "applies to naming conflicts" in err and "no conflict 'feedfacecafe'" in err and "not part of" in err
    assert len(load_decisions(project[0] / "d.yaml")) == 1


def test_merge_into_another_entry_moves_the_form_its_claims_and_facts(project, capsys):
    naming = conflict_about(project, "naming", "'TLF'")
    before = [m for m in table(project, "mentions") if m["surface"].startswith("TLF")]
    assert before and {m["muscle_id"] for m in before} == {"tensor_fasciae_latae"}
    assert decide(project, naming["conflict_id"], "merge", "--into", "gluteus medius") == 0
    assert run(project) == cli.EXIT_OK
    moved = [m for m in table(project, "mentions") if m["surface"].startswith("TLF")]
    assert {m["muscle_id"] for m in moved} == {"gluteus_medius"}
    assert all("merged into gluteus medius" in m["note"] for m in moved)
    sentences = {(m["doc_id"], m["block_idx"]) for m in moved}
    claims = [c for c in table(project, "claims") if (c["doc_id"], c["block_idx"]) in sentences]
    # A sentence naming the muscle only as "TLF" moves its claims; one that also spells it out keeps them.
    only_tlf = [c["muscle_id"] for c in claims if "TLF" in c["sentence"] and "tensor" not in c["sentence"]]
    both = [c["muscle_id"] for c in claims if "TLF" in c["sentence"] and "tensor" in c["sentence"]]
    assert only_tlf and set(only_tlf) == {"gluteus_medius"}
    assert set(both) <= {"tensor_fasciae_latae"}
    after = {c["conflict_id"]: c for c in table(project, "conflicts")}[naming["conflict_id"]]
    assert (after["status"], after["decision"]) == ("resolved", "merge")
    facts = {f["fact_id"]: f for f in table(project, "facts")}
    assert after["fact_ids"] and all(facts[f]["muscle_id"] == "gluteus_medius" for f in after["fact_ids"])


def test_merge_into_a_name_the_lexicon_does_not_know_is_refused(project, capsys):
    naming = conflict_about(project, "naming", "'TLF'")
    assert decide(project, naming["conflict_id"], "merge", "--into", "flux capacitor") == cli.EXIT_CANNOT_RUN
    assert "names no lexicon entry" in capsys.readouterr().err
    assert not (project[0] / "d.yaml").exists()


def test_a_decision_recorded_for_another_kind_of_conflict_does_not_apply(project, capsys):
    naming = conflict_about(project, "naming", "'TLF'")
    path = project[0] / "d.yaml"
    path.write_text(
        f"decisions:\n- conflict_id: {naming['conflict_id']}\n  kind: reference\n  action: reject\n"
        "  by: ana\n  at: '2026-01-01'\n"
    )
    assert run(project) == cli.EXIT_OK
    assert f"stale decision in {path}:2 (reject on {naming['conflict_id']}" in capsys.readouterr().err
    after = {c["conflict_id"]: c for c in table(project, "conflicts")}[naming["conflict_id"]]
    assert (after["status"], after["decision"]) == ("open", None)


def test_stale_decisions_are_reported_and_kept(project, capsys):
    path = project[0] / "d.yaml"
    path.write_text(
        "decisions:\n- conflict_id: 00000000deadbeef\n  kind: naming\n"
        "  values: {muscle_ids: [soleus], surface: soleous}\n  action: accept\n  by: ana\n  at: '2026-01-01'\n"
    )
    assert run(project) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert (
        f"stale decision in {path}:2 (accept on 00000000deadbeef, naming conflict on soleus; written 'soleous')" in err
    )
    assert [d.conflict_id for d in load_decisions(path)] == ["00000000deadbeef"]


def test_a_malformed_decisions_file_stops_the_build_and_keeps_everything(project, capsys):
    path = project[0] / "d.yaml"
    path.write_text("decisions:\n- conflict_id: x\n  action: [accept\n")
    curated = project[0] / "curated"
    before = {p: p.read_bytes() for p in curated.rglob("*") if p.is_file()}
    assert run(project) == cli.EXIT_CANNOT_RUN
    assert "d.yaml:" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in curated.rglob("*") if p.is_file()} == before
    assert path.read_text() == "decisions:\n- conflict_id: x\n  action: [accept\n"


def test_review_list_prints_every_conflict(project, capsys):
    root, _ = project
    assert cli.main(["review", "--list", "--out", str(root / "curated"), "--decisions", str(root / "d.yaml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["conflict_id", "kind", "status", "decision", "summary"]
    assert len(lines) - 1 == len(table(project, "conflicts"))


def test_review_page_lists_conflicts_with_links_to_the_audit_pages_at_their_lines(project):
    curated = project[0] / "curated"
    page = (curated / "review.html").read_text()
    conflicts = table(project, "conflicts")
    assert f"Open ({len(conflicts)})" in page and "Resolved (0)" in page
    for conflict in conflicts:
        assert f'id="{conflict["conflict_id"]}"' in page
    links = re.findall(r'<a class="evidence" href="(audit/[0-9a-f]+\.html)#L(\d+)(?:-L(\d+))?"', page)
    assert links
    paths = {d["doc_id"]: d["source_path"] for d in table(project, "documents")}
    science = next(i for i, p in paths.items() if p.startswith("science-of-running"))
    assert (f"audit/{science}.html", "47", "") in links
    for href, first, _ in links:  # every link lands on an audit page that has the cited line
        assert f'id="L{first}"' in (curated / href).read_text()
    assert "&#x27;TLF&#x27; (nonstandard abbreviation)" in page
    # Reference citations link to their web addresses.
    assert '<a href="https://exrx.net/Lists/Directory" rel="noopener noreferrer">' in page


def test_review_page_shows_a_decision_after_the_rebuild(project):
    conflict = conflict_about(project, "category", "iliotibial band")
    assert decide(project, conflict["conflict_id"], "not_a_conflict", "--note", "lay usage") == 0
    assert run(project) == cli.EXIT_OK
    page = (project[0] / "curated" / "review.html").read_text()
    assert "Resolved (1)" in page
    resolved = page.split('id="resolved"')[1]
    assert conflict["conflict_id"] in resolved and "not_a_conflict by ana" in resolved and "lay usage" in resolved


def _spawn_review(project, *extra):
    root, _ = project
    env = {**os.environ, "CURATE_REVIEWER": "kim", "COLUMNS": "120"}
    args = ["-m", "pipeline", "review", "--out", str(root / "curated"), "--decisions", str(root / "d.yaml"), *extra]
    return pexpect.spawn(sys.executable, args, env=env, encoding="utf-8", timeout=30, dimensions=(40, 120))


def test_interactive_review_takes_one_key_per_decision_and_keeps_them_on_quit(project):
    conflicts = [c for c in table(project, "conflicts") if c["status"] == "open"]
    child = _spawn_review(project)
    child.expect(rf"\[1/{len(conflicts)}\] {conflicts[0]['kind']} conflict {conflicts[0]['conflict_id']}")
    child.expect("> ")
    child.send("?")
    child.expect("not_a_conflict: keep everything as it is")
    child.expect("> ")
    child.send("x")
    child.expect("'x' is not one of the keys")
    child.expect("> ")
    child.send("a")
    child.expect("recorded: accept")
    child.expect(rf"\[2/{len(conflicts)}\]")
    child.expect("> ")
    child.send("d")
    child.expect("recorded: defer")
    child.expect("> ")
    child.send("s")
    child.expect(rf"\[4/{len(conflicts)}\]")
    child.expect("> ")
    child.send("q")
    child.expect(r"2 decision\(s\) saved")
    child.expect(pexpect.EOF)
    decisions = load_decisions(project[0] / "d.yaml")
    assert [(d.conflict_id, d.action, d.by) for d in decisions] == [
        (conflicts[0]["conflict_id"], "accept", "kim"),
        (conflicts[1]["conflict_id"], "defer", "kim"),
    ]
    # Decided conflicts are not asked again; deferred ones come back on request.
    child = _spawn_review(project)
    child.expect(rf"\[1/{len(conflicts) - 2}\] \w+ conflict {conflicts[2]['conflict_id']}")
    child.send("q")
    child.expect(pexpect.EOF)
    child = _spawn_review(project, "--deferred")
    child.expect(rf"\[1/{len(conflicts) - 1}\] \w+ conflict {conflicts[1]['conflict_id']}")
    child.send("q")
    child.expect(pexpect.EOF)
    assert len(load_decisions(project[0] / "d.yaml")) == 2


def test_a_shortened_id_below_six_characters_is_refused_saying_so(project, capsys):
    naming = conflict_about(project, "naming", "'TLF'")
    assert decide(project, naming["conflict_id"][:5], "accept") == cli.EXIT_CANNOT_RUN
    assert "a shortened id needs at least 6 characters" in capsys.readouterr().err
    assert not (project[0] / "d.yaml").exists()


@pytest.mark.parametrize("kind", ["directory", "latin-1", "fifo"])
def test_decide_and_review_list_report_an_unreadable_decisions_file_with_exit_2(project, capsys, kind, watchdog):
    root, _ = project
    path = root / "d.yaml"
    if kind == "directory":
        path.mkdir()
    elif kind == "latin-1":
        path.write_bytes("decisions:\n# d\u00e9cisions\n".encode("latin-1"))
    else:
        os.mkfifo(path)
    naming = conflict_about(project, "naming", "'TLF'")
    assert decide(project, naming["conflict_id"], "accept") == cli.EXIT_CANNOT_RUN
    listing = ["review", "--list", "--out", str(root / "curated"), "--decisions", str(path)]
    assert cli.main(listing) == cli.EXIT_CANNOT_RUN
    assert run(project) == cli.EXIT_CANNOT_RUN
    expected = {
        "directory": "d.yaml: is a directory, not a regular file",
        "latin-1": "d.yaml:2: not UTF-8 text",
        "fifo": "d.yaml: is a named pipe (FIFO), not a regular file",
    }[kind]
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and all(expected in line for line in lines), lines
    assert lines[0].startswith("curate decide: ") and lines[1].startswith("curate review: ")
