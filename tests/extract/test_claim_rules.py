"""Claim rules on sentences written for these tests: members, role nouns, candidates, exercise
lists, cues that block a claim, and clause subjects."""

from __future__ import annotations

import pytest

from pipeline.extract.claims import ClaimExtractor
from pipeline.extract.lexicon import cached_lexicon
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, recognise_document
from pipeline.extract.vocabulary import cached_vocabulary
from pipeline.records import Block


@pytest.fixture(scope="module")
def claims_of():
    lexicon = cached_lexicon()
    nlp, extractor = build_muscle_nlp(lexicon), ClaimExtractor(lexicon, cached_vocabulary())

    def run(*items):
        blocks = []
        for i, item in enumerate(items):
            kind, text = item if isinstance(item, tuple) else ("paragraph", item)
            blocks.append(Block("doc", i, kind, text))
        mentions = recognise_document(nlp, lexicon, blocks, RecognitionStats())
        return extractor.document(blocks, mentions)[0]

    return run


def triples(claims, relation=None):
    return {(c.muscle_id, c.relation, c.object_id) for c in claims if relation in (None, c.relation)}


@pytest.mark.parametrize(
    "text, members",
    [
        ("A deep hip flexor muscle, the iliacus, runs from the pelvis to the thigh.", {"iliacus"}),
        ("The calf (gastrocnemius and soleus) does most of the work uphill.", {"gastrocnemius", "soleus"}),
        ("The glutes, particularly the gluteus maximus, drive each stride.", {"gluteus_maximus"}),
        ("The soleus is one of the calf muscles.", {"soleus"}),
        ("The scalenes consist of three pairs of neck muscles: scalenus anterior and scalenus medius.", None),
        ("Strengthen the hamstrings and the soleus on the same day.", set()),
        ("Hill sprints load the posterior chain, hamstrings, glutes and lower back.", set()),
        ("There are two calf muscles, gastrocnemius (big) and soleus (deep).", {"gastrocnemius", "soleus"}),
    ],
)
def test_members_joined_by_a_cue_in_either_order(claims_of, text, members):
    found = {c.object_id for c in claims_of(text) if c.relation == "member"}
    if members is None:  # the first group claims its members, not the neck muscles
        assert {c.muscle_id for c in claims_of(text) if c.relation == "member"} == {"scalenes"}
    else:
        assert found == members


def test_members_announced_then_named_one_sentence_at_a_time(claims_of):
    claims = claims_of(
        "There are two muscles in the calf. The outer one is the gastrocnemius. "
        "Below it sits the soleus, which is flatter."
    )
    assert triples(claims, "member") == {("calves", "member", "gastrocnemius"), ("calves", "member", "soleus")}


def test_anaphoric_members(claims_of):
    claims = claims_of(
        "The gastrocnemius and the soleus lie at the back of the leg. Together these muscles form the calf."
    )
    assert {c.object_id for c in claims if c.relation == "member"} == {"gastrocnemius", "soleus"}


def test_a_role_noun_is_an_action_but_a_muscle_name_is_not(claims_of):
    assert ("psoas_major", "action", "hip_flexion") in triples(claims_of("The psoas is a strong hip flexor."))
    assert triples(claims_of("Strong hip flexor muscles help you run."), "action") == set()


def test_coordinated_movements_share_their_joint(claims_of):
    claims = claims_of("The gluteus medius helps with hip flexion and abduction.")
    assert {c.object_id for c in claims if c.relation == "action"} == {"hip_flexion", "hip_abduction"}


def test_a_term_the_vocabulary_lacks_is_a_candidate_object(claims_of):
    (claim,) = [c for c in claims_of("Towel slides strengthen the hamstrings.") if c.relation == "exercise"]
    assert (claim.muscle_id, claim.object_id, claim.candidate) == ("hamstrings", "towel_slide", True)
    assert (claim.object_label, claim.object_text) == ("towel slide", "Towel slides")
    # a name the vocabulary knows is that object, not a candidate: "box squats" are squats
    (known,) = [c for c in claims_of("Box squats strengthen the quadriceps.") if c.relation == "exercise"]
    assert (known.object_id, known.candidate) == ("squat", False)


def test_candidates_need_naming_words_and_are_not_verbs(claims_of):
    assert claims_of("Effective exercises strengthen the quadriceps.") == []
    assert [c for c in claims_of("Slowly stretch your hamstrings after runs.") if c.candidate] == []


def test_a_lead_in_opens_an_exercise_list_for_its_muscle(claims_of):
    claims = claims_of(
        "Here are three exercises to strengthen your soleus.",
        ("heading", "Bent-Knee Wall Sit"),
        "Lean against a wall with your knees bent and hold for thirty seconds.",
        ("heading", "Seated Heel Raise"),
        "Sit with a weight on your knees and lift your heels.",
    )
    assert {("soleus", "exercise", "wall_sit"), ("soleus", "exercise", "seated_calf_raise")} <= triples(claims)


