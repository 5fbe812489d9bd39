"""The stage registry is the one list the CLI, the cache and the worker read."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from pipeline.cli import build_parser
from pipeline.run.cache import stage_fingerprint
from pipeline.run.process import DocumentProcessor
from pipeline.run.stages import BY_NAME, PER_DOCUMENT, STAGES, per_document_through


def test_every_stage_is_a_subcommand_saying_what_it_writes():
    commands = build_parser()._subparsers._group_actions[0].choices
    for stage in STAGES:
        help_text = commands[stage.command].format_help()
        assert all(f"{name}.parquet" in help_text for name in stage.writes)


def test_per_document_stages_run_in_registry_order():
    assert PER_DOCUMENT == ("strip", "muscles", "claims")
    assert per_document_through("ingest") == ()
    assert per_document_through("muscles") == ("strip", "muscles")
    assert DocumentProcessor(through="claims").stages == PER_DOCUMENT


def test_a_folder_of_modules_is_fingerprinted_file_by_file(monkeypatch, tmp_path):
    """A module added to a stage's folder changes the stage's cache key."""
    from pipeline.run import cache

    spec = BY_NAME["strip"]
    for name in spec.modules:
        path = tmp_path / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
    for name in spec.data:
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / name).write_text("")
    monkeypatch.setattr(cache, "PACKAGE_DIR", tmp_path)
    stage_fingerprint.cache_clear()
    try:
        before = stage_fingerprint("strip")
        stage_fingerprint.cache_clear()
        (tmp_path / "strip" / "new_rule.py").write_text("RULE = 1\n")
        assert stage_fingerprint("strip") != before
    finally:
        stage_fingerprint.cache_clear()


@pytest.mark.parametrize("command", [["schema"], ["review", "--list"], ["--help"]])
def test_light_commands_start_without_spacy_or_trafilatura(command, tmp_path):
    probe = (
        "import sys\nfrom pipeline import cli\n"
        f"try:\n    cli.main({command!r} + (['--out', {str(tmp_path)!r}] if {command!r}[0] == 'review' else []))\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'trafilatura') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_build_raises_the_collector_thresholds_and_restores_them():
    import gc

    from pipeline.run.build import GC_THRESHOLDS, fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before


def test_a_workers_output_unpickles_in_the_build_without_spacy(tmp_path):
    from pipeline.records import Document
    from pipeline.run.cache import StageCache
    from pipeline.run.process import DocumentProcessor

    text = "Squats and lunges strengthen the glutes and the hamstrings, which drive every running stride.\n"
    doc = Document(doc_id="d", source_path="a.txt", format="text", text=text)
    out = DocumentProcessor(StageCache(enabled=False))(doc)
    assert out.claims, "the example must give claims, so that claim objects were found on the way"
    (tmp_path / "out.pickle").write_bytes(pickle.dumps(out))
    probe = (
        f"import pickle, sys\npickle.loads(open({str(tmp_path / 'out.pickle')!r}, 'rb').read())\n"
        "print('spacy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_loading_reconcile_data_early_leaves_a_bad_file_to_reconcile(monkeypatch):
    from pipeline.extract import lexicon
    from pipeline.run.build import _load_reconcile_data

    def broken():
        raise ValueError("muscles.jsonl line 3: not JSON")

    monkeypatch.setattr(lexicon, "cached_lexicon", broken)
    _load_reconcile_data()  # no error here: the documents still in the workers must be kept
    with pytest.raises(ValueError, match="line 3"):
        lexicon.cached_lexicon()
