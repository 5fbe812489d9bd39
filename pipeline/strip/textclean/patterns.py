"""Fast first-match search over the named boilerplate patterns.

Every block is tried against every pattern, in file order, so the search has to be cheap for
the common case, a block that no pattern matches. Two things make it so:

- case-insensitive patterns run without re.IGNORECASE on the lower-cased text, which lets the
  regex engine skip ahead to a literal first character;
- each pattern gets the literal words any match must contain (worked out from its parsed
  form), and a block holding none of them is not searched at all: `"commission" in text` costs
  a small fraction of a regex search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

try:  # the regex parser the re module compiles with
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

from pipeline.records import REMOVAL_REASONS
from pipeline.strip.pattern_file import BoilerplatePattern, load_boilerplate_patterns

# An upper-case letter in a pattern that is not part of an escape such as \S or \W.
UPPER_OUTSIDE_ESCAPES = re.compile(r"(?<!\\)[A-Z]")


@dataclass(frozen=True)
class _Compiled:
    pattern: BoilerplatePattern
    regex: re.Pattern[str]
    on_lower: bool
    needles: tuple[str, ...] | None  # one of these is in every match; None when unknown


class PatternMatcher:
    def __init__(self, patterns: tuple[BoilerplatePattern, ...]) -> None:
        compiled = [_compile(p) for p in patterns]
        longest = max((p.max_words for p in patterns), default=0)
        # Each pattern as (pattern, search, on lower-cased text, search for any of its needles or
        # None), made once: the rows below share them.
        entries = [(c.pattern, c.regex.search, c.on_lower, _any_of(c.needles)) for c in compiled]
        # The patterns a block of n words can match, for every n up to the largest max_words.
        self.by_words = [[e for e in entries if e[0].max_words >= n] for n in range(longest + 1)]

    def first(self, text: str, n_words: int) -> BoilerplatePattern | None:
        """The first pattern, in file order, that matches the text."""
        if n_words >= len(self.by_words):
            return None
        lower = text.lower()
        for pattern, search, on_lower, needle_search in self.by_words[n_words]:
            subject = lower if on_lower else text
            if (needle_search is None or needle_search(subject)) and search(subject):
                return pattern
        return None


def _any_of(needles: tuple[str, ...] | None):
    """One search for any of the literal needles: a single C call instead of one per needle."""
    if needles is None:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))).search


@lru_cache(maxsize=1)
def default_patterns() -> tuple[BoilerplatePattern, ...]:
    return tuple(load_boilerplate_patterns(labels=tuple(REMOVAL_REASONS)))


@lru_cache(maxsize=4)
def matcher(patterns: tuple[BoilerplatePattern, ...]) -> PatternMatcher:
    return PatternMatcher(patterns)


def _compile(pattern: BoilerplatePattern) -> _Compiled:
    source = pattern.regex.pattern
    on_lower = bool(pattern.regex.flags & re.IGNORECASE) and not UPPER_OUTSIDE_ESCAPES.search(source)
    regex = re.compile(source) if on_lower else pattern.regex
    needles = None
    if on_lower or not pattern.regex.flags & re.IGNORECASE:
        found = _required(sre_parse.parse(source))
        needles = tuple(sorted(found)) if found else None
    return _Compiled(pattern, regex, on_lower, needles)


def _required(items) -> set[str] | None:
    """Literal strings one of which every match of this parsed sequence contains, or None."""
    best: set[str] | None = None
    run: list[str] = []
    candidates: list[set[str]] = []
    for op, av in list(items) + [(None, None)]:
        if op is sre_parse.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append({"".join(run)})
        run = []
        inner = _required_of_item(op, av)
        if inner:
            candidates.append(inner)
    for candidate in candidates:
        if best is None or min(map(len, candidate)) > min(map(len, best)):
            best = candidate
    return best


def _required_of_item(op, av) -> set[str] | None:
    if op is sre_parse.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _required(sub)
    if op is sre_parse.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _required(branch)
            if not found:
                return None
            union |= found
        return union
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
        low, _high, sub = av
        return _required(sub) if low >= 1 else None
    return None
