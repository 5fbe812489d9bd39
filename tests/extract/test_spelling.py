"""Edit-distance-1 spelling recovery."""

from __future__ import annotations

import pytest

from pipeline.extract.spelling import SpellingIndex, is_rare_word, levenshtein_at_most_one

VOCABULARY = frozenset({"quadriceps", "brachii", "peroneal", "flexors", "abductor", "adductor", "calves", "the"})


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("quadraceps", "quadriceps", True),
        ("fexors", "flexors", True),
        ("brachii", "branchii", True),
        ("abc", "cba", False),
        ("flexor", "flexors", True),
        ("flex", "flexors", False),
    ],
)
def test_levenshtein_at_most_one(a, b, expected):
    assert levenshtein_at_most_one(a, b) is expected


@pytest.mark.parametrize(
    "typo, fixed",
    [("quadraceps", "quadriceps"), ("branchii", "brachii"), ("poroneal", "peroneal"), ("fexors", "flexors")],
)
def test_one_edit_typos_are_corrected(typo, fixed):
    assert SpellingIndex(VOCABULARY).correct(typo) == fixed


def test_short_words_known_words_and_ties_are_never_corrected():
    index = SpellingIndex(VOCABULARY)
    assert index.correct("tfl") is None  # short: one edit from "the"
    assert index.correct("calves") is None  # already a vocabulary word
    assert index.correct("aductor") is None  # abductor or adductor: a tie is a guess
    assert index.correct("quadrxxeps") is None  # two edits


def test_common_english_words_are_not_rare():
    assert not is_rare_word("valves")
    assert is_rare_word("quadraceps")
