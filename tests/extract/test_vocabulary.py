"""The claim vocabularies and the object ruler."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from pipeline.extract.lexicon import plural
from pipeline.extract.objects import OBJECTS, build_object_nlp
from pipeline.extract.vocabulary import VOCABULARIES, VocabularyError, load_vocabulary, spelling_variants


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
    # the object vocabularies cover fitness writing in general, not one article's wording
    assert counts["exercise"] >= 120 and counts["stretch"] >= 40 and counts["injury"] >= 80, counts


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


@pytest.mark.parametrize(
    "text, vocabulary, object_id",
    [
        # a modifier that makes a different exercise names its own entry; the longest match wins
        ("Romanian deadlifts", "exercise", "romanian_deadlift"),
        ("single-leg Romanian deadlifts", "exercise", "single_leg_deadlift"),
        ("single leg RDLs", "exercise", "single_leg_deadlift"),
        ("sumo deadlifts", "exercise", "sumo_deadlift"),
        ("deadlifts", "exercise", "deadlift"),
        ("Nordic hamstring curls", "exercise", "nordic_hamstring_curl"),
        ("stability ball hamstring curls", "exercise", "ball_hamstring_curl"),
        ("lying leg curls", "exercise", "hamstring_curl"),
        ("seated calf raises", "exercise", "seated_calf_raise"),
        ("bent-knee calf raises", "exercise", "seated_calf_raise"),
        ("single-leg calf raises", "exercise", "calf_raise"),
        ("eccentric heel drops", "exercise", "heel_drop"),
        ("single-leg quarter squats", "exercise", "single_leg_squat"),
        ("quarter squats", "exercise", "squat"),
        ("reverse Nordics", "exercise", "reverse_nordic"),
        ("prone straight leg raises", "exercise", "prone_hip_extension"),
        ("the abdominal drawing-in manoeuvre", "exercise", "abdominal_drawing_in"),
        ("Bulgarian split squats", "exercise", "bulgarian_split_squat"),
        ("split squats", "exercise", "split_squat"),
        ("single-leg decline squats", "exercise", "decline_squat"),
        ("leg presses", "exercise", "leg_press"),
        ("Pallof presses", "exercise", "pallof_press"),
        ("Copenhagen planks", "exercise", "copenhagen_plank"),
        ("side planks", "exercise", "side_plank"),
        ("straight leg raises", "exercise", "straight_leg_raise"),
        ("side-lying leg lifts", "exercise", "side_lying_leg_raise"),
        ("terminal knee extensions", "exercise", "terminal_knee_extension"),
        ("quad sets", "exercise", "quad_set"),
        ("tibialis raises", "exercise", "tibialis_raise"),
        ("short-foot exercises", "exercise", "short_foot_exercise"),
        ("marble pick-ups", "exercise", "toe_curl"),
        ("towel scrunches", "exercise", "toe_curl"),
        ("monster walks", "exercise", "banded_side_step"),
        ("fire hydrants", "exercise", "fire_hydrant"),
        ("donkey kicks", "exercise", "donkey_kick"),
        ("wall sits", "exercise", "wall_sit"),
        ("step-downs", "exercise", "step_down"),
        ("box jumps", "exercise", "box_jump"),
        ("A-skips", "exercise", "a_skip"),
        ("butt kicks", "exercise", "butt_kicks"),
        ("hill repeats", "exercise", "hill_sprint"),
        ("downhill running", "exercise", "downhill_running"),
        ("Kegels", "exercise", "kegel"),
        ("pelvic floor exercises", "exercise", "kegel"),
        ("sit-ups", "exercise", "sit_up"),
        ("chin-ups", "exercise", "chin_up"),
        # stretches and soft-tissue work
        ("the couch stretch", "stretch", "couch_stretch"),
        ("a bent-knee calf stretch", "stretch", "soleus_stretch"),
        ("the standing quad stretch", "stretch", "quad_stretch"),
        ("the runner's lunge stretch", "stretch", "runners_lunge_stretch"),
        ("half pigeon", "stretch", "pigeon_pose"),
        ("the figure 4 stretch", "stretch", "figure_four_stretch"),
        ("downward-facing dog", "stretch", "downward_dog"),
        ("childs pose", "stretch", "childs_pose"),
        ("cat-cow", "stretch", "cat_cow"),
        ("a lacrosse ball", "stretch", "massage_ball"),
        ("foam rolling", "stretch", "foam_rolling"),
        ("the shin stretch", "stretch", "shin_stretch"),
        # injuries: spelling variants (tendinitis / tendonitis) and lay names
        ("patellar tendonitis", "injury", "patellar_tendinopathy"),
        ("patellar tendinitis", "injury", "patellar_tendinopathy"),
        ("jumper's knee", "injury", "patellar_tendinopathy"),
        ("high hamstring tendinopathy", "injury", "hamstring_tendinopathy"),
        ("gluteus medius tendinitis", "injury", "gluteal_tendinopathy"),
        ("a pulled hamstring", "injury", "hamstring_strain"),
        ("a strained calf", "injury", "calf_strain"),
        ("a groin pull", "injury", "groin_strain"),
        ("a muscle strain", "injury", "muscle_strain"),
        ("muscle cramps", "injury", "muscle_cramp"),
        ("piriformis syndrome", "injury", "piriformis_syndrome"),
        ("stress fractures", "injury", "stress_fracture"),
        ("a metatarsal stress fracture", "injury", "stress_fracture"),
        ("trochanteric bursitis", "injury", "trochanteric_bursitis"),
        ("fallen arches", "injury", "flat_feet"),
        ("over-pronation", "injury", "overpronation"),
        ("a sprained ankle", "injury", "ankle_sprain"),
        ("chronic ankle instability", "injury", "ankle_instability"),
        ("stress urinary incontinence", "injury", "urinary_incontinence"),
        ("low-back pain", "injury", "lower_back_pain"),
        ("upper back pain", "injury", "upper_back_pain"),
        ("tendinosis", "injury", "tendinopathy"),
    ],
)
def test_broadened_vocabularies_name_exercises_stretches_and_injuries(objects, text, vocabulary, object_id):
    found = objects(text)
    assert [(v, i) for _, v, i in found] == [(vocabulary, object_id)]
    assert text.endswith(found[0][0])


@pytest.mark.parametrize(
    "text, object_id",
    [
        ("RDL", "romanian_deadlift"),
        ("TKEs", "terminal_knee_extension"),
        ("ITBS", "it_band_syndrome"),
        ("ITB syndrome", "it_band_syndrome"),
        ("IT band syndrome", "it_band_syndrome"),
        ("PFPS", "patellofemoral_pain_syndrome"),
        ("runner's knee", "patellofemoral_pain_syndrome"),
        ("runner’s knee", "patellofemoral_pain_syndrome"),
        ("PTTD", "posterior_tibial_tendon_dysfunction"),
        ("DOMS", "doms"),
        ("MTSS", "shin_splints"),
        ("GTPS", "greater_trochanteric_pain_syndrome"),
        ("CECS", "compartment_syndrome"),
        ("SI joint pain", "si_joint_dysfunction"),
        ("LBP", "lower_back_pain"),
        ("ADIM", "abdominal_drawing_in"),
        ("EIMD", "exercise_induced_muscle_damage"),
    ],
)
def test_abbreviations_name_their_object(objects, text, object_id):
    assert [(t, i) for t, _, i in objects(text)] == [(text, object_id)]


@pytest.mark.parametrize(
    "text",
    [
        # a longer phrase holds the match but names something else
        "a shoe with a 10mm heel drop",
        "a low heel drop",
        "Step up your mileage gradually.",
        "Start in a plank position.",
        "The straight leg raise test was negative.",
        "the single-leg calf raise test",
        "Unroll your yoga mat.",
        "Stomach cramps on long runs",
        "The contralateral pelvic drop in midstance",
        "She ran the Copenhagen Marathon.",
        "Run over the bridges on your route.",
        # everyday running words are not objects
        "a long run, a race, a hill, some strides and a little pain",
        "strain and tightness",
        "Sit up tall, push up onto your toes and pull up your knees.",
        "Land flat-footed.",
        "Your hamstrings stretch as the leg swings forward.",
    ],
)
def test_phrases_that_do_not_name_an_exercise_stretch_or_injury(objects, text):
    assert [o for o in objects(text) if o[1] in ("exercise", "stretch", "injury")] == []


def test_fecal_incontinence_is_not_urinary_incontinence(objects):
    assert [i for _, _, i in objects("faecal incontinence")] == ["fecal_incontinence"]


def test_every_exercise_stretch_and_injury_phrase_names_its_own_entry_alone():
    # No phrase (or its generated plural) is shadowed by a longer entry, an exclusion or
    # another vocabulary: standing alone, it is exactly one object, the entry that lists it.
    vocabulary = load_vocabulary()
    nlp = build_object_nlp(vocabulary)
    wrong = []
    for entry in vocabulary.entries.values():
        if entry.vocabulary not in ("exercise", "stretch", "injury"):
            continue
        for form in {form for phrase in entry.phrases for form in (phrase, plural(phrase.lower()))}:
            doc = nlp(form)
            found = [(s.start, s.end, s.label_, s.id_) for s in doc.spans[OBJECTS]]
            if found != [(0, len(doc), entry.vocabulary, entry.id)]:
                wrong.append((entry.key, form, found))
    assert wrong == []


@pytest.mark.parametrize(
    "text, object_id",
    [
        ("Single Leg Romanian Dead Lifts", "single_leg_deadlift"),
        ("a single leg ¼ squat", "single_leg_squat"),
        ("single leg 1/2 squats", "single_leg_squat"),
        ("single leg calf raises", "calf_raise"),
        ("hip-flexor pain", "hip_flexor_pain"),
    ],
)
def test_spelling_variants_of_a_phrase_name_its_entry(objects, text, object_id):
    assert [i for _, _, i in objects(text)] == [object_id]


def test_a_lone_hyphenated_phrase_is_not_spaced():
    assert spelling_variants("push-up", {}) == ["push-up"]
    assert spelling_variants("single-leg deadlift", {"deadlift": "dead lift"}) == [
        "single-leg deadlift",
        "single-leg dead lift",
        "single leg deadlift",
        "single leg dead lift",
    ]


def test_two_entries_sharing_a_spelling_variant_are_rejected(tmp_path):
    rows = [
        {"id": "a", "label": "a", "phrases": ["single-leg hop"]},
        {"id": "b", "label": "b", "phrases": ["single leg hop"]},
    ]
    with pytest.raises(VocabularyError, match="'b': phrase 'single leg hop' also names 'a'"):
        load_vocabulary(_write(tmp_path, rows))


def test_every_exercise_stretch_and_injury_exclusion_holds_one_of_its_phrases():
    # An exclusion drops a match inside it; one that holds none of its entry's phrases is a typo.
    vocabulary = load_vocabulary()
    nlp = spacy.blank("en")
    dead = []
    for entry in vocabulary.entries.values():
        if entry.vocabulary not in ("exercise", "stretch", "injury"):
            continue
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        forms = {form for phrase in entry.phrases for form in (phrase.lower(), plural(phrase.lower()))}
        matcher.add(entry.id, list(nlp.tokenizer.pipe(forms)))
        dead += [(entry.key, text) for text in entry.exclude if not matcher(nlp.make_doc(text))]
    assert dead == []


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
