"""Spelling recovery: one edit, a few edits in a long Latin name, a word glued to the next."""

from __future__ import annotations

import pytest

from pipeline.extract.spelling import SpellingIndex, edit_distance, is_rare_word, levenshtein_at_most_one

VOCABULARY = frozenset({"quadriceps", "brachii", "peroneal", "flexors", "abductor", "adductor", "calves", "the"})
LATIN = frozenset(
    {
        "semitendinosus",
        "semimembranosus",
        "semispinalis",
        "dorsiflexors",
        "plantarflexors",
        "medius",
        "soleus",
        "shoulder",
    }
)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("quadraceps", "quadriceps", True),
        ("fexors", "flexors", True),
        ("brachii", "branchii", True),
        ("abc", "cba", False),
        ("flexor", "flexors", True),
        ("flex", "flexors", False),
        ("adudctor", "adductor", True),  # two neighbouring letters swapped
        ("aucddtor", "adductor", False),  # letters further apart: more edits
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


def test_common_words_are_never_targets():
    index = SpellingIndex(frozenset({"around", "internal", "medius"}))
    assert index.correct("ground") is None and index.correct("interval") is None
    assert index.correct("medium") == "medius"


def test_short_words_known_words_and_ties_are_never_corrected():
    index = SpellingIndex(VOCABULARY)
    assert index.correct("tfl") is None  # short: one edit from "the"
    assert index.correct("calves") is None  # already a vocabulary word
    assert index.correct("aductor") is None  # abductor or adductor: a tie is a guess
    assert index.correct("quadrxxeps") is None  # two edits


def test_common_english_words_are_not_rare():
    assert not is_rare_word("valves")
    assert is_rare_word("quadraceps")


@pytest.mark.parametrize(
    "a, b, limit, expected",
    [
        ("semimbrnosus", "semimembranosus", 5, 3),
        ("semitendinonosus", "semitendinosus", 5, 2),
        ("abcdef", "uvwxyz", 2, 3),
    ],
)
def test_edit_distance_is_bounded(a, b, limit, expected):
    assert edit_distance(a, b, limit) == expected


def test_a_swap_of_neighbouring_letters_is_one_edit():
    assert SpellingIndex(VOCABULARY).correction("adudctor") == ("adductor", "edit distance 1")


@pytest.mark.parametrize(
    "typo, fixed, how",
    [
        ("semitendinonosus", "semitendinosus", "edit distance 2"),  # a doubled syllable
        ("semimembrosus", "semimembranosus", "edit distance 2"),  # a lost syllable
        ("semimbrnosus", "semimembranosus", "edit distance 3"),  # three letters lost
    ],
)
def test_long_latin_names_take_a_few_edits(typo, fixed, how):
    assert SpellingIndex(LATIN).correction(typo) == (fixed, how)


def test_long_words_with_other_endings_or_too_many_edits_are_left_alone():
    index = SpellingIndex(LATIN)
    assert index.correct("dorsiflexion") is None  # a movement, not the dorsiflexors
    assert index.correct("plantarflexion") is None
    assert index.correct("semixxxxxxxxosus") is None  # too far from any name


@pytest.mark.parametrize("glued, head", [("mediuswhich", "medius"), ("soleusthe", "soleus")])
def test_a_lexicon_word_glued_to_a_common_word_is_split(glued, head):
    assert SpellingIndex(LATIN).correction(glued) == (head, f"glued to '{glued[len(head) :]}'")


def test_suffixes_rare_tails_and_common_heads_are_not_glued_words():
    index = SpellingIndex(LATIN)
    assert index.correct("soleused") is None  # "-ed" is a suffix, not a word
    assert index.correct("shoulderthe") is None  # only rare lexicon words are corrected towards
    assert index.correct("medius") is None  # already a word of the vocabulary
    assert index.correct("mediusqxz") is None  # the tail is no English word
