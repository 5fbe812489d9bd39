from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.run import build as run
from pipeline.run.uptodate import BuildInputs, build_key, up_to_date


@pytest.fixture
def project(tmp_path, raw_dir, article_text):
    """A raw folder (the seeds, a small article and a file that fails), an output folder, decisions."""
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    (raw / "calves.txt").write_text(article_text)
    (raw / "empty.txt").write_text("")
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text("decisions:\n")
    return raw, tmp_path / "out", decisions


def build(project: tuple[Path, Path, Path], *extra: str) -> int:
    raw, out, decisions = project
    return cli.main(["run", "--raw", str(raw), "--out", str(out), "--decisions", str(decisions), "-q", *extra])


def outputs(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in files(out)}


def files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


def test_an_unchanged_build_is_skipped_and_reports_the_last_one(project, monkeypatch, capsys):
    assert build(project) == cli.EXIT_SOME_FAILED  # empty.txt fails
    before = outputs(project[1])
    capsys.readouterr()
    monkeypatch.setattr(run, "run_all", lambda settings: pytest.fail("rebuilt although nothing changed"))
    raw, out, decisions = project
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--decisions", str(decisions)]) == 1
    printed = capsys.readouterr()
    assert "is up to date" in printed.out and "7 files, 1 failed" in printed.out
    assert "empty.txt: empty file" in printed.err  # failures are still reported
    assert outputs(out) == before  # nothing rewritten, not even the manifest


@pytest.mark.parametrize(
    "change",
    [
        lambda raw, out, decisions: (raw / "calves.txt").write_text("Calves.\n\nThe calf muscles lift the heel.\n"),
        lambda raw, out, decisions: (raw / "new.txt").write_text("The hamstrings bend the knee in every stride.\n"),
        lambda raw, out, decisions: (raw / "empty.txt").unlink(),
        lambda raw, out, decisions: decisions.write_text("# a comment\ndecisions:\n"),
        lambda raw, out, decisions: (out / "facts.parquet").unlink(),
        lambda raw, out, decisions: (out / "stats.json").write_text("{}"),
        lambda raw, out, decisions: (out / "manifest.json").unlink(),
    ],
    ids=[
        "input edited",
        "input added",
        "input removed",
        "decisions edited",
        "output removed",
        "output edited",
        "no manifest",
    ],
)
def test_any_change_to_inputs_decisions_or_outputs_rebuilds(project, change):
    build(project)
    raw, out, decisions = project

    def last_build():  # inputs are gathered afresh for each build, as the CLI does
        inputs = BuildInputs(raw, out, 16 * 1024 * 1024, decisions)
        return up_to_date(inputs, build_key(inputs))

    assert last_build() is not None
    change(raw, out, decisions)
    assert last_build() is None
    build(project)
    assert last_build() is not None  # the rebuild recorded its key and outputs


def test_settings_that_reach_the_output_are_part_of_the_key(project):
    raw, out, decisions = project
    key = build_key(BuildInputs(raw, out, 1000, decisions))
    assert build_key(BuildInputs(raw, out, 1000, decisions)) == key
    assert build_key(BuildInputs(raw, out, 2000, decisions)) != key
    assert build_key(BuildInputs(raw, out / "elsewhere", 1000, decisions)) != key
    assert build_key(BuildInputs(raw, out, 1000, decisions.with_name("other.yaml"))) != key


def test_force_rebuilds_and_the_manifest_records_key_and_outputs(project):
    build(project)
    raw, out, _ = project
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["outputs"]) == {p.relative_to(out).as_posix() for p in files(out)} - {"manifest.json"}
    first = manifest["built_at"], (out / "manifest.json").stat().st_mtime_ns
    build(project, "--force")
    rebuilt = json.loads((out / "manifest.json").read_text())
    assert (rebuilt["built_at"], (out / "manifest.json").stat().st_mtime_ns) != first
    assert rebuilt["build_key"] == manifest["build_key"] and rebuilt["outputs"] == manifest["outputs"]


