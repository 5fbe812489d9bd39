"""The muscle lexicon: muscles, muscle groups and non-muscle structures, kept as JSONL data.

Each entry names one thing once (`name`, the canonical name) and lists every way fitness
writing refers to it. This module loads and validates the file and expands it into the terms
the muscle ruler matches: plurals, "X muscle(s)" forms and hyphenated spellings are generated
here, so the data file only holds the facts.

Ontology IDs come from UBERON (CC BY 3.0); `tools/lexicon_ids.py` fills them in from the OBO file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from pipeline.common.ids import short_hash
from pipeline.common.rules import DATA_DIR, PatternError, read_jsonl
from pipeline.records import KINDS

# How a term names its entry; the ruler reports this as the mention's match type.
TERM_EXACT = "exact"  # the canonical name (or its plural)
TERM_SYNONYM = "synonym"  # another accepted name: Latin or older name, lay name, plural
TERM_VARIANT = "variant"  # a spelling variant or common misspelling seen in print
TERM_ABBREVIATION = "abbreviation"  # a standard abbreviation, matched case-sensitively

# Head nouns that turn a modifier ("gluteal", "calf", "core") into a name of muscles.
MUSCLE_HEADS = ("muscle", "muscles")

ID_FORMAT = re.compile(r"^[a-z][a-z0-9_]*$")
UBERON_FORMAT = re.compile(r"^UBERON:\d{7}$")
FMA_FORMAT = re.compile(r"^FMA:\d+$")
# An abbreviation has at least two capitals ("TFL", "GMed", "TrA"); anything else is a word.
ABBREVIATION_FORMAT = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z]{2,6}$")


class LexiconError(PatternError):
    """A lexicon file that does not validate."""


@dataclass(frozen=True)
class LexiconEntry:
    id: str
    name: str
    kind: str
    region: str
    synonyms: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    context_abbreviations: tuple[str, ...] = ()
    modifier_forms: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    older_names: tuple[str, ...] = ()  # synonyms that are superseded terminology ("peroneals")
    uberon_id: str | None = None
    fma_id: str | None = None
    uberon_label: str | None = None
    note: str | None = None

    @property
    def standard_abbreviations(self) -> tuple[str, ...]:
        return self.abbreviations + self.context_abbreviations


@dataclass(frozen=True)
class Term:
    """One surface form the ruler matches, and what it names."""

    text: str
    muscle_id: str
    match_type: str
    case_sensitive: bool = False

    @property
    def key(self) -> tuple[str, bool]:
        """What two terms must share to be the same surface form."""
        return (self.text if self.case_sensitive else self.text.lower(), self.case_sensitive)


def plural(phrase: str) -> str:
    """English plural of a phrase's last word: calf -> calves, hip flexor -> hip flexors."""
    head, _, last = phrase.rpartition(" ")
    stem, hyphen, last = last.rpartition("-")  # step-up -> step-ups
    head = f"{head} {stem}{hyphen}".strip() if hyphen else head
    if last.endswith("s") or not last.isalpha():
        return phrase  # quadriceps, biceps, gluteus medius: already plural or Latin singular
    if last.endswith("lf"):
        last = last[:-1] + "ves"
    elif last.endswith(("ch", "sh", "x")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head}{last}" if hyphen else f"{head} {last}".strip()


def _hyphenated(phrase: str) -> str | None:
    """'hip flexor' -> 'hip-flexor': writers hyphenate two-word lay names."""
    words = phrase.split(" ")
    return "-".join(words) if len(words) == 2 else None


