"""The lexicon data file and its loader."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline.extract.lexicon import (
    KINDS,
    TERM_ABBREVIATION,
    LexiconError,
    _entry_terms,
    load_lexicon,
    plural,
)

TOOLS = Path(__file__).resolve().parents[2] / "tools"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_lexicon_is_large_enough_and_every_kind_is_present(lexicon):
    assert len(lexicon) >= 120
    kinds = {e.kind for e in lexicon.entries.values()}
    assert kinds == set(KINDS)
    assert all(e.region for e in lexicon.entries.values())


def test_no_surface_form_names_two_entries(lexicon):
    owners: dict[tuple[str, bool], str] = {}
    for entry in lexicon.entries.values():
        for term in _entry_terms(entry):
            key = (term.text if term.case_sensitive else term.text.lower(), term.case_sensitive)
            assert owners.setdefault(key, entry.id) == entry.id, term.text


def test_group_members_exist_and_the_named_groups_are_complete(lexicon):
    for entry in lexicon.entries.values():
        assert all(member in lexicon.entries for member in entry.members)
    expected = {
        "quadriceps": {"rectus_femoris", "vastus_lateralis", "vastus_medialis", "vastus_intermedius"},
        "hamstrings": {"biceps_femoris", "semitendinosus", "semimembranosus"},
        "gluteals": {"gluteus_maximus", "gluteus_medius", "gluteus_minimus"},
        "calves": {"gastrocnemius", "soleus"},
        "fibularis_group": {"fibularis_longus", "fibularis_brevis", "fibularis_tertius"},
        "scalenes": {"scalenus_anterior", "scalenus_medius", "scalenus_posterior"},
        "iliopsoas": {"iliacus", "psoas_major"},
    }
    for group, members in expected.items():
        assert lexicon[group].kind == "group"
        assert set(lexicon[group].members) == members
    for group in ("hip_flexors", "hip_abductors", "hip_adductors", "core", "abdominals"):
        assert lexicon[group].kind == "group" and len(lexicon[group].members) >= 3


def test_ontology_ids_are_carried_for_known_muscles(lexicon):
    tfl = lexicon["tensor_fasciae_latae"]
    assert (tfl.uberon_id, tfl.fma_id) == ("UBERON:0001376", "FMA:22423")
    assert lexicon["quadriceps"].uberon_id == "UBERON:0001377"
    assert lexicon["diaphragm"].uberon_id == "UBERON:0001103"
    assert sum(1 for e in lexicon.entries.values() if e.uberon_id) >= 80


def test_structures_are_not_muscles(lexicon):
    for structure in ("iliotibial_band", "achilles_tendon", "plantar_fascia"):
        assert lexicon[structure].kind == "structure"


@pytest.mark.parametrize(
    "phrase, muscle_id",
    [
        ("quads", "quadriceps"),
        ("glutes", "gluteals"),
        ("hammies", "hamstrings"),
        ("calves", "calves"),
        ("lats", "latissimus_dorsi"),
        ("pecs", "pectorals"),
        ("abs", "abdominals"),
        ("tensor fascia latae", "tensor_fasciae_latae"),
        ("peroneus longus", "fibularis_longus"),
        ("the hip flexors", "hip_flexors"),
        ("gluteal muscles", "gluteals"),
        ("Achilles tendon", "achilles_tendon"),
    ],
)
def test_lay_names_spelling_variants_and_plurals_resolve(lexicon, phrase, muscle_id):
    assert lexicon.resolve(phrase).muscle_id == muscle_id


@pytest.mark.parametrize("abbreviation", ["TFL", "ITB", "VMO", "FHB", "FHL", "QL"])
def test_standard_abbreviations_are_case_sensitive_terms(lexicon, abbreviation):
    terms = [t for t in lexicon.terms if t.text == abbreviation]
    assert terms and all(t.case_sensitive and t.match_type == TERM_ABBREVIATION for t in terms)


@pytest.mark.parametrize(
    "word, expected",
    [
        ("calf", "calves"),
        ("hip flexor", "hip flexors"),
        ("quadriceps", "quadriceps"),
        ("gluteus medius", "gluteus medius"),
    ],
)
def test_plural(word, expected):
    assert plural(word) == expected


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "lexicon.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


BASE = {"id": "soleus", "name": "soleus", "kind": "muscle", "region": "lower leg"}


@pytest.mark.parametrize(
    "rows, message",
    [
        ([BASE, BASE], "duplicate ids"),
        ([{**BASE, "kind": "bone"}], "kind must be one of"),
        ([{**BASE, "id": "Soleus"}], "lower-case slug"),
        ([{**BASE, "kind": "group", "members": ["nope"]}], "unknown members"),
        ([{**BASE, "members": ["soleus"]}], "only groups have members"),
        ([BASE, {**BASE, "id": "other", "name": "other", "synonyms": ["soleus"]}], "names both"),
        ([{**BASE, "abbreviations": ["so"]}], "is not an abbreviation"),
        ([{**BASE, "uberon_id": "0001389"}], "UBERON:"),
        ([{"id": "x", "name": "x", "kind": "muscle"}], "missing key 'region'"),
        ([{**BASE, "colour": "red"}], "unknown key 'colour'"),
    ],
)
def test_invalid_lexicons_are_rejected_with_file_and_entry(tmp_path, rows, message):
    with pytest.raises(LexiconError, match=message) as info:
        load_lexicon(_write(tmp_path, rows))
    assert "lexicon.jsonl" in str(info.value)


def test_ontology_lookup_tool_reads_obo_names_synonyms_and_fma_xrefs(tmp_path):
    sys.path.insert(0, str(TOOLS))
    try:
        from lexicon_ids import index_terms, lookup, with_ids
        from obo import read_obo
    finally:
        sys.path.remove(str(TOOLS))
    obo = tmp_path / "mini.obo"
    obo.write_text(
        "format-version: 1.2\n\n[Term]\nid: UBERON:0001389\nname: soleus\n"
        'synonym: "soleus muscle" EXACT []\nsynonym: "calf part" RELATED []\nxref: FMA:22542\n\n'
        "[Term]\nid: UBERON:9999999\nname: old thing\nis_obsolete: true\n"
    )
    index = index_terms(read_obo(obo))
    assert lookup({"name": "soleus muscle"}, index).id == "UBERON:0001389"
    assert lookup({"name": "calf part"}, index) is None  # only EXACT synonyms count
    assert lookup({"name": "old thing"}, index) is None
    row = with_ids(dict(BASE), lookup(BASE, index))
    assert list(row)[:6] == ["id", "name", "kind", "region", "uberon_id", "fma_id"]
    assert row["fma_id"] == "FMA:22542"
