"""Keys that tell when two written forms name the same muscle, as OpenRefine's clustering does.

A form is the name as written without its head noun ("TLF Muscles" -> "TLF"). Forms cluster
with a standard name by key collision on a fingerprint (case, punctuation, accents and word
order ignored), then on character n-grams, then by edit distance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pipeline.extract.lexicon import ABBREVIATION_FORMAT, MUSCLE_HEADS, Lexicon
from pipeline.records import FLAG_NONSTANDARD_ABBREVIATION, Mention

# Forms at most this many edits from a standard name cluster with it (OpenRefine's Levenshtein).
MAX_EDIT_DISTANCE = 2
# Why a non-standard form is flagged, in the order they are tested.
NAMING_REASONS = ("nonstandard abbreviation", "misspelling", "spelling variant", "older name", "word order")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def fingerprint(text: str) -> str:
    """OpenRefine's fingerprint key: case, punctuation, accents and word order ignored."""
    words = re.findall(r"[a-z0-9]+", _ascii(text).lower())
    return " ".join(sorted(set(words)))


def ngram_fingerprint(text: str, n: int = 2) -> str:
    """OpenRefine's n-gram fingerprint: the sorted set of character n-grams, spaces removed."""
    letters = re.sub(r"[^a-z0-9]", "", _ascii(text).lower())
    return "".join(sorted({letters[i : i + n] for i in range(max(len(letters) - n + 1, 1))}))


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cluster_method(form: str, standard: Iterable[str]) -> str:
    """How OpenRefine's clustering would join a form to one of the standard forms."""
    standard = list(standard)
    if any(fingerprint(form) == fingerprint(s) for s in standard):
        return "fingerprint"
    # 1-grams for abbreviations (TLF ~ TFL), 2-grams for words.
    n = 1 if len(form) <= 6 and ABBREVIATION_FORMAT.match(form) else 2
    if any(ngram_fingerprint(form, n) == ngram_fingerprint(s, n) for s in standard):
        return "ngram-fingerprint"
    if any(levenshtein(form.lower(), s.lower()) <= MAX_EDIT_DISTANCE for s in standard):
        return "levenshtein"
    return "lexicon"


def base_form(surface: str) -> str:
    """'iliotibial (ITB) muscle' -> 'iliotibial'; 'TLF Muscles' -> 'TLF': the name without its head."""
    text = re.sub(r"\s*\([^)]*\)", "", surface).strip()
    words = text.split()
    while len(words) > 1 and words[-1].lower() in (*MUSCLE_HEADS, "group"):
        words = words[:-1]
    return " ".join(w if ABBREVIATION_FORMAT.match(w) else w.lower() for w in words)


def folded(form: str) -> str:
    """Key that ignores plurals as well: 'Peroneals' and 'peroneal muscle' name one form."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in fingerprint(form).split())


def naming_reason(mention: Mention, lexicon: Lexicon) -> str | None:
    """Why a mention's written form is not the standard name of its entry, or None."""
    if FLAG_NONSTANDARD_ABBREVIATION in mention.flags:
        return "nonstandard abbreviation"
    if mention.match_type == "misspelling":
        return "misspelling"
    if mention.match_type == "variant":
        return "spelling variant"
    entry = lexicon[mention.muscle_id]
    return _written_form_reason(mention.surface, entry.name, tuple(entry.older_names))


# Cached: a build has tens of thousands of mentions but a few hundred distinct written forms.
@lru_cache(maxsize=65536)
def _written_form_reason(surface: str, name: str, older_names: tuple[str, ...]) -> str | None:
    form = base_form(surface)
    if folded(form) in {folded(older) for older in older_names}:
        return "older name"
    if fingerprint(form) == fingerprint(name) and form.lower() != name.lower():
        return "word order"
    return None


def form_key(mention: Mention) -> str:
    """What groups a mention's written form with others of the same naming conflict."""
    form = base_form(mention.surface)
    if FLAG_NONSTANDARD_ABBREVIATION in mention.flags:
        return form.split()[0]
    return folded(form)
