"""The claim vocabularies and the object ruler."""

from __future__ import annotations

import json

import pytest

from pipeline.extract.vocabulary import OBJECTS, VOCABULARIES, VocabularyError, build_object_nlp, load_vocabulary


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


def _write(tmp_path, rows):
    path = tmp_path / "vocab.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"id": "x", "vocabulary": "colour", "label": "x", "phrases": ["x"]}], "vocabulary must be one of"),
        (
            [
                {"id": "a", "vocabulary": "exercise", "label": "a", "phrases": ["squat"]},
                {"id": "b", "vocabulary": "exercise", "label": "b", "phrases": ["squats"]},
            ],
            "also names",
        ),
        (
            [{"id": "x", "vocabulary": "action", "label": "x", "phrases": ["x"], "patterns": [[{"LOWERR": "x"}]]}],
            "does not validate",
        ),
        ([{"id": "x", "vocabulary": "action", "label": "x", "phrases": [" x"]}], "trimmed"),
    ],
)
def test_invalid_vocabularies_are_rejected(tmp_path, rows, message):
    with pytest.raises(VocabularyError, match=message) as info:
        load_vocabulary(_write(tmp_path, rows))
    assert "vocab.jsonl" in str(info.value)


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
