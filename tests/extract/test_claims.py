"""Claim extraction: every relation, every attribution case, hedging and negation."""

from __future__ import annotations

import pytest

from pipeline.common.rules import PatternError
from pipeline.extract.claims import ClaimExtractor, Cues, extract_claims
from pipeline.extract.lexicon import cached_lexicon
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, recognise_document
from pipeline.extract.vocabulary import cached_vocabulary
from pipeline.records import Block


@pytest.fixture(scope="module")
def muscle_nlp():
    return build_muscle_nlp(cached_lexicon())


@pytest.fixture(scope="module")
def extractor():
    return ClaimExtractor(cached_lexicon(), cached_vocabulary())


@pytest.fixture(scope="module")
def claims_of(muscle_nlp, extractor):
    """Claims of a document given as (kind, text) blocks (or bare strings for paragraphs)."""

    def run(*items, kept: bool = True):
        blocks = []
        for i, item in enumerate(items):
            kind, text = item if isinstance(item, tuple) else ("paragraph", item)
            blocks.append(Block("doc", i, kind, text, kept=kept))
        mentions = recognise_document(muscle_nlp, cached_lexicon(), blocks, RecognitionStats())
        return extractor.document(blocks, mentions)[0]

    return run


def triples(claims):
    return {(c.muscle_id, c.relation, c.object_id) for c in claims}


# --------------------------------------------------------------------------- relations


def test_action_claims_from_anatomical_terms_and_lay_phrasing(claims_of):
    claims = claims_of(
        "The quadriceps straighten the leg at the knee. The hamstrings are responsible for knee flexion."
    )
    assert triples(claims) == {
        ("quadriceps", "action", "knee_extension"),
        ("hamstrings", "action", "knee_flexion"),
    }


def test_running_role_claims(claims_of):
    assert triples(claims_of("When running, your calves act as shock absorbers and help propel you forward.")) == {
        ("calves", "running_role", "shock_absorption"),
        ("calves", "running_role", "propulsion"),
    }


def test_exercise_claims_need_a_link_to_the_muscle(claims_of):
    assert triples(claims_of("Sumo squats and step-ups target the glutes.")) == {
        ("gluteals", "exercise", "sumo_squat"),
        ("gluteals", "exercise", "step_up"),
    }
    assert claims_of("After squats, my glutes felt fine.") == []


def test_stretch_claims(claims_of):
    assert triples(claims_of("The pigeon pose helps stretch tight hip flexors.")) == {
        ("hip_flexors", "stretch", "pigeon_pose")
    }


def test_injury_claims_need_weakness_tightness_or_overuse(claims_of):
    claims = claims_of("A tight TFL can lead to runner's knee. The TFL sits near the hip, far from shin splints.")
    assert triples(claims) == {("tensor_fasciae_latae", "injury", "patellofemoral_pain_syndrome")}


def test_an_injury_that_names_its_muscle_is_about_that_muscle(claims_of):
    claims = claims_of("Hamstring strains become a threat when the muscles cannot absorb the load from the quadriceps.")
    assert ("hamstrings", "injury", "hamstring_strain") in triples(claims)
    assert ("quadriceps", "injury", "hamstring_strain") not in triples(claims)


def test_member_claims_are_checked_against_the_lexicon(claims_of):
    claims = claims_of(
        "The quads, consisting of the vastus medialis, vastus lateralis and the soleus, extend the knee."
    )
    members = {c.object_id for c in claims if c.relation == "member"}
    assert members == {"vastus_medialis", "vastus_lateralis"}


# --------------------------------------------------------------------------- attribution


def test_two_clauses_about_two_muscles(claims_of):
    claims = claims_of(
        "Your hamstrings help with pushing off, while your calves help with lifting your heel and providing balance."
    )
    assert triples(claims) == {
        ("hamstrings", "running_role", "propulsion"),
        ("calves", "action", "ankle_plantarflexion"),
        ("calves", "running_role", "balance"),
    }


def test_a_heading_sets_the_topic_for_they_and_this_muscle(claims_of):
    claims = claims_of(
        ("heading", "The Soleus"),
        "It is responsible for plantar flexion of the foot.",
        ("heading", "Hip Flexors"),
        "They lift your knees with every stride.",
    )
    assert triples(claims) == {
        ("soleus", "action", "ankle_plantarflexion"),
        ("hip_flexors", "action", "hip_flexion"),
        ("hip_flexors", "running_role", "knee_lift"),
    }
    assert {c.rule_id for c in claims} == {"anaphor_discourse_topic"}


def test_without_a_heading_the_paragraph_names_the_topic(claims_of):
    claims = claims_of("The gastrocnemius is the larger calf muscle. It helps with plantar flexion.")
    assert triples(claims) == {("gastrocnemius", "action", "ankle_plantarflexion")}
    assert claims[0].rule_id == "anaphor_paragraph_topic"


def test_it_does_not_refer_to_a_group_and_empty_it_is_ignored(claims_of):
    assert claims_of(("heading", "Hamstrings"), "It is important to note that balance matters.") == []


def test_exercise_lists_under_the_exercises_you_need(claims_of):
    claims = claims_of(
        ("heading", "The Calves"),
        "Weak calves can lead to calf strains.",
        ("heading", "Downsides of Weakness"),
        "Weakness causes trouble.",
        ("heading", "The Exercises You Need"),
        ("list_item", "Heel drops: lower slowly off a step."),
        ("list_item", "Jump rope: a fun classic."),
        ("heading", "Other Notes"),
    )
    assert triples(claims) == {
        ("calves", "injury", "calf_strain"),
        ("calves", "exercise", "heel_drop"),
        ("calves", "exercise", "jump_rope"),
    }


