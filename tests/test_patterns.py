from __future__ import annotations

import json

import pytest

from pipeline.patterns import PatternError, load_boilerplate_patterns
from pipeline.records import REMOVAL_REASONS


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
        ('{"id": "x", "label": "nav", "pattern": "a", "max_words": "3"}', "'max_words' must be int"),
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
