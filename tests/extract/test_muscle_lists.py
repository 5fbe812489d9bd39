"""Region words read as muscles only where the text lists them among muscles."""

from __future__ import annotations

import pytest

from pipeline.extract.lexicon import cached_lexicon
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, recognise_document
from pipeline.records import Block


@pytest.fixture(scope="module")
def ids():
    lexicon = cached_lexicon()
    nlp = build_muscle_nlp(lexicon)

    def run(text: str) -> list[tuple[str, str]]:
        mentions = recognise_document(nlp, lexicon, [Block("doc", 0, "paragraph", text)], RecognitionStats())
        return [(m.surface, m.muscle_id) for m in mentions]

    return run


@pytest.mark.parametrize(
    "text, listed",
    [
        ("Deadlifts strengthen the quads, calves and back.", ("back", "back_muscles")),
        ("Your lats, biceps and shoulders are sore after rows.", ("shoulders", "shoulder_muscles")),
        ("Rows work the lats, chest and triceps.", ("chest", "pectorals")),
        ("Runners often have stiff calves, hamstrings and lower back.", ("lower back", "lower_back_muscles")),
    ],
)
def test_a_region_word_among_listed_muscles_names_its_muscles(ids, text, listed):
    found = ids(text)
    assert listed in found
    assert sum(1 for _, muscle_id in found if muscle_id == listed[1]) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Lie on your back and stretch the hamstrings.",
        "Stretch your calves and back off the pace.",  # one muscle, then a particle
        "Weak glutes, tight hamstrings and back pain often go together.",  # the region word modifies a noun
        "The glutes, quads and back of the knee all ache.",  # a place, not the back muscles
        "Hamstrings, calves and shoulders of the road were soaked.",
    ],
)
def test_a_region_word_elsewhere_is_not_a_muscle(ids, text):
    found = {muscle_id for _, muscle_id in ids(text)}
    assert found.isdisjoint({"back_muscles", "shoulder_muscles", "pectorals"})
