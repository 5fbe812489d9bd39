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
    entry_terms,
    load_lexicon,
    plural,
)
from pipeline.extract.lexicon_merge import GENERATED_NOTE, Dropped

TOOLS = Path(__file__).resolve().parents[2] / "tools"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_lexicon_is_large_enough_and_every_kind_is_present(lexicon):
    assert len(lexicon) >= 300
    kinds = {e.kind for e in lexicon.entries.values()}
    assert kinds == set(KINDS)
    assert all(e.region for e in lexicon.entries.values())


def test_no_surface_form_names_two_entries(lexicon):
    owners: dict[tuple[str, bool], str] = {}
    for entry in lexicon.entries.values():
        for term in entry_terms(entry):
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


def test_the_tool_keeps_ids_it_cannot_look_up(tmp_path):
    sys.path.insert(0, str(TOOLS))
    try:
        from lexicon_ids import with_ids
    finally:
        sys.path.remove(str(TOOLS))
    entry = {**BASE, "fma_id": "FMA:51048"}
    assert with_ids(entry, None)["fma_id"] == "FMA:51048"


# --------------------------------------------------------------------------- the generated part


def test_every_skeletal_muscle_in_the_ontology_has_an_entry(lexicon):
    generated = [e for e in lexicon.entries.values() if e.note == GENERATED_NOTE]
    assert len(generated) >= 150
    assert all(e.uberon_id and e.kind in ("muscle", "group") for e in generated)
    for muscle in ("masseter_muscle", "extensor_carpi_radialis_brevis", "semispinalis_capitis", "anconeus"):
        assert lexicon[muscle].note == GENERATED_NOTE
    assert lexicon.resolve("pronator teres").muscle_id == "pronator_teres"


def test_an_ontology_id_names_one_entry_and_hand_entries_keep_theirs(lexicon):
    ids = [e.uberon_id for e in lexicon.entries.values() if e.uberon_id]
    assert len(ids) == len(set(ids))
    # folded, not duplicated: the hand entry gains the ontology's names and keeps its own
    longus = lexicon["fibularis_longus"]
    assert "peronaeus longus" in longus.synonyms and "peroneal longus" in longus.synonyms
    assert lexicon["hamstrings"].members == ("biceps_femoris", "semitendinosus", "semimembranosus")


def test_generated_names_never_override_hand_curated_ones(lexicon):
    assert lexicon.resolve("psoas").muscle_id == "psoas_major"  # the ontology's "psoas" groups major and minor
    assert lexicon.resolve("tibialis").muscle_id == "tibialis_anterior"
    assert lexicon.resolve("chest muscles").muscle_id == "pectorals"
    assert Dropped("psoas", "psoas", "hand-curated name of 'psoas_major'") in lexicon.dropped
    assert Dropped("superior_oblique_extraocular", "superior oblique", "everyday English") in lexicon.dropped


HAND = [
    {"id": "back_muscles", "name": "back muscles", "kind": "group", "region": "back", "modifier_forms": ["back"]},
    {"id": "soleus", "name": "soleus", "kind": "muscle", "region": "lower leg", "uberon_id": "UBERON:0001389"},
    {"id": "tibialis_anterior", "name": "tibialis anterior", "kind": "muscle", "region": "lower leg",
     "context_abbreviations": ["TA"]},
]  # fmt: skip
GENERATED = [
    {"id": "soleus_muscle", "name": "soleus muscle", "kind": "muscle", "region": "leg", "uberon_id": "UBERON:0001389",
     "fma_id": "FMA:22542", "synonyms": ["soleus", "musculus soleus"]},
    {"id": "dorsal_muscle", "name": "dorsal muscle", "kind": "group", "region": "back", "uberon_id": "UBERON:9000001",
     "synonyms": ["back", "chest", "anterior", "upper body", "TA", "lower leg", "back muscle", "latissimus"],
     "members": ["soleus_muscle", "broad_back_muscle", "gone"]},
    {"id": "broad_back_muscle", "name": "broad back muscle", "kind": "muscle", "region": "back",
     "uberon_id": "UBERON:9000002", "synonyms": ["latissimus"]},
    {"id": "gone", "name": "back", "kind": "muscle", "region": "back", "uberon_id": "UBERON:9000003"},
    {"id": "soleus", "name": "other soleus", "kind": "muscle", "region": "leg", "uberon_id": "UBERON:9000004"},
]  # fmt: skip


def _generated(tmp_path: Path, rows: list[dict], header: dict | None = None) -> Path:
    path = tmp_path / "generated.jsonl"
    header = {"generated_by": "a test"} if header is None else header
    path.write_text("".join(json.dumps(r) + "\n" for r in [header, *rows]))
    return path


