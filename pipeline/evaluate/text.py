"""Text folding shared by key mapping and object matching.

Annotators write objects in plain words ("runner's knee", "calf raises", "IT-band syndrome")
and the pipeline names them by a canonical label and a list of phrases. Comparing folded forms
lets "runners knee", "runner's knee" and "Runner’s Knee" meet without fuzzy matching, which
would make the scores depend on a threshold instead of on what the pipeline extracted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Curly apostrophes are folded first so the possessive rule sees one character.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# A possessive "'s" ("runner's knee") or a plural possessive's bare apostrophe ("runners' knee").
POSSESSIVE = re.compile(r"'s\b|(?<=s)'(?=\s|$)")
# Everything that is not a letter or digit separates words: hyphens, slashes, quotes, commas.
SEPARATORS = re.compile(r"[^0-9a-z]+")
# Words this short are left alone by plural folding: "abs", "its", "leg" carry no plural to fold
# that matters here, and folding them would only make unrelated short words collide.
MIN_PLURAL_LENGTH = 4
# Latin and Greek endings in "s" that are singular: gluteus, tendinitis, fasciitis, stress.
SINGULAR_S_ENDINGS = ("ss", "us", "is")
# Endings that take "es" in the plural (the inverse of pipeline.extract.lexicon.plural).
ES_STEMS = ("ches", "shes", "xes")


def singular(word: str) -> str:
    """Fold a simple English plural to its singular, as pipeline.extract.lexicon.plural makes them.

    Both sides of every comparison are folded the same way, so the rule needs to be consistent
    rather than grammatical: calves -> calf, injuries -> injury, crunches -> crunch, squats -> squat.
    """
    if len(word) < MIN_PLURAL_LENGTH or not word.endswith("s") or word.endswith(SINGULAR_S_ENDINGS):
        return word
    if word.endswith("lves"):
        return word[:-3] + "f"
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(ES_STEMS):
        return word[:-2]
    return word[:-1]


def normalise(text: str) -> str:
    """Fold case, apostrophes, possessives, punctuation, hyphens and simple plurals.

    "Runner’s Knee" -> "runner knee"; "IT-band syndrome" -> "it band syndrome";
    "single-leg calf raises" -> "single leg calf raise".
    """
    folded = POSSESSIVE.sub("", text.translate(APOSTROPHES).lower())
    return " ".join(singular(word) for word in SEPARATORS.sub(" ", folded).split())


def normalised_set(texts: Iterable[str]) -> frozenset[str]:
    """The folded forms of several texts, empty results left out."""
    return frozenset(form for form in map(normalise, texts) if form)