def test_a_description_after_an_exercise_item_says_what_it_targets(claims_of):
    claims = claims_of(("list_item", "Lateral band walk"), "Targets the gluteus medius and the TFL.")
    assert {c.muscle_id for c in claims if c.relation == "exercise"} == {"gluteus_medius", "tensor_fasciae_latae"}


@pytest.mark.parametrize(
    "text, kept",
    [
        ("The glutes are important for speed.", True),
        ("Speed matters, and the glutes are big.", False),
    ],
)
def test_a_role_named_as_a_noun_needs_a_role_cue(claims_of, text, kept):
    assert (("gluteals", "running_role", "speed") in triples(claims_of(text))) is kept


@pytest.mark.parametrize(
    "text",
    [
        "Tight hip flexors limit hip extension.",
        "Bend the knee slowly and feel the hamstrings work.",
        "Focus on the quadriceps as you straighten the leg.",
    ],
)
def test_hindered_or_instructed_movements_are_no_action(claims_of, text):
    assert triples(claims_of(text), "action") == set()


def test_an_injury_listed_among_muscles_is_a_cause_not_an_effect(claims_of):
    claims = claims_of("Groin pain can be caused by the adductors, the hip flexors or a stress fracture.")
    injuries = triples(claims, "injury")
    assert ("hip_adductors", "injury", "groin_pain") in injuries or (
        "hip_adductors",
        "injury",
        "groin_strain",
    ) in injuries
    assert not any(object_id == "stress_fracture" for _, _, object_id in injuries)


def test_a_subordinate_clause_has_its_own_subject(claims_of):
    claims = claims_of(
        "The hamstrings are busy late in the stride.",
        "They bend the knee as the calf muscles push off.",
    )
    assert ("calves", "running_role", "propulsion") in triples(claims)
    assert ("hamstrings", "running_role", "propulsion") not in triples(claims)
    assert ("hamstrings", "action", "knee_flexion") in triples(claims)


def test_a_coordinated_clause_has_its_own_subject(claims_of):
    claims = claims_of(
        "The calf muscles lie behind the shin bone, and the tibialis anterior serves as its chief ankle flexor."
    )
    assert {c.muscle_id for c in claims if c.object_id == "ankle_dorsiflexion"} == {"tibialis_anterior"}


def test_a_list_of_muscles_with_an_oxford_comma_is_one_subject(claims_of):
    claims = claims_of("The gluteus maximus, and the hamstrings extend the hip.")
    assert {c.muscle_id for c in claims if c.object_id == "hip_extension"} == {"gluteus_maximus", "hamstrings"}


def test_a_group_renamed_by_its_member_is_not_a_second_subject(claims_of):
    claims = claims_of("A deep hip flexor muscle, the iliacus, draws the thigh up.")
    assert {c.muscle_id for c in claims if c.relation == "action"} == {"iliacus"}


def test_under_an_exercise_item_this_is_the_exercise(claims_of):
    claims = claims_of(
        "The hamstrings and glutes drive the hip.",
        ("list_item", "Single-Leg Calf Raise"),
        "It is great for calf strength and for balance on trails.",
    )
    assert ("calves", "exercise", "calf_raise") in triples(claims)
    assert not {c for c in claims if c.relation == "running_role" and c.muscle_id in ("hamstrings", "gluteals")}


def test_a_muscle_opening_a_known_exercise_name_makes_a_longer_candidate(claims_of):
    claims = claims_of(
        "Here are two exercises to strengthen your soleus.",
        ("heading", "Soleus Wall Sit"),
        "Glute bridges work the hamstrings.",
    )
    assert ("soleus", "exercise", "soleus_wall_sit") in triples(claims)
    assert [c.candidate for c in claims if c.object_id == "soleus_wall_sit"] == [True]
    assert ("hamstrings", "exercise", "glute_bridge") in triples(claims)  # the muscle word inside a known name


def test_while_opens_a_clause_whose_exercises_are_its_own(claims_of):
    claims = claims_of("Squats build the quadriceps, while hamstring curls are best for the hamstrings.")
    assert triples(claims, "exercise") == {
        ("quadriceps", "exercise", "squat"),
        ("hamstrings", "exercise", "hamstring_curl"),
    }


def test_injuries_listed_after_one_that_names_a_structure_keep_their_subject(claims_of):
    claims = claims_of(
        "Sitting all day leaves you with weak gluteus muscles.",
        "This can cause lower-back pain, hip-flexor pain, iliotibial band syndrome and knee pain.",
    )
    assert {o for m, _, o in triples(claims, "injury") if m == "gluteals"} == {
        "knee_pain",
        "it_band_syndrome",
        "hip_flexor_pain",
        "lower_back_pain",
    }


def test_a_role_named_by_an_agent_noun_needs_no_link(claims_of):
    claims = claims_of("The gluteus medius works mainly as a hip abductor and pelvic stabiliser in stance.")
    assert ("gluteus_medius", "running_role", "pelvic_stability") in triples(claims)


def test_an_anaphor_after_a_parenthetical_still_opens_its_clause(claims_of):
    claims = claims_of(
        "The soleus sits under the gastrocnemius, but in stance (when you balance on one foot) it acts as a brake."
    )
    assert ("soleus", "running_role", "deceleration") in triples(claims)


