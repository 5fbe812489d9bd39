"""The claim vocabularies and the object ruler."""

from __future__ import annotations

import json

import pytest

from pipeline.extract.objects import OBJECTS, build_object_nlp
from pipeline.extract.vocabulary import VOCABULARIES, VocabularyError, load_vocabulary


@pytest.fixture(scope="module")
def objects():
    nlp = build_object_nlp(load_vocabulary())

    def find(text: str) -> list[tuple[str, str, str]]:
        doc = nlp(text)
        return [(s.text, s.label_, s.id_) for s in doc.spans[OBJECTS]]

    return find


def test_every_vocabulary_is_populated():
    vocabulary = load_vocabulary()
    counts = {name: sum(e.vocabulary == name for e in vocabulary.entries.values()) for name in VOCABULARIES}
    assert all(n >= 10 for n in counts.values()), counts


@pytest.mark.parametrize(
    "text, object_id",
    [
        ("it helps straighten the leg at the knee", "knee_extension"),
        ("they lift your knees", "hip_flexion"),
        ("to bend your hips", "hip_flexion"),
        ("pointing the toes downward", "ankle_plantarflexion"),
        ("to move the leg away from the body", "hip_abduction"),
        ("it turns the sole of your foot inward", "foot_inversion"),
        ("the extension of your knee joint", "knee_extension"),
    ],
)
def test_lay_phrasing_maps_to_anatomical_actions(objects, text, object_id):
    assert ("action", object_id) in {(v, i) for _, v, i in objects(text)}


@pytest.mark.parametrize(
    "text, vocabulary, object_id",
    [
        ("sumo squats", "exercise", "sumo_squat"),
        ("single-leg squats", "exercise", "single_leg_squat"),
        ("squats", "exercise", "squat"),
        ("step-ups", "exercise", "step_up"),
        ("the kneeling hip flexor stretch", "stretch", "kneeling_hip_flexor_stretch"),
        ("runner's knee", "injury", "patellofemoral_pain_syndrome"),
        ("Achilles tendonitis", "injury", "achilles_tendinopathy"),
        ("shock absorbers", "running_role", "shock_absorption"),
    ],
)
def test_canonical_names_keep_the_modifiers_that_make_a_different_object(objects, text, vocabulary, object_id):
    assert objects(text) == [(text.removeprefix("the "), vocabulary, object_id)]


def test_a_word_inside_a_longer_object_of_another_vocabulary_is_not_an_object(objects):
    assert [i for _, _, i in objects("diaphragmatic breathing")] == ["diaphragmatic_breathing"]


def test_excluded_phrases_do_not_name_their_object(objects):
    assert objects("better muscular balance and a delicate balance beam") == []


def _write(tmp_path, rows, classes=()):
    folder = tmp_path / "vocabulary"
    folder.mkdir()
    for row in rows:
        name = row.pop("file", row.get("vocabulary", "action"))
        with open(folder / f"{name}.jsonl", "a") as handle:
            handle.write(json.dumps(row) + "\n")
    if classes:
        (folder / "classes.jsonl").write_text("".join(json.dumps(c) + "\n" for c in classes))
    return folder


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"file": "colour", "id": "x", "label": "x", "phrases": ["x"]}], "are not vocabularies"),
        ([{"file": "action", "id": "x", "vocabulary": "injury", "label": "x", "phrases": ["x"]}], "in the file of"),
        (
            [
                {"id": "a", "vocabulary": "exercise", "label": "a", "phrases": ["squat"]},
                {"id": "b", "vocabulary": "exercise", "label": "b", "phrases": ["squats"]},
            ],
            "exercise.jsonl: 'b': phrase 'squats' also names 'a'",
        ),
        (
            [{"id": "x", "vocabulary": "action", "label": "x", "phrases": ["x"], "patterns": [[{"LOWERR": "x"}]]}],
            "action.jsonl: 'x': a token pattern does not validate",
        ),
        ([{"id": "x", "label": "x", "phrases": ["x"], "rules": ["lift~ <elbow>"]}], "unknown word class <elbow>"),
        ([{"id": "x", "label": "x", "phrases": ["x"], "rules": ["push-off"]}], "not one lower-case word"),
        ([{"id": "x", "label": "x", "phrases": ["x"], "rules": ["<det>?"]}], "nothing but optional tokens"),
        ([{"id": "x", "vocabulary": "action", "label": "x", "phrases": [" x"]}], "trimmed"),
    ],
)
def test_invalid_vocabularies_are_rejected_naming_the_file(tmp_path, rows, message):
    with pytest.raises(VocabularyError, match=message):
        load_vocabulary(_write(tmp_path, rows))


def test_rules_compile_with_word_classes_and_verb_forms(tmp_path):
    rows = [{"id": "hop", "label": "hopping", "phrases": ["hopping"], "rules": ["lift~ <det>? <leg> off|up"]}]
    folder = _write(tmp_path, rows, [{"class": "leg", "words": ["leg+", "foot", "feet"]}])
    nlp = build_object_nlp(load_vocabulary(folder))
    doc = nlp("She lifted her feet up and kept lifting the legs off.")
    found = [(s.text, s.id_) for s in doc.spans[OBJECTS]]
    assert found == [("lifted her feet up", "hop"), ("lifting the legs off", "hop")]


def test_the_word_prefilter_never_hides_a_token_pattern_match():
    # The object matcher skips blocks lacking some pattern's required words; with the filter
    # switched off (one pattern that requires nothing) every text must give the same objects.
    nlp = build_object_nlp(load_vocabulary())
    component = nlp.get_pipe("claim_object_patterns")
    texts = [
        "Drive your knee forward and lift the thigh.",
        "It helps straighten the leg at the knee, then flexing at the hip.",
        "Nothing here names an action; the knee simply sits there.",
        "Raising your legs up works the abdominals.",
    ]

    def objects_of(text: str) -> list[tuple[int, int, str, str]]:
        doc = nlp(text)
        return [(s.start, s.end, s.label_, s.id_) for s in doc.spans[OBJECTS]]

    filtered = [objects_of(text) for text in texts]
    component.required = [[]]
    assert [objects_of(text) for text in texts] == filtered
    assert sum(1 for objects in filtered for o in objects if o[2] == "action") >= 3
