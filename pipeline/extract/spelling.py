"""Spelling recovery against the lexicon's vocabulary.

Three kinds of slip are undone, each only when exactly one lexicon word fits:

- one edit: a substituted, inserted or dropped letter, or two neighbours swapped (quadraceps,
  branchii, poroneal, fexors, gastrocnemuis). A delete index (every word and each of its one-letter
  deletions) finds the candidates in a few dictionary lookups; an edit check confirms them.
- a few edits inside a long Latin name (semitendinonosus, semimembrosus with a syllable lost):
  the word keeps the name's first and last letters and differs by at most a fifth of them.
- a word glued to the next one (gluteuswhich, soleusThe): a lexicon word followed by a common
  English word.
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

# Only lexicon words rarer than this (wordfreq Zipf 4.0, about once per 100,000 words) are
# corrected towards: a slip of "quadriceps" or "medius" is worth undoing, but "ground" read as
# "around" or "interval" as "internal" (words of longer lexicon names) only costs time and
# invites false matches. Common words are rarely the misspelt part of a muscle name.
MAX_ZIPF_TARGET = 4.0

# Long Latin names take more than one edit: a word of at least LONG_WORD_LENGTH letters may be
# up to one edit per LETTERS_PER_EDIT letters of the name away, if it starts and ends with the
# same AFFIX_LENGTH letters and is itself not an English word. The affixes keep apart names that
# differ where it matters ("dorsiflexion" is not "dorsiflexors"); 10 letters and one edit in 5
# recover the doubled and dropped syllables seen in the development set's hamstring names and
# correct nothing in the 60 benchmark news pages.
LONG_WORD_LENGTH = 10
LETTERS_PER_EDIT = 5
AFFIX_LENGTH = 4

# A glued word splits into a lexicon word of at least GLUED_HEAD_LENGTH letters and a tail of at
# least GLUED_TAIL_LENGTH letters that is a common English word (Zipf >= GLUED_TAIL_ZIPF: "will",
# "since", "and"). Shorter heads would split ordinary compounds ("backbone", "calfskin"), shorter
# tails would take suffixes for words ("hamstring-ed").
GLUED_HEAD_LENGTH = 6
GLUED_TAIL_LENGTH = 3
GLUED_TAIL_ZIPF = 4.0


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def levenshtein_at_most_one(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of two neighbouring letters at most."""
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
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        return a[i + 1 :] == b[i + 1 :] or swapped
    return a[i:] == b[i + 1 :]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with neighbour swaps (optimal string alignment), or limit + 1 if above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


class SpellingIndex:
    """Corrects a word to the one lexicon word it is a slip of, if there is exactly one."""

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self._targets = frozenset(w for w in vocabulary if len(w) >= MIN_FUZZY_LENGTH and _zipf(w) < MAX_ZIPF_TARGET)
        self._index: dict[str, set[str]] = defaultdict(set)
        self._by_affixes: dict[tuple[str, str], list[str]] = defaultdict(list)
        for word in sorted(self._targets):
            self._index[word].add(word)
            for deleted in _deletes(word):
                self._index[deleted].add(word)
            if len(word) >= LONG_WORD_LENGTH:
                self._by_affixes[(word[:AFFIX_LENGTH], word[-AFFIX_LENGTH:])].append(word)
        self._cache: dict[str, tuple[str, str] | None] = {}

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` (lower-case) is a slip of, or None."""
        found = self.correction(word)
        return found[0] if found else None

    def correction(self, word: str) -> tuple[str, str] | None:
        """(vocabulary word, how the slip was undone), or None."""
        if word not in self._cache:
            result = None
            if len(word) >= MIN_FUZZY_LENGTH and word.isalpha() and word not in self.vocabulary:
                result = self._one_edit(word) or self._long_word(word) or self._glued(word)
            self._cache[word] = result
        return self._cache[word]

    def how(self, word: str) -> str:
        """How a corrected word's slip was undone ("edit distance 1", "glued to 'will'")."""
        found = self.correction(word)
        return found[1] if found else "not corrected"

    def _one_edit(self, word: str) -> tuple[str, str] | None:
        candidates = set(self._index.get(word, ()))
        for deleted in _deletes(word):
            candidates |= self._index.get(deleted, set())
        confirmed = {c for c in candidates if levenshtein_at_most_one(word, c)}
        # Two equally close words ("aductor": abductor or adductor?) is a guess; make none.
        return (confirmed.pop(), "edit distance 1") if len(confirmed) == 1 else None

    def _long_word(self, word: str) -> tuple[str, str] | None:
        if len(word) < LONG_WORD_LENGTH:
            return None
        candidates = self._by_affixes.get((word[:AFFIX_LENGTH], word[-AFFIX_LENGTH:]), [])
        if not candidates or not is_rare_word(word):
            return None
        scored = []
        for candidate in candidates:
            limit = max(len(word), len(candidate)) // LETTERS_PER_EDIT
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                scored.append((distance, candidate))
        scored.sort()
        if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        distance, best = scored[0]
        return best, f"edit distance {distance}"

    def _glued(self, word: str) -> tuple[str, str] | None:
        splits = [
            (word[:i], word[i:])
            for i in range(GLUED_HEAD_LENGTH, len(word) - GLUED_TAIL_LENGTH + 1)
            if word[:i] in self._targets and _is_common_word(word[i:])
        ]
        if len(splits) != 1:
            return None
        head, tail = splits[0]
        return head, f"glued to '{tail}'"


@lru_cache(maxsize=16384)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def is_rare_word(word: str) -> bool:
    return _zipf(word) < MAX_ZIPF_SINGLE_WORD


def _is_common_word(word: str) -> bool:
    return _zipf(word) >= GLUED_TAIL_ZIPF
