"""Region words that name muscles only as items of a list of muscles.

"Deadlifts strengthen the quads, calves and back." and "Your lats, biceps and shoulders are ..." use
"back" and "shoulders" for the back and shoulder muscles; "lie on your back" does not. A
lexicon entry's `list_forms` are read as the entry only where the text lists them among muscles:

- between two muscles: "the glutes, back and hamstrings";
- last, after at least MIN_MUSCLES_BEFORE muscles, and followed by the end of the clause or by a
  verb that a list of subjects takes ("... and shoulders are"), never by a noun that the region
  word modifies ("... and back pain") or by a particle ("... and back off").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from spacy.tokens import Doc

from pipeline.extract.lexicon import Lexicon

SEPARATORS = frozenset({",", "and", "or", "&"})
# Two muscles before the region word make a list; one ("calves and back") could be two phrases.
MIN_MUSCLES_BEFORE = 2
# Words after the last item that show the list was the subject of a clause. Kept to verbs that
# are not also nouns after a region word ("back support", "shoulder press" are not here).
CLAUSE_VERBS = frozenset(
    {"are", "were", "is", "help", "helps", "work", "works", "all", "also", "will", "can", "play", "keep", "get"}
)
CLAUSE_ENDS = frozenset({".", ",", ";", ":", "!", "?", ")", "—", "–"})


class Located(Protocol):
    start: int
    end: int
    muscle_id: str


def list_items(doc: Doc, mentions: Sequence[Located], lexicon: Lexicon) -> list[tuple[int, int, str, str]]:
    """(start, end, muscle id, note) for each region word the text lists among muscles."""
    forms = lexicon.list_forms
    if not forms or len(mentions) < MIN_MUSCLES_BEFORE:
        return []
    text = doc.user_data.get("text") or doc.text
    muscles = [m for m in mentions if lexicon[m.muscle_id].kind != "structure"]
    ending_at = {m.end: m for m in muscles}
    starting_at = {m.start: m for m in muscles}
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    # A regex over the text finds the few candidate words; walking every token costs far more.
    for match in _pattern(frozenset(forms)).finditer(text):
        span = doc.char_span(match.start(), match.end())
        if span is None or taken.intersection(range(span.start, span.end)):
            continue
        i, end = span.start, span.end
        before = _muscles_before(doc, i, ending_at)
        between = before >= 1 and _muscle_after(doc, end, starting_at)
        last = before >= MIN_MUSCLES_BEFORE and _clause_goes_on(doc, end)
        if between or last:
            muscle_id = forms[" ".join(match.group().lower().split())]
            found.append((i, end, muscle_id, f"'{span.text}' listed among muscles"))
            taken.update(range(i, end))
    return found


@lru_cache(maxsize=8)
def _pattern(forms: frozenset[str]) -> re.Pattern[str]:
    """Longest forms first, so that "upper back" wins over "back"."""
    alternatives = (r"\s+".join(map(re.escape, f.split())) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?i)\b(?:" + "|".join(alternatives) + r")\b")


def _muscles_before(doc: Doc, i: int, ending_at: dict[int, Located]) -> int:
    """How many muscles the list running leftwards from token i holds."""
    count = 0
    while True:
        j = i
        while j > 0 and doc[j - 1].lower_ in SEPARATORS:
            j -= 1
        if j == i or j not in ending_at:
            return count
        count += 1
        i = ending_at[j].start


def _muscle_after(doc: Doc, end: int, starting_at: dict[int, Located]) -> bool:
    j = end
    while j < len(doc) and doc[j].lower_ in SEPARATORS:
        j += 1
    return j > end and j in starting_at


def _clause_goes_on(doc: Doc, end: int) -> bool:
    return end == len(doc) or doc[end].text in CLAUSE_ENDS or doc[end].lower_ in CLAUSE_VERBS
