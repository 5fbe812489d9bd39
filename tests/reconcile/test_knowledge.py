from __future__ import annotations

import json
import shutil

import pytest

from pipeline.common.rules import DATA_DIR, PatternError
from pipeline.extract.lexicon import cached_lexicon
from pipeline.extract.vocabulary import cached_vocabulary
from pipeline.reconcile.knowledge import cached_reference, load_reference


@pytest.fixture(scope="module")
def reference():
    return cached_reference()


def judge(reference, *fact):
    return reference.judge(*fact, cached_lexicon())


def test_tensor_fasciae_latae_flexes_abducts_and_internally_rotates_the_hip(reference):
    for action in ("hip_flexion", "hip_abduction", "hip_internal_rotation"):
        assert judge(reference, "tensor_fasciae_latae", "action", action).agreement == "agrees"
    assert judge(reference, "tensor_fasciae_latae", "action", "knee_flexion").agreement == "contradicts"


def test_a_group_action_that_only_some_members_perform_is_partial(reference):
    judgement = judge(reference, "quadriceps", "action", "hip_flexion")
    assert (judgement.agreement, judgement.narrower) == ("partial", ("rectus_femoris",))


def test_exercises_are_judged_by_their_movers_and_helpers(reference):
    assert judge(reference, "hip_flexors", "exercise", "glute_bridge").agreement == "contradicts"
    assert judge(reference, "gluteals", "exercise", "glute_bridge").agreement == "agrees"  # holds the maximus
    assert judge(reference, "vastus_medialis", "exercise", "squat").agreement == "agrees"  # part of the quadriceps
    assert judge(reference, "hip_flexors", "exercise", "leg_raise").agreement == "agrees"  # iliopsoas is one
    assert judge(reference, "hip_flexors", "exercise", "pilates").agreement == "unknown"  # not in the table
    assert judge(reference, "calves", "running_role", "propulsion").agreement == "unknown"


def test_every_row_cites_a_source_with_an_address(reference):
    citations = [c for _, c in reference.actions.values()] + [e.citation for e in reference.exercises.values()]
    assert citations and all(c.source.url.startswith("https://") and c.locator for c in citations)


def test_an_unknown_muscle_is_an_error_naming_the_file(tmp_path):
    for name in ("reference_sources.jsonl", "reference_actions.jsonl", "reference_exercises.jsonl"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    with open(tmp_path / "reference_actions.jsonl", "a") as handle:
        handle.write(
            json.dumps({"muscle": "wing", "actions": ["hip_flexion"], "source": "openstax-ap2e-11.6", "locator": "x"})
            + "\n"
        )
    with pytest.raises(PatternError, match=r"reference_actions.jsonl: 'wing': unknown muscle ids \['wing'\]"):
        load_reference(cached_lexicon(), cached_vocabulary(), tmp_path)
