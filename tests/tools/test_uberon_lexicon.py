"""tools/uberon_lexicon.py: which ontology terms become lexicon entries, with which names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"
SHARED_OBO = ROOT / ".." / "shared" / "reference" / "uberon-musculoskeletal.obo"

# A made-up miniature of the ontology's shape: ids, names and links are invented for the test.
MINI_OBO = """format-version: 1.2
ontology: uberon/musculoskeletal

[Term]
id: UBERON:0001630
name: muscle organ

[Term]
id: UBERON:0001135
name: smooth muscle tissue

[Term]
id: UBERON:0004256
name: hindlimb zeugopod muscle
is_a: UBERON:0001630 ! muscle organ
xref: FMA:22471

[Term]
id: UBERON:9000001
name: peroneus
is_a: UBERON:0004256
synonym: "fibularis" EXACT []

[Term]
id: UBERON:9000002
name: fibularis longus
is_a: UBERON:9000001
synonym: "peroneus longus" EXACT []
synonym: "peronaeus longus" RELATED []
synonym: "longus muscle of calf" RELATED []
synonym: "peroneus major" EXACT INCONSISTENT []
synonym: "fibularis%20longus" EXACT []
synonym: "fibularis longus muscle organ" EXACT []
xref: FMA:22539

[Term]
id: UBERON:9000003
name: fibularis brevis
relationship: part_of UBERON:9000001 ! peroneus
is_a: UBERON:0001630
xref: FMA:22540

[Term]
id: UBERON:9000004
name: gut wall muscle
is_a: UBERON:0001630
is_a: UBERON:0001135
xref: FMA:1

[Term]
id: UBERON:0008245
name: pennate muscle
is_a: UBERON:0001630
xref: FMA:74993

[Term]
id: UBERON:9000005
name: tail muscle
is_a: UBERON:0001630

[Term]
id: UBERON:9000006
name: semispinalis capitis
is_a: UBERON:0001630
xref: FMA:22830

[Term]
id: UBERON:9000007
name: retired muscle
is_a: UBERON:0001630
is_obsolete: true
"""


@pytest.fixture(scope="module")
def tool():
    sys.path.insert(0, str(TOOLS))
    try:
        import uberon_lexicon
    finally:
        sys.path.remove(str(TOOLS))
    return uberon_lexicon


@pytest.fixture()
def entries(tool, tmp_path):
    obo = tmp_path / "mini.obo"
    obo.write_text(MINI_OBO)
    terms = {t.id: t for t in tool.read_obo(obo)}
    return {e["uberon_id"]: e for e in tool.build_entries(terms)}


def test_only_human_skeletal_muscles_named_for_their_place_are_taken(entries):
    assert set(entries) == {"UBERON:0004256", "UBERON:9000001", "UBERON:9000002", "UBERON:9000003", "UBERON:9000006"}
    # left out: the root, smooth muscle, a shape class, a term without FMA anywhere below it, an obsolete one


def test_a_term_with_muscles_below_it_is_a_group_of_them(entries):
    peroneus = entries["UBERON:9000001"]  # no FMA id itself, but its members have
    assert peroneus["kind"] == "group"
    assert peroneus["members"] == ["fibularis_brevis", "fibularis_longus"]  # is_a and part_of both count
    assert entries["UBERON:9000002"]["kind"] == "muscle" and "members" not in entries["UBERON:9000002"]


def test_exact_synonyms_and_related_rewordings_are_kept_and_the_rest_left_out(entries):
    longus = entries["UBERON:9000002"]
    assert longus["name"] == "fibularis longus"
    assert longus["synonyms"] == ["peroneus longus", "peronaeus longus"]
    assert longus["fma_id"] == "FMA:22539"


def test_regions_come_from_the_nearest_region_ancestor_else_the_latin_name(entries):
    assert entries["UBERON:9000002"]["region"] == "lower leg"
    assert entries["UBERON:9000006"]["region"] == "neck"  # "capitis"
    assert entries["UBERON:9000003"]["region"] == "lower leg"  # through part_of


def test_ids_are_slugs_of_the_names(tool):
    assert tool.slug("teres major muscle") == "teres_major"
    assert tool.slug("chest muscle") == "chest_muscle"
    assert tool.slug("crico-arytenoid muscle") == "crico_arytenoid"


def test_the_output_starts_with_a_header_and_check_reports_staleness(tmp_path):
    obo, out = tmp_path / "mini.obo", tmp_path / "generated.jsonl"
    obo.write_text(MINI_OBO)
    run = [sys.executable, str(TOOLS / "uberon_lexicon.py"), str(obo), "--out", str(out)]
    assert subprocess.run(run, capture_output=True).returncode == 0
    header, *rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert header["generated_by"] == "tools/uberon_lexicon.py" and "regenerate" in header
    assert header["entries"] == len(rows) == 5
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 0
    out.write_text(out.read_text().replace("peronaeus", "peroneous"))
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 1


@pytest.mark.skipif(not SHARED_OBO.is_file(), reason="the UBERON OBO file is not beside the project")
def test_the_committed_generated_file_is_what_the_ontology_gives():
    run = [sys.executable, str(TOOLS / "uberon_lexicon.py"), str(SHARED_OBO), "--check"]
    result = subprocess.run(run, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