def test_an_unchanged_build_repeats_the_stale_decision_warning_word_for_word(project, capsys):
    _, _, decisions = project
    decisions.write_text(
        "decisions:\n- conflict_id: 00000000deadbeef\n  action: accept\n  by: ana\n  at: '2026-01-01'\n"
    )
    build(project)
    first = [line for line in capsys.readouterr().err.splitlines() if "stale decision" in line]
    build(project)
    again = [line for line in capsys.readouterr().err.splitlines() if "stale decision" in line]
    assert (
        first
        == again
        == [
            f"warning: stale decision in {decisions}:2 (accept on 00000000deadbeef, a conflict): no conflict of "
            "this build matches it; it is kept in the decisions file"
        ]
    )


def test_the_key_takes_unchanged_files_hashes_from_the_cache_index_and_still_sees_an_edit(
    project, monkeypatch, saved_long_ago
):

    from pipeline.common.ids import file_sha256
    from pipeline.ingest.known import KnownInputs
    from pipeline.run import uptodate

    raw, out, decisions = project
    saved_long_ago(raw)  # the input index may trust them
    cache = out.parent / "cache"
    assert build(project, "--cache-dir", str(cache)) == cli.EXIT_SOME_FAILED
    recorded = KnownInputs.load(cache).entries
    calves = raw / "calves.txt"
    assert recorded["calves.txt"]["sha256"] == file_sha256(calves)

    def inputs():
        return BuildInputs(raw, out, 16 * 1024 * 1024, decisions, KnownInputs.load(cache))

    key = build_key(inputs())
    assert key == build_key(BuildInputs(raw, out, 16 * 1024 * 1024, decisions))  # the same key as hashing all
    hashed = []
    monkeypatch.setattr(uptodate, "file_sha256", lambda path: hashed.append(path.name) or file_sha256(path))
    assert build_key(inputs()) == key
    assert hashed == ["empty.txt"]  # a file that failed to read is never recorded, so it is hashed
    calves.write_text(calves.read_text() + "\nThe soleus works on every hill.\n")
    hashed.clear()
    assert build_key(inputs()) != key
    assert sorted(hashed) == ["calves.txt", "empty.txt"]


def test_an_index_entry_without_a_hash_gets_the_one_the_next_build_key_made(project, saved_long_ago):

    from pipeline.common.ids import file_sha256
    from pipeline.ingest.known import KnownInputs

    raw, out, decisions = project
    saved_long_ago(raw)  # the input index may trust them
    cache = out.parent / "cache"
    build(project, "--cache-dir", str(cache))
    index = KnownInputs.load(cache)
    for entry in index.entries.values():
        del entry["sha256"]  # as an index written before entries kept hashes
    index.save()
    build(project, "--cache-dir", str(cache), "--force")  # every document served unread
    entries = KnownInputs.load(cache).entries
    assert entries["calves.txt"]["sha256"] == file_sha256(raw / "calves.txt")
    assert all("sha256" in entry for entry in entries.values())


def test_a_file_edited_after_the_key_hashed_it_is_not_recorded_with_that_hash(project, saved_long_ago):

    from pipeline.ingest.known import KnownInputs
    from pipeline.run.build import Settings, run_all

    raw, out, decisions = project
    saved_long_ago(raw)  # the input index may trust them
    cache = out.parent / "cache"
    inputs = BuildInputs(raw, out, 16 * 1024 * 1024, decisions, KnownInputs.load(cache))
    key = build_key(inputs)  # hashed now; the file changes before the build reads it
    calves = raw / "calves.txt"
    calves.write_text(calves.read_text() + "\nThe soleus holds the ankle on every landing.\n")
    saved_long_ago(calves, later=10)  # an old mtime: the index would otherwise trust it
    settings = Settings(raw_dir=raw, out_dir=out, decisions=decisions, cache_dir=cache, progress=False)
    settings.inputs, settings.build_key = inputs, key
    run_all(settings)
    assert "sha256" not in KnownInputs.load(cache).entries["calves.txt"]
    fresh = BuildInputs(raw, out, 16 * 1024 * 1024, decisions, KnownInputs.load(cache))
    assert build_key(fresh) != key and up_to_date(fresh, build_key(fresh)) is None  # the edit is seen
