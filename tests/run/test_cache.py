from __future__ import annotations

import os
import shutil

import pytest

from pipeline import cli
from pipeline.common.locks import holder_of
from pipeline.run import cache as cache_module
from pipeline.run.build import Settings, run_all
from pipeline.run.cache import StageCache, run_lock, stage_keys
from pipeline.run.stages import BY_NAME


@pytest.fixture
def raw(tmp_path, raw_dir):
    folder = tmp_path / "raw"
    shutil.copytree(raw_dir, folder)
    return folder


def build(tmp_path, raw, **options):
    settings = Settings(
        raw_dir=raw,
        out_dir=tmp_path / "out",
        progress=False,
        decisions=tmp_path / "d.yaml",
        cache_dir=tmp_path / "cache",
        **options,
    )
    return run_all(settings)


def outputs(tmp_path):
    return {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.parquet")}


def test_a_warm_rebuild_serves_every_document_from_the_cache_with_identical_output(tmp_path, raw):
    cold = build(tmp_path, raw)
    first = outputs(tmp_path)
    warm = build(tmp_path, raw)
    assert (cold.from_cache, warm.from_cache, warm.processed) == (0, 5, 5)
    assert outputs(tmp_path) == first


def test_only_the_changed_article_is_recomputed(tmp_path, raw):
    build(tmp_path, raw)
    article = raw / "hubpages-leg-muscles-used-when-running.txt"
    article.write_text(article.read_text() + "\nThe soleus works hard on hills.\n")
    again = build(tmp_path, raw)
    assert (again.from_cache, again.processed) == (4, 5)
    assert again.stats == build(tmp_path, raw, use_cache=False).stats


def test_inputs_served_unread_give_the_tables_of_an_uncached_build(tmp_path, raw, saved_long_ago):
    saved_long_ago(raw)  # the input index may trust them, and let them go unread next time
    build(tmp_path, raw)
    article = raw / "hubpages-leg-muscles-used-when-running.txt"
    article.write_text(article.read_text() + "\nThe soleus works hard on hills.\n")
    saved_long_ago(article, later=10)
    again = build(tmp_path, raw)
    assert (again.from_cache, again.processed) == (4, 5)
    served = outputs(tmp_path)
    build(tmp_path, raw, use_cache=False)
    assert served == outputs(tmp_path)


def test_a_lexicon_change_keeps_the_stripped_blocks(monkeypatch):
    before = stage_keys("doc")
    real = cache_module.stage_fingerprint

    def lexicon_changed(stage):
        return real(stage) + ("x" if stage == "muscles" else "")

    monkeypatch.setattr(cache_module, "stage_fingerprint", lexicon_changed)
    after = stage_keys("doc")
    assert after["strip"] == before["strip"]
    assert after["muscles"] != before["muscles"] and after["claims"] != before["claims"]


def test_a_data_file_is_part_of_its_stage_fingerprint():
    assert "muscles.jsonl" in BY_NAME["muscles"].data
    assert "boilerplate_patterns.jsonl" not in BY_NAME["muscles"].data


def test_a_corrupt_entry_is_recomputed(tmp_path, raw):
    build(tmp_path, raw)
    first = outputs(tmp_path)
    for entry in (tmp_path / "cache" / "claims").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    again = build(tmp_path, raw)
    assert again.from_cache == 0
    assert outputs(tmp_path) == first


def test_no_cache_writes_nothing_and_clean_cache_empties_it(tmp_path, raw, capsys):
    build(tmp_path, raw, use_cache=False)
    assert not (tmp_path / "cache").exists()
    build(tmp_path, raw)
    assert cli.main(["clean-cache", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert "removed 15 cache entries" in capsys.readouterr().out
    assert StageCache(tmp_path / "cache").get("strip", "0" * 64) is None


def test_one_build_holds_the_cache_at_a_time(tmp_path):
    with run_lock(tmp_path):
        assert holder_of(tmp_path / ".lock") == os.getpid()
    assert holder_of(tmp_path / ".lock") is None  # released: no holder recorded


def seed_documents(raw):
    from pipeline.ingest.read import discover, iter_documents

    return list(iter_documents(discover(raw)))


def test_a_pipeline_kept_in_the_cache_gives_the_output_of_a_freshly_built_one(tmp_path, raw, monkeypatch):
    from pipeline.run import process, steps

    fresh = [process.DocumentProcessor()(doc) for doc in seed_documents(raw)]  # no cache: built here
    assert process.DocumentProcessor(StageCache(tmp_path / "cache")).steps.muscle_nlp  # built and kept, nothing else
    assert len(list((tmp_path / "cache" / cache_module.COMPILED_NAME).glob("muscle-nlp-objects-*"))) == 1

    def no_building(*args, **kwargs):
        raise AssertionError("the pipeline was built again instead of read from the cache")

    monkeypatch.setattr(steps, "build_muscle_nlp", no_building)
    reader = process.DocumentProcessor(StageCache(tmp_path / "cache"))
    again = [reader(doc) for doc in seed_documents(raw)]  # every stage runs: the cache held no entry
    assert [o.stages_cached for o in again] == [0] * len(again)
    assert [(o.mentions, o.claims) for o in again] == [(o.mentions, o.claims) for o in fresh]
    assert sum(len(o.claims) for o in fresh) > 100


def test_a_compiled_entry_is_rebuilt_when_unreadable_and_replaced_when_its_key_changes(tmp_path):
    cache = StageCache(tmp_path)
    assert cache.compiled("table", "a1", lambda: {"built": 1}) == {"built": 1}
    assert cache.compiled("table", "a1", lambda: {"built": 2}) == {"built": 1}  # read, not built
    entry = tmp_path / cache_module.COMPILED_NAME / "table-a1.pickle"
    entry.write_bytes(b"not a pickle")
    assert cache.compiled("table", "a1", lambda: {"built": 3}) == {"built": 3}
    damaged = bytearray(entry.read_bytes())
    damaged[-5] ^= 0xFF  # a flipped byte that may still unpickle: the checksum refuses it
    entry.write_bytes(bytes(damaged))
    assert cache.compiled("table", "a1", lambda: {"built": 5}) == {"built": 5}
    assert cache.compiled("table-objects", "c9", lambda: "another name") == "another name"
    assert cache.compiled("table", "00aa", lambda: {"built": 4}) == {"built": 4}
    names = sorted(p.name for p in (tmp_path / cache_module.COMPILED_NAME).iterdir())
    assert names == ["table-00aa.pickle", "table-objects-c9.pickle"]  # a longer name is another entry
    assert StageCache(tmp_path, enabled=False).compiled("table", "00aa", lambda: "fresh") == "fresh"


def test_a_document_missing_one_stage_entry_is_not_served_and_keeps_its_text(tmp_path, raw):
    from pipeline.run import process

    build(tmp_path, raw)
    cache = StageCache(tmp_path / "cache")
    processor = process.DocumentProcessor(cache)
    (doc,) = [d for d in seed_documents(raw) if d.source_path.startswith("hubpages")]
    assert processor.cached(doc) is not None  # every stage in the cache
    (fresh,) = [d for d in seed_documents(raw) if d.source_path.startswith("hubpages")]
    keys = stage_keys(process._content_key(fresh))
    os.unlink(cache._path("claims", keys["claims"]))
    text = fresh.text
    assert processor.cached(fresh) is None
    assert fresh.text == text and fresh.title is None  # nothing restored from the stages that were there


def test_the_pipeline_key_covers_the_module_that_builds_the_pipelines(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "stage_fingerprint", lambda stage: "fixed")
    (tmp_path / "run").mkdir()
    steps = tmp_path / "run" / "steps.py"
    monkeypatch.setattr(cache_module, "PACKAGE_DIR", tmp_path)
    steps.write_text("def build(): ...\n")
    before = cache_module.pipeline_key(("muscles", "claims"))
    steps.write_text("def build(): return 1\n")
    assert cache_module.pipeline_key(("muscles", "claims")) != before


def test_a_damaged_entry_of_a_document_served_unread_is_read_and_recomputed(tmp_path, raw, saved_long_ago):
    saved_long_ago(raw)  # the input index may trust them, and let them go unread next time
    build(tmp_path, raw)
    first = outputs(tmp_path)
    for entry in (tmp_path / "cache" / "strip").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:100])  # cut short: still a file, no longer a pickle
    again = build(tmp_path, raw)
    assert [d.status for d in again.documents] == ["ok"] * len(again.documents)
    assert outputs(tmp_path) == first
    assert build(tmp_path, raw).from_cache == len(again.documents)  # and the entries are whole again
