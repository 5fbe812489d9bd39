"""Sentence boundaries as character offsets."""

from __future__ import annotations

from pipeline.common.sentences import sentence_of, sentence_span, sentence_starts


def test_sentences_split_at_end_punctuation_before_a_capital():
    text = 'Run hills. Then rest! "Stretch," she said. Why? 3 sets.'
    starts = sentence_starts(text)
    assert [text[s : s + 4] for s in starts] == ["Run ", "Then", '"Str', "Why?", "3 se"]


def test_abbreviations_followed_by_lower_case_do_not_split():
    assert sentence_starts("Train the glutes, e.g. the gluteus medius, twice a week.") == [0]


def test_sentence_of_and_span():
    text = "One. Two words. Three."
    starts = sentence_starts(text)
    assert sentence_of(starts, text.index("words")) == 1
    assert text[slice(*sentence_span(starts, text, text.index("words")))] == "Two words. "
    assert sentence_span(starts, text, len(text) - 1) == (16, len(text))