def test_definition_list_items_are_about_their_label(claims_of):
    claims = claims_of(
        ("list_item", "Quadriceps: The mighty front thigh muscles that power your knee extension."),
        ("list_item", "Tibialis Anterior: The muscle along your shin that aids in ankle dorsiflexion."),
    )
    assert triples(claims) == {
        ("quadriceps", "action", "knee_extension"),
        ("tibialis_anterior", "action", "ankle_dorsiflexion"),
    }
    assert {c.rule_id for c in claims} == {"definition_label"}


def test_a_flattened_table_is_split_into_stretches_and_exercises(claims_of):
    claims = claims_of(
        ("table_row", "Hip Flexor StretchesHip Flexor Exercises"),
        ("table_row", "Kneeling hip flexor stretchLeg raises"),
        ("table_row", "Pigeon poseMountain climbers"),
    )
    assert triples(claims) == {
        ("hip_flexors", "stretch", "kneeling_hip_flexor_stretch"),
        ("hip_flexors", "exercise", "leg_raise"),
        ("hip_flexors", "stretch", "pigeon_pose"),
        ("hip_flexors", "exercise", "mountain_climber"),
    }
    assert {c.sentence for c in claims} == {
        "Kneeling hip flexor stretch",
        "Leg raises",
        "Pigeon pose",
        "Mountain climbers",
    }


def test_this_exercise_refers_to_the_previous_sentence(claims_of):
    claims = claims_of("Grab a band for some clamshells. This exercise targets your gluteus medius.")
    assert triples(claims) == {("gluteus_medius", "exercise", "clamshell")}


def test_a_member_list_under_its_group_heading(claims_of):
    claims = claims_of(
        ("heading", "Calf Muscles"),
        ("list_item", "The gastrocnemius"),
        ("list_item", "The soleus"),
        ("list_item", "The semitendinosus"),
    )
    assert triples(claims) == {("calves", "member", "gastrocnemius"), ("calves", "member", "soleus")}


# --------------------------------------------------------------------------- hedging, negation, provenance


def test_hedged_claims_are_marked_and_lose_confidence(claims_of):
    (claim,) = claims_of("The glutes may help stabilize the pelvis.")
    assert (claim.modality, claim.relation, claim.object_id) == ("hedged", "running_role", "pelvic_stability")
    assert claim.confidence < 0.85


def test_negated_claims_are_never_emitted(claims_of):
    assert claims_of("The hamstrings do not extend the knee.") == []
    assert claims_of("The biceps never cause shin splints.") == []


def test_not_directly_part_of_a_group_is_no_member_claim(claims_of):
    claims = claims_of(
        ("list_item", "Quadriceps: Although not directly part of the glutes, the quadriceps work with your glutes.")
    )
    assert [c for c in claims if c.relation == "member"] == []


def test_not_only_is_not_a_negation(claims_of):
    assert triples(claims_of("Not only do hamstrings provide forward propulsion, they also help balance.")) >= {
        ("hamstrings", "running_role", "propulsion")
    }


def test_removed_blocks_give_no_claims_but_faq_content_does(claims_of):
    assert claims_of("Squats target the glutes.", kept=False) == []
    claims = claims_of(("heading", "Frequently Asked Questions"), "Squats and lunges strengthen your glutes.")
    assert triples(claims) == {("gluteals", "exercise", "squat"), ("gluteals", "exercise", "lunge")}


def test_provenance_points_at_the_sentence(muscle_nlp, extractor):
    block = Block(
        "doc", 4, "paragraph", "Run easy. Lunges target the quads.", section_path=["Legs"], line_start=9, line_end=9
    )
    mentions = recognise_document(muscle_nlp, cached_lexicon(), [block], RecognitionStats())
    (claim,) = extract_claims([block], mentions, extractor)[0]
    assert block.text[claim.char_start : claim.char_end] == claim.sentence == "Lunges target the quads."
    assert (claim.block_idx, claim.section_path, claim.line_start, claim.rule_id) == (4, ["Legs"], 9, "exercise_target")
    assert len(claim.claim_id) == 16


def test_bad_cue_files_are_rejected(tmp_path):
    path = tmp_path / "cues.jsonl"
    path.write_text('{"id": "x", "label": "hedge", "pattern": "(unclosed"}\n')
    with pytest.raises(PatternError, match="cues.jsonl: cue 'x' does not compile"):
        Cues(path)


def test_the_muscle_pipelines_object_components_alone_read_a_table_as_the_object_pipeline_does(muscle_nlp):
    from pipeline.extract.objects import ObjectsOnly, add_object_pipes

    shared = add_object_pipes(build_muscle_nlp(cached_lexicon()), cached_vocabulary())
    rows = [
        Block("t", i, "table_row", text, kept=True)
        for i, text in enumerate(["Hip Flexor StretchesHip Flexor Exercises", "Pigeon poseMountain climbers"])
    ]
    mentions = recognise_document(muscle_nlp, cached_lexicon(), rows, RecognitionStats())
    alone = ClaimExtractor(cached_lexicon(), cached_vocabulary())  # builds its own object pipeline
    sharing = ClaimExtractor(cached_lexicon(), cached_vocabulary(), nlp=ObjectsOnly(shared))
    claims, _ = sharing.document(rows, mentions)
    assert claims == alone.document(rows, mentions)[0]
    assert {c.object_id for c in claims} == {"pigeon_pose", "mountain_climber"}
    with pytest.raises(ValueError, match="claim-object components"):
        ObjectsOnly(muscle_nlp)  # a muscle pipeline without them
