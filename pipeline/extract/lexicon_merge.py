"""The generated part of the lexicon: read `muscles_uberon.jsonl` and merge it into the hand curation.

`tools/uberon_lexicon.py` writes one entry per skeletal muscle in UBERON. Hand curation wins:

- a generated entry with the UBERON (else FMA) id of a hand-curated entry is folded into it: its
  names become synonyms of the hand entry, and it adds no entry of its own;
- a generated name is dropped if a hand-curated entry already uses it for something else, if it
  is an everyday English word or phrase ("back", "upper body"), or if it is a short form;
- an entry whose own (canonical) name is dropped is left out, and so is one whose id a
  hand-curated entry has taken;
- a name two generated entries share stays only with the entry it is the canonical name of.

Names are compared as the ruler will match them: with their plurals and hyphenated forms.
Every drop is recorded as a `Dropped` row, so tests and the tool can say what was left out and why.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.common.rules import PatternError, read_jsonl
from pipeline.extract.lexicon import (
    ABBREVIATION_FORMAT,
    TERM_SYNONYM,
    LexiconEntry,
    LexiconError,
    entry_from_row,
    entry_terms,
    form_terms,
)

HEADER_KEY = "generated_by"
EVERYDAY_KEY = "everyday_words"  # header: the words of the names that are everyday English
GENERATED_KEYS_REQUIRED = {"id": str, "name": str, "kind": str, "region": str}
GENERATED_KEYS_OPTIONAL = {"synonyms": list, "members": list, "uberon_id": str, "fma_id": str, "note": str}
GENERATED_NOTE = "generated from UBERON by tools/uberon_lexicon.py"

# A generated word at least this common in English (wordfreq Zipf 3.0, once per million words)
# is an everyday word: "back", "chest", "anterior", "superior". A generated name made only of
# such words would fire on ordinary text, so it is dropped; one that holds "muscle" names a
# muscle wherever it appears ("back muscle") and stays. At 3.0 every Latin name in the UBERON
# module stays (the commonest, "triceps", is at 2.6) and every English region word goes.
EVERYDAY_ZIPF = 3.0
# Fewer letters than this is a short form: short forms come only from hand-curated abbreviations.
MIN_LETTERS = 4
MUSCLE_WORDS = frozenset({"muscle", "muscles", "musculature"})

Key = tuple[str, bool]


@dataclass(frozen=True)
class Dropped:
    entry_id: str
    form: str
    reason: str


def read_generated(path: Path) -> list[dict]:
    """The generated file's entries; its first line is the header saying how it was made."""
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{path.name}:1: not valid JSON ({exc.msg})") from exc
    if not isinstance(header, dict) or HEADER_KEY not in header:
        raise LexiconError(f"{path.name}:1: the first line must be the header, with '{HEADER_KEY}'")
    header_keys = {key: object for key in header if key not in GENERATED_KEYS_OPTIONAL}
    try:
        rows = read_jsonl(path, {}, {**GENERATED_KEYS_REQUIRED, **GENERATED_KEYS_OPTIONAL, **header_keys})
    except PatternError as exc:
        raise LexiconError(str(exc)) from exc
    for row in rows[1:]:
        missing = [key for key in GENERATED_KEYS_REQUIRED if key not in row]
        stray = [key for key in row if key in header_keys]
        if missing or stray:
            problem = f"missing key '{missing[0]}'" if missing else f"unknown key '{stray[0]}'"
            raise LexiconError(f"{path.name}: entry '{row.get('id', '?')}': {problem}")
    return rows[1:]


@lru_cache(maxsize=8192)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def is_everyday(word: str) -> bool:
    return _zipf(word) >= EVERYDAY_ZIPF


def everyday_words(names: Iterable[str]) -> list[str]:
    """The words of `names` common enough in English to be everyday words (sorted): what the
    generated file's header records, so that loading the lexicon needs no frequency list."""
    return sorted({w for name in names for w in re.findall(r"[a-z]+", name.lower()) if is_everyday(w)})