def test_the_merge_folds_by_ontology_id_and_drops_ordinary_and_clashing_names(tmp_path):
    lexicon = load_lexicon(_write(tmp_path, HAND), generated=_generated(tmp_path, GENERATED))
    assert (
        lexicon["soleus"].synonyms == ("soleus muscle", "musculus soleus") and lexicon["soleus"].fma_id == "FMA:22542"
    )
    assert "soleus_muscle" not in lexicon.entries
    dorsal = lexicon["dorsal_muscle"]
    assert dorsal.note == GENERATED_NOTE and dorsal.synonyms == ()
    assert dorsal.members == ("soleus", "broad_back_muscle")  # renamed to the hand entry; dropped ones go
    reasons = {(d.entry_id, d.form): d.reason for d in lexicon.dropped}
    for everyday in ("back", "chest", "anterior", "upper body", "lower leg"):
        assert reasons[("dorsal_muscle", everyday)] == "everyday English"
    assert reasons[("dorsal_muscle", "TA")] == "short form"
    assert reasons[("dorsal_muscle", "back muscle")] == "hand-curated name of 'back_muscles'"
    assert reasons[("dorsal_muscle", "latissimus")] == reasons[("broad_back_muscle", "latissimus")]
    assert reasons[("dorsal_muscle", "latissimus")] == "shared by generated entries"
    assert "gone" not in lexicon.entries and "left out" in reasons[("gone", "back")]
    assert lexicon["soleus"].name == "soleus"  # a generated entry may not take a hand-curated id
    assert "id taken" in reasons[("soleus", "other soleus")]
    texts = {t.text.lower() for t in lexicon.terms}
    assert {"back", "chest", "anterior", "upper body", "latissimus"}.isdisjoint(texts)
    assert lexicon.resolve("broad back muscle").muscle_id == "broad_back_muscle"


@pytest.mark.parametrize(
    "header, rows, message",
    [
        ({"source": "no generated_by"}, [], "first line must be the header"),
        (None, [{"id": "x", "name": "x", "kind": "muscle"}], "missing key 'region'"),
        (None, [{"id": "x", "name": "x", "kind": "muscle", "region": "leg", "variants": ["y"]}], "unknown key"),
        (None, [{"id": "x", "name": "x", "kind": "bone", "region": "leg"}], "kind must be one of"),
    ],
)
def test_a_bad_generated_file_is_rejected_with_its_name(tmp_path, header, rows, message):
    with pytest.raises(LexiconError, match=message) as info:
        load_lexicon(_write(tmp_path, HAND), generated=_generated(tmp_path, rows, header))
    assert "generated.jsonl" in str(info.value)


# --------------------------------------------------------------------------- groups running writing uses


@pytest.mark.parametrize(
    "phrase, muscle_id, kind",
    [
        ("posterior chain", "posterior_chain", "group"),
        ("hip internal rotators", "hip_internal_rotators", "group"),
        ("hip external rotators", "hip_external_rotators", "group"),
        ("deep six", "deep_six", "group"),
        ("deep core", "core", "group"),
        ("gluteus muscles", "gluteals", "group"),
        ("inner unit", "core", "group"),
        ("deep abs", "deep_abdominals", "group"),
        ("foot intrinsics", "intrinsic_foot_muscles", "group"),
        ("anterior compartment muscles", "shin_muscles", "group"),
        ("posterior compartment muscles", "posterior_compartment", "group"),
        ("deep posterior compartment", "deep_posterior_compartment", "group"),
        ("knee extensors", "knee_extensors", "group"),
        ("hip extensors", "hip_extensors", "group"),
        ("hip muscles", "hip_muscles", "group"),
        ("hip girdle muscles", "hip_muscles", "group"),
        ("thigh muscles", "thigh_muscles", "group"),
        ("knee muscles", "knee_muscles", "group"),
        ("leg muscles", "leg_muscles", "group"),
        ("lower leg muscles", "lower_leg_muscles", "group"),
        ("lower body muscles", "lower_body", "group"),
        ("upper body muscles", "upper_body", "group"),
        ("upper back muscles", "upper_back_muscles", "group"),
        ("vastus medialis oblique", "vastus_medialis_oblique", "muscle"),
        ("triceps", "triceps_brachii", "muscle"),
        ("post tib", "tibialis_posterior", "muscle"),
        ("peroneal tendons", "peroneal_tendons", "structure"),
        ("posterior tibial tendon", "tibialis_posterior_tendon", "structure"),
        ("plantar fascia", "plantar_fascia", "structure"),
        ("pes anserine", "pes_anserinus", "structure"),
    ],
)
def test_the_names_running_writing_uses_resolve_to_the_right_kind(lexicon, phrase, muscle_id, kind):
    term = lexicon.resolve(phrase)
    assert (term.muscle_id, lexicon[muscle_id].kind) == (muscle_id, kind)


def test_the_external_rotators_hold_the_deep_six_and_the_core_holds_its_deep_stabilisers(lexicon):
    assert lexicon.leaves("deep_six") < lexicon.leaves("hip_external_rotators")
    assert "gluteus_maximus" in lexicon.leaves("hip_external_rotators")
    assert {"transversus_abdominis", "multifidus", "diaphragm"} | lexicon.leaves("pelvic_floor") <= lexicon.leaves(
        "core"
    )
    assert lexicon.leaves("posterior_chain") >= lexicon.leaves("hamstrings") | lexicon.leaves("calves")


def test_list_forms_name_one_entry(tmp_path):
    rows = [{**HAND[0], "list_forms": ["back"]}, {**BASE, "list_forms": ["back"]}]
    with pytest.raises(LexiconError, match="list form 'back'"):
        load_lexicon(_write(tmp_path, rows))


def test_the_generated_files_everyday_words_drop_what_wordfreq_would():
    from pipeline.extract.lexicon import default_generated_path, default_lexicon_path
    from pipeline.extract.lexicon_merge import merge_generated, read_everyday_words, read_generated

    path = default_generated_path()
    hand, rows = load_lexicon(default_lexicon_path()).entries, read_generated(path)
    everyday = read_everyday_words(path)
    assert everyday and {"back", "chest"} <= everyday
    assert merge_generated(hand, rows, path, everyday) == merge_generated(hand, rows, path, None)
