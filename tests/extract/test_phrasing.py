from __future__ import annotations

import pytest

from pipeline.extract.phrasing import RuleError, compile_rule, verb_forms


@pytest.mark.parametrize(
    "verb, forms",
    [
        ("push", ["push", "pushes", "pushing", "pushed"]),
        ("raise", ["raise", "raises", "raising", "raised"]),
        ("step", ["step", "steps", "stepping", "stepped"]),
        ("propel", ["propel", "propels", "propelling", "propelled"]),
        ("carry", ["carry", "carries", "carrying", "carried"]),
        ("take", ["take", "takes", "taking", "took", "taken"]),
        ("stabilize", ["stabilize", "stabilizes", "stabilizing", "stabilized"]),
    ],
)
def test_verb_forms(verb, forms):
    assert verb_forms(verb) == forms


def test_a_rule_compiles_to_a_matcher_pattern():
    pattern = compile_rule("keep~ <det>? pelvis|hips level?", {})
    assert pattern[0] == {"LOWER": {"IN": ["keep", "keeps", "keeping", "kept"]}}
    assert pattern[1]["OP"] == "?" and "your" in pattern[1]["LOWER"]["IN"]
    assert pattern[2] == {"LOWER": {"IN": ["pelvis", "hips"]}}
    assert pattern[3] == {"LOWER": "level", "OP": "?"}


def test_classes_expand_and_plurals_are_added():
    pattern = compile_rule("<knee>", {"knee": ["knee+", "kneecap"]})
    assert pattern == [{"LOWER": {"IN": ["knee", "knees", "kneecap"]}}]


def test_bad_rules_say_what_is_wrong():
    with pytest.raises(RuleError, match="unknown word class <shin>"):
        compile_rule("<shin>", {})
    with pytest.raises(RuleError, match="Push"):
        compile_rule("Push off", {})
