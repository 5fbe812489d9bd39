from __future__ import annotations

import json

import pytest

from pipeline.common.rules import PatternError, could_match, required_words
from pipeline.records import REMOVAL_REASONS
from pipeline.strip.pattern_file import load_boilerplate_patterns


def test_shipped_patterns_load_with_known_labels():
    patterns = load_boilerplate_patterns(labels=tuple(REMOVAL_REASONS))
    assert len(patterns) >= 25
    assert len({p.id for p in patterns}) == len(patterns)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "x", "label": "nav"}', "missing key 'pattern'"),
        ('{"id": "x", "label": "nav", "pattern": "(", "max_words": 3}', "does not compile"),
        ('{"id": "x", "label": "nav", "pattern": "a", "colour": "red"}', "unknown key 'colour'"),
        ('{"id": "x", "label": "nav", "pattern": "a", "max_words": "3"}', "'max_words' must be an integer"),
        ('{"id": "x", "label": "weather", "pattern": "a"}', "unknown label 'weather'"),
    ],
)
def test_bad_pattern_files_fail_with_file_and_line(tmp_path, line, message):
    path = tmp_path / "patterns.jsonl"
    good = json.dumps({"id": "ok", "label": "nav", "pattern": "^menu$"})
    path.write_text(good + "\n" + line + "\n")
    with pytest.raises(PatternError, match=message) as info:
        load_boilerplate_patterns(path, labels=tuple(REMOVAL_REASONS))
    assert "patterns.jsonl" in str(info.value)


def test_duplicate_ids_are_rejected(tmp_path):
    path = tmp_path / "patterns.jsonl"
    row = json.dumps({"id": "same", "label": "nav", "pattern": "a"})
    path.write_text(row + "\n" + row + "\n")
    with pytest.raises(PatternError, match="duplicate ids"):
        load_boilerplate_patterns(path)


def test_required_words_skip_optional_and_negated_tokens():
    pattern = [
        {"LOWER": {"IN": ["Lift", "raise"]}},
        {"LOWER": "your", "OP": "?"},
        {"LOWER": "not", "OP": "!"},
        {"LOWER": {"NOT_IN": ["arm"]}},
        {"ORTH": "Knees"},
    ]
    assert required_words(pattern) == [frozenset({"lift", "raise"}), frozenset({"knees"})]


def test_could_match_needs_every_required_word_of_one_pattern():
    required = [[frozenset({"lift", "raise"}), frozenset({"knees"})], [frozenset({"calf"})]]
    assert could_match(required, {"raise", "your", "knees"})
    assert could_match(required, {"calf"})
    assert not could_match(required, {"raise", "your", "legs"})
    assert not could_match([], {"anything"})
