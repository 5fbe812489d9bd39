from __future__ import annotations

import pyarrow.parquet as pq

from pipeline import cli
from pipeline.reconcile.dedupe import shingles, signature, similarity, source_groups


def _copy_with_new_header_and_footer(text: str) -> str:
    body = text.split("\n", 3)[3]  # a different site drops the original title lines ...
    return (
        "Mirror Fitness Daily\nHome | Running | Shop\n\n"  # ... and adds its own header
        + body
        + "\n\nCopyright 2026 Mirror Fitness Daily. Share this post. Subscribe to our newsletter for more.\n"
    )


def test_a_copy_with_another_header_and_footer_joins_the_original(raw_dir):
    texts = {p.name: p.read_text() for p in sorted(raw_dir.glob("*.txt"))}
    original = "science-of-running-what-muscles-does-running-work.txt"
    docs = [(name, text) for name, text in texts.items()] + [
        ("copy", _copy_with_new_header_and_footer(texts[original]))
    ]
    groups = source_groups(docs)
    assert groups["copy"][0] == original
    assert groups["copy"][1] >= 0.8
    assert len({group for group, _ in groups.values()}) == 5  # the five articles stay apart


def test_signatures_are_deterministic_and_estimate_jaccard():
    a = shingles("the quick brown fox jumps over the lazy dog " * 3 + "one two three four five six")
    b = shingles("the quick brown fox jumps over the lazy dog " * 3 + "seven eight nine ten eleven")
    assert (signature(a) == signature(set(a))).all()
    exact = len(a & b) / len(a | b)
    assert abs(similarity(signature(a), signature(b)) - exact) < 0.15


def test_empty_documents_are_never_grouped():
    groups = source_groups([("a", ""), ("b", ""), ("c", "some words here")])
    assert {k: g for k, (g, _) in groups.items()} == {"a": "a", "b": "b", "c": "c"}


def test_copies_share_a_group_in_documents_and_count_once_in_facts(tmp_path, raw_dir):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in raw_dir.glob("*.txt"):
        (raw / path.name).write_text(path.read_text())
    copy = _copy_with_new_header_and_footer((raw_dir / "needtorace-6-key-muscles-engaged.txt").read_text())
    (raw / "zz-mirror-of-needtorace.txt").write_text(copy)
    args = ["--raw", str(raw), "--out", str(tmp_path / "out"), "--decisions", str(tmp_path / "d.yaml"), "-q"]
    assert cli.main(args) == cli.EXIT_OK
    documents = {d["source_path"]: d for d in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    mirror, original = documents["zz-mirror-of-needtorace.txt"], documents["needtorace-6-key-muscles-engaged.txt"]
    assert mirror["doc_id"] != original["doc_id"]
    assert mirror["source_group"] == original["source_group"] == original["doc_id"]
    facts = pq.read_table(tmp_path / "out" / "facts.parquet").to_pylist()
    quads = next(f for f in facts if (f["muscle_id"], f["object_id"]) == ("quadriceps", "knee_extension"))
    assert mirror["doc_id"] in quads["doc_ids"]
    assert quads["n_documents"] == quads["n_sources"] + 1  # the mirror adds a file, not a source
    assert quads["n_sources"] == 4


def test_band_keys_are_the_bytes_of_each_bands_slice():
    import numpy as np

    from pipeline.reconcile.dedupe import _MAX_HASH, BANDS, NUM_PERMUTATIONS, _band_keys, text_signature

    signatures = [text_signature("the calf lifts the heel on every stride"), text_signature("")]
    rows = NUM_PERMUTATIONS // BANDS
    keys = _band_keys(signatures)
    assert keys[0] == [signatures[0][b * rows : (b + 1) * rows].tobytes() for b in range(BANDS)]
    assert keys[1] is None and int(signatures[1][0]) == _MAX_HASH
    assert _band_keys([]) == [] and isinstance(signatures[0], np.ndarray)
