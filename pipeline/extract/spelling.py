"""Edit-distance-1 spelling recovery against the lexicon's vocabulary.

A delete index (every word and each of its one-letter deletions) finds the candidates of a
token in a few dictionary lookups; a real Levenshtein check then confirms distance 1. This
covers a substituted, inserted or dropped letter: quadraceps, branchii, poroneal, fexors.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

# Words shorter than this are never corrected: short words sit one edit from many others
# ("tfl" -> "the"), and abbreviations must match exactly.
MIN_FUZZY_LENGTH = 6

# A single corrected word only counts as a muscle if the word itself is rare in English
# (wordfreq Zipf < 1.5, about one use per 30 million words). That keeps real words such as
# "valves" and "halves" (Zipf ~3.5, one edit from "calves") from being read as muscles while
# misspellings such as "quadraceps" (Zipf 0) still resolve. Inside a multi-word name
# ("gluteus medium") the other words are context enough and the check is skipped.
MAX_ZIPF_SINGLE_WORD = 1.5


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def levenshtein_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


class SpellingIndex:
    """Corrects a word to the one lexicon word at edit distance 1, if there is exactly one."""

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self._index: dict[str, set[str]] = defaultdict(set)
        for word in vocabulary:
            if len(word) >= MIN_FUZZY_LENGTH:
                self._index[word].add(word)
                for deleted in _deletes(word):
                    self._index[deleted].add(word)
        self._cache: dict[str, str | None] = {}

    def correct(self, word: str) -> str | None:
        """The unique vocabulary word one edit away from `word` (lower-case), or None."""
        if word in self._cache:
            return self._cache[word]
        result = None
        if len(word) >= MIN_FUZZY_LENGTH and word.isalpha() and word not in self.vocabulary:
            candidates = set(self._index.get(word, ()))
            for deleted in _deletes(word):
                candidates |= self._index.get(deleted, set())
            confirmed = {c for c in candidates if levenshtein_at_most_one(word, c)}
            # Two equally close words ("aductor": abductor or adductor?) is a guess; make none.
            result = confirmed.pop() if len(confirmed) == 1 else None
        self._cache[word] = result
        return result


@lru_cache(maxsize=4096)
def is_rare_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") < MAX_ZIPF_SINGLE_WORD