def test_a_muscle_and_its_verb_are_no_candidate_name(claims_of):
    assert [c for c in claims_of("The soleus sits under the gastrocnemius and works hard uphill.") if c.candidate] == []


def test_then_opens_a_clause_with_a_subject_of_its_own(claims_of):
    claims = claims_of("The calf muscles stretch on landing, then as the foot rolls forward the soleus propels you.")
    assert {m for m, _, o in triples(claims, "running_role") if o == "propulsion"} == {"soleus"}


def test_a_role_given_to_you_is_still_the_muscles(claims_of):
    assert ("hamstrings", "running_role", "endurance") in triples(
        claims_of("Strong hamstrings give you more endurance.")
    )
    assert triples(claims_of("Focus on the quadriceps as you straighten the leg."), "action") == set()


@pytest.mark.parametrize(
    "text, action",
    [
        ("The tibialis posterior is the main dynamic stabiliser of the medial arch.", "arch_support"),
        ("The pelvic floor acts as a sling for the pelvic organs.", "pelvic_organ_support"),
    ],
)
def test_supporting_roles_named_as_nouns(claims_of, text, action):
    assert action in {o for _, r, o in triples(claims_of(text)) if r == "action"}


def test_a_named_exercise_item_works_the_muscle_in_its_name(claims_of):
    claims = claims_of(
        "Try these simple stretches after a run:", ("list_item", "Gastroc wall stretch"), "Lean on a wall."
    )
    assert ("gastrocnemius", "stretch", "gastroc_wall_stretch") in triples(claims)


def test_members_in_brackets_share_their_groups_clause(claims_of):
    claims = claims_of("A stiff calf group (soleus + gastroc) and tibialis posterior can lead to plantar fasciitis.")
    assert {m for m, _, _ in triples(claims, "injury")} == {"calves", "gastrocnemius", "soleus", "tibialis_posterior"}


def test_this_movement_refers_to_the_muscle_that_makes_it(claims_of):
    claims = claims_of("The calf muscles point the foot downward.", "This movement is what drives the push-off.")
    assert ("calves", "running_role", "propulsion") in triples(claims)


def test_an_injury_named_for_a_muscle_group_is_that_groups(claims_of):
    claims = claims_of("A groin pull is the adductor injury runners meet most.")
    assert triples(claims, "injury") == {("hip_adductors", "injury", "groin_strain")}


def test_an_anaphor_after_an_opening_phrase_and_this_tendon(claims_of):
    claims = claims_of("The hamstrings sit behind the thigh.", "In most runners, they extend the hip.")
    assert ("hamstrings", "action", "hip_extension") in triples(claims)
    claims = claims_of(
        "The tibialis posterior runs down the shin.", "Put plainly, this tendon lifts the arch of the foot."
    )
    assert triples(claims, "action") == set()


def test_a_muscle_that_helps_you_move_makes_the_movement(claims_of):
    claims = claims_of("The flexor hallucis longus helps you push off the ground.")
    assert ("flexor_hallucis_longus", "running_role", "propulsion") in triples(claims)


def test_a_verb_or_one_session_opens_no_exercise_list(claims_of):
    claims = claims_of(
        "Hill repeats give the hamstrings and glutes a bonus workout.",
        ("heading", "Step-Ups"),
        "Step onto a box and stand tall.",
    )
    assert triples(claims, "exercise") == set()


def test_a_lead_in_that_counts_exercises_opens_a_list(claims_of):
    claims = claims_of(
        "Try these three moves to strengthen the glutes.", ("list_item", "Step-ups"), "Step up and down."
    )
    assert ("gluteals", "exercise", "step_up") in triples(claims)


def test_a_heading_that_refers_back_keeps_its_muscles(claims_of):
    claims = claims_of(
        "The peroneals run down the outside of the lower leg.",
        ("heading", "What do they do?"),
        "They evert the foot.",
    )
    assert ("fibularis_group", "action", "foot_eversion") in triples(claims)


def test_a_muscles_full_name_and_a_verb_in_s_are_no_candidate(claims_of):
    claims = claims_of("The gluteus medius sits higher on the pelvis. It abducts the hip.")
    assert triples(claims) == {("gluteus_medius", "action", "hip_abduction")}


def test_text_under_an_exercise_item_needs_no_pointer_and_negation_counts_before_the_muscle(claims_of):
    claims = claims_of(
        ("list_item", "Clamshell"),
        "A gentle way to isolate the gluteus medius, so don't rush it.",
    )
    assert ("gluteus_medius", "exercise", "clamshell") in triples(claims)


def test_as_well_as_joins_subjects_and_a_long_phrase_before_a_colon_is_no_label(claims_of):
    claims = claims_of("Step-ups train the quads as well as the glutes.")
    assert {m for m, _, _ in triples(claims, "exercise")} == {"quadriceps", "gluteals"}
    claims = claims_of("The inner thigh is home to the adductor group: the adductor magnus also extends the hip.")
    assert {m for m, _, o in triples(claims, "action")} == {"adductor_magnus"}