def read_everyday_words(path: Path) -> frozenset[str] | None:
    """The everyday words the generated file's header lists; None for a header without them."""
    with open(path, encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    words = header.get(EVERYDAY_KEY)
    return frozenset(words) if isinstance(words, list) else None


def ordinary_reason(form: str, everyday: frozenset[str] | None = None) -> str | None:
    """Why a generated name would fire on ordinary text, or None if it is safe to match. Everyday
    words come from `everyday` when given (the generated file's header), else from wordfreq."""
    words = re.findall(r"[a-z]+", form.lower())
    if sum(len(w) for w in words) < MIN_LETTERS or any(ABBREVIATION_FORMAT.match(w) for w in form.split()):
        return "short form"
    common = (lambda w: w in everyday) if everyday is not None else is_everyday
    if MUSCLE_WORDS.isdisjoint(words) and all(common(w) for w in words):
        return "everyday English"
    return None


def _keys(form: str) -> set[Key]:
    return {term.key for term in form_terms(form, "", TERM_SYNONYM)}


def _owners(entries: Iterable[LexiconEntry]) -> dict[Key, str]:
    owner: dict[Key, str] = {}
    for entry in entries:
        for term in entry_terms(entry):
            owner.setdefault(term.key, entry.id)
        for abbreviation in entry.context_abbreviations:
            owner.setdefault((abbreviation, True), entry.id)
    return owner


def merge_generated(
    hand: dict[str, LexiconEntry], rows: list[dict], path: Path, everyday: frozenset[str] | None = None
) -> tuple[dict[str, LexiconEntry], list[Dropped]]:
    """Hand-curated entries (generated names folded in), then the generated entries that stay."""
    generated = [entry_from_row(row, path) for row in rows]
    by_ontology = {e.uberon_id: e.id for e in hand.values() if e.uberon_id}
    by_ontology.update({e.fma_id: e.id for e in hand.values() if e.fma_id and e.fma_id not in by_ontology})
    target_of = {}
    for entry in generated:
        target = by_ontology.get(entry.uberon_id or "") or by_ontology.get(entry.fma_id or "")
        if target:
            target_of[entry.id] = target
    merged, dropped = dict(hand), []
    owner = _owners(hand.values())
    for entry in generated:  # first fold, so that folded names are taken before the rest is judged
        if entry.id in target_of:
            target = target_of[entry.id]
            kept = _kept_names(entry, target, owner, dropped, everyday)
            merged[target] = _folded(merged[target], entry, kept)
            owner.update(dict.fromkeys((k for f in kept for k in _keys(f)), target))
    names: dict[str, list[str]] = {}
    for entry in generated:
        if entry.id in target_of:
            continue
        kept = _kept_names(entry, None, owner, dropped, everyday)
        if entry.id in hand:
            dropped.append(Dropped(entry.id, entry.name, f"entry left out: id taken by hand-curated '{entry.id}'"))
        elif not kept or kept[0] != entry.name:
            dropped.append(Dropped(entry.id, entry.name, "entry left out: its name is dropped"))
        else:
            names[entry.id] = kept
    names = _unshared(names, dropped)
    for entry in generated:
        if entry.id in names:
            members = _members(entry, target_of, names)
            note = entry.note or GENERATED_NOTE
            synonyms = tuple(names[entry.id][1:])
            merged[entry.id] = dataclasses.replace(entry, synonyms=synonyms, members=members, note=note)
    return merged, dropped


def _kept_names(
    entry: LexiconEntry,
    target: str | None,
    owner: dict[Key, str],
    dropped: list[Dropped],
    everyday: frozenset[str] | None,
) -> list[str]:
    kept = []
    for form in dict.fromkeys((entry.name, *entry.synonyms)):
        if target and all(owner.get(k) == target for k in _keys(form)):
            continue  # a name the hand-curated entry has already
        reason = ordinary_reason(form, everyday)
        holders = sorted({owner[k] for k in _keys(form) if k in owner} - {target})
        if reason is None and holders:
            reason = f"hand-curated name of '{holders[0]}'"
        if reason:
            dropped.append(Dropped(entry.id, form, reason))
        else:
            kept.append(form)
    return kept


def _folded(hand: LexiconEntry, entry: LexiconEntry, kept: list[str]) -> LexiconEntry:
    """A hand entry with a generated entry's new names added as synonyms; the rest stays as it is."""
    have = {term.key for term in entry_terms(hand)}
    new = [form for form in kept if not _keys(form) <= have]
    return dataclasses.replace(hand, synonyms=hand.synonyms + tuple(new), fma_id=hand.fma_id or entry.fma_id)


def _unshared(names: dict[str, list[str]], dropped: list[Dropped]) -> dict[str, list[str]]:
    """A name several generated entries use stays only with the entry whose canonical name it is."""
    canonical: dict[Key, str] = {}
    for entry_id, kept in names.items():
        for key in _keys(kept[0]):
            canonical.setdefault(key, entry_id)
    users: dict[Key, set[str]] = defaultdict(set)
    for entry_id, kept in names.items():
        for form in kept:
            for key in _keys(form):
                users[key].add(entry_id)
    result = {}
    for entry_id, kept in names.items():
        if any(canonical[key] != entry_id for key in _keys(kept[0])):
            dropped.append(Dropped(entry_id, kept[0], "entry left out: its name is another generated entry's"))
            continue
        stays = [kept[0]]
        for form in kept[1:]:
            keys = _keys(form)
            taken = any(canonical.get(k, entry_id) != entry_id for k in keys)
            shared = any(len(users[k]) > 1 and k not in canonical for k in keys)
            if taken or shared:
                dropped.append(Dropped(entry_id, form, "shared by generated entries"))
            else:
                stays.append(form)
        result[entry_id] = stays
    return result


def _members(entry: LexiconEntry, target_of: dict[str, str], names: dict[str, list[str]]) -> tuple[str, ...]:
    """A generated group's members, renamed to the entries they were folded into; dropped ones go."""
    kept = [target_of.get(m, m) for m in entry.members if m in target_of or m in names]
    return tuple(dict.fromkeys(m for m in kept if m != entry.id))