@dataclass
class Lexicon:
    entries: dict[str, LexiconEntry]
    path: Path
    digest: str

    def __getitem__(self, muscle_id: str) -> LexiconEntry:
        return self.entries[muscle_id]

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def terms(self) -> list[Term]:
        """Every surface form, deduplicated, in file order: what the muscle ruler is built from."""
        seen: dict[tuple[str, bool], Term] = {}
        for entry in self.entries.values():
            for term in _entry_terms(entry):
                seen.setdefault(term.key, term)
        return list(seen.values())

    @cached_property
    def phrase_index(self) -> dict[str, Term]:
        """Lower-cased phrase -> term, for resolving long forms and corrected words."""
        index: dict[str, Term] = {}
        for term in self.terms:
            if not term.case_sensitive:
                index.setdefault(term.text.lower(), term)
        return index

    @cached_property
    def words(self) -> frozenset[str]:
        """Every lower-cased word of every case-insensitive term: the vocabulary spelling is checked against."""
        return frozenset(w for t in self.terms if not t.case_sensitive for w in re.findall(r"[a-z]+", t.text.lower()))

    def leaves(self, muscle_id: str) -> frozenset[str]:
        """The single muscles an entry stands for, through nested groups ("core" -> "obliques" -> ...).

        A muscle or structure stands for itself; a group for its members' leaves, never its own id,
        so that "iliopsoas" is found inside "hip flexors", which lists the iliacus and psoas directly.
        """
        cache = self.__dict__.setdefault("_leaves", {})
        if muscle_id not in cache:
            members = self.entries[muscle_id].members
            cache[muscle_id] = (
                frozenset().union(*(self.leaves(m) for m in members)) if members else frozenset({muscle_id})
            )
        return cache[muscle_id]

    def resolve(self, phrase: str) -> Term | None:
        """The term a phrase names, ignoring case, a leading article or possessive, and a muscle head."""
        words = re.findall(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*", phrase)
        while words and words[0].lower() in {"the", "a", "an", "your", "our", "their", "its", "his", "her"}:
            words = words[1:]
        text = " ".join(words).lower()
        if text in self.phrase_index:
            return self.phrase_index[text]
        for head in MUSCLE_HEADS:
            if text.endswith(" " + head) and text[: -len(head) - 1] in self.phrase_index:
                return self.phrase_index[text[: -len(head) - 1]]
        return None


def _entry_terms(entry: LexiconEntry) -> list[Term]:
    terms: list[Term] = []

    def add(text: str, match_type: str) -> None:
        case_sensitive = any(ABBREVIATION_FORMAT.match(word) for word in text.split(" "))
        forms = [text, plural(text)]
        if not case_sensitive:
            forms += [f for f in (_hyphenated(text), _hyphenated(plural(text))) if f]
        for form in forms:
            terms.append(Term(form, entry.id, match_type, case_sensitive))

    add(entry.name, TERM_EXACT)
    for synonym in entry.synonyms:
        add(synonym, TERM_SYNONYM)
    for variant in entry.variants:
        add(variant, TERM_VARIANT)
    for modifier in entry.modifier_forms:
        for head in MUSCLE_HEADS:
            add(f"{modifier} {head}", TERM_SYNONYM)
    for abbreviation in entry.abbreviations:
        terms.append(Term(abbreviation, entry.id, TERM_ABBREVIATION, case_sensitive=True))
        terms.append(Term(abbreviation + "s", entry.id, TERM_ABBREVIATION, case_sensitive=True))
    return terms


LEXICON_KEYS_REQUIRED = {"id": str, "name": str, "kind": str, "region": str}
LEXICON_KEYS_OPTIONAL = {
    "synonyms": list,
    "variants": list,
    "abbreviations": list,
    "context_abbreviations": list,
    "modifier_forms": list,
    "members": list,
    "older_names": list,
    "uberon_id": str,
    "fma_id": str,
    "uberon_label": str,
    "note": str,
}


def default_lexicon_path() -> Path:
    return DATA_DIR / "muscles.jsonl"


def cached_lexicon(path: str | Path | None = None) -> Lexicon:
    """The lexicon at `path` (default: the shipped one), loaded once per process and file."""
    return _cached_lexicon(Path(path) if path else default_lexicon_path())


@cache
def _cached_lexicon(path: Path) -> Lexicon:
    return load_lexicon(path)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load and validate the lexicon; any problem raises LexiconError naming the file and entry."""
    path = path or default_lexicon_path()
    try:
        rows = read_jsonl(path, LEXICON_KEYS_REQUIRED, LEXICON_KEYS_OPTIONAL)
    except PatternError as exc:
        raise LexiconError(str(exc)) from exc
    entries: dict[str, LexiconEntry] = {}
    for row in rows:
        entry = _entry_from_row(row, path)
        entries[entry.id] = entry
    _check_members(entries, path)
    _check_unambiguous(entries, path)
    return Lexicon(entries=entries, path=path, digest=short_hash(path.read_bytes()))


def _entry_from_row(row: dict, path: Path) -> LexiconEntry:
    where = f"{path.name}: entry '{row['id']}'"
    if not ID_FORMAT.match(row["id"]):
        raise LexiconError(f"{where}: id must be a lower-case slug")
    if row["kind"] not in KINDS:
        raise LexiconError(f"{where}: kind must be one of {', '.join(KINDS)}")
    lists = {}
    for key in (
        "synonyms",
        "variants",
        "abbreviations",
        "context_abbreviations",
        "modifier_forms",
        "members",
        "older_names",
    ):
        values = row.get(key, [])
        if not all(isinstance(v, str) and v.strip() == v and v for v in values):
            raise LexiconError(f"{where}: '{key}' must be a list of non-empty, trimmed strings")
        lists[key] = tuple(values)
    for abbreviation in lists["abbreviations"] + lists["context_abbreviations"]:
        if not ABBREVIATION_FORMAT.match(abbreviation):
            raise LexiconError(f"{where}: '{abbreviation}' is not an abbreviation (2-6 letters, 2+ capitals)")
    stray = [name for name in lists["older_names"] if name not in lists["synonyms"]]
    if stray:
        raise LexiconError(f"{where}: older_names {stray} must also be listed as synonyms")
    if lists["members"] and row["kind"] != "group":
        raise LexiconError(f"{where}: only groups have members")
    if row.get("uberon_id") and not UBERON_FORMAT.match(row["uberon_id"]):
        raise LexiconError(f"{where}: uberon_id must look like UBERON:0001234")
    if row.get("fma_id") and not FMA_FORMAT.match(row["fma_id"]):
        raise LexiconError(f"{where}: fma_id must look like FMA:12345")
    return LexiconEntry(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        region=row["region"],
        uberon_id=row.get("uberon_id"),
        fma_id=row.get("fma_id"),
        uberon_label=row.get("uberon_label"),
        note=row.get("note"),
        **lists,
    )


def _check_members(entries: dict[str, LexiconEntry], path: Path) -> None:
    for entry in entries.values():
        unknown = [m for m in entry.members if m not in entries]
        if unknown:
            raise LexiconError(f"{path.name}: group '{entry.id}' has unknown members {unknown}")
        if entry.id in entry.members:
            raise LexiconError(f"{path.name}: group '{entry.id}' lists itself as a member")


def _check_unambiguous(entries: dict[str, LexiconEntry], path: Path) -> None:
    """No surface form may name two entries: the ruler could not tell which one a text means."""
    owner: dict[tuple[str, bool], str] = {}
    for entry in entries.values():
        for term in _entry_terms(entry):
            if owner.setdefault(term.key, entry.id) != entry.id:
                raise LexiconError(f"{path.name}: '{term.text}' names both '{owner[term.key]}' and '{entry.id}'")
        for abbreviation in entry.context_abbreviations:
            key = (abbreviation, True)
            if owner.get(key, entry.id) != entry.id:
                raise LexiconError(f"{path.name}: '{abbreviation}' names both '{owner[key]}' and '{entry.id}'")
