"""Map gold muscle keys onto the pipeline's lexicon ids.

Annotators name muscles by their own keys (`glutes`, `psoas`), the pipeline by lexicon ids
(`gluteals`, `psoas_major`). Ontology ids are the stable common ground, so a key is mapped by
its UBERON/FMA ids first; only a key with no id the lexicon shares falls back to its names,
compared after folding case, hyphens and plurals. A key may map to several lexicon ids (a
region key covering two lexicon groups), and a lexicon id to several keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.evaluate.gold import MuscleKey
from pipeline.evaluate.text import normalised_set

# How a key found its lexicon ids, given in the JSON report so a surprising mapping can be traced.
BY_ID, BY_NAME, BY_LEXICON_ID, UNMAPPED = "id", "name", "lexicon id", "unmapped"


@dataclass(frozen=True)
class LexiconEntry:
    """The columns of one muscles.parquet row that key mapping needs."""

    muscle_id: str
    name: str
    ontology_ids: frozenset[str]
    names: frozenset[str]  # folded name, synonyms, variants and abbreviations

    @classmethod
    def from_row(cls, row: dict) -> LexiconEntry:
        """Build from a muscles.parquet row (as pyarrow's to_pylist gives it)."""
        ids = frozenset(canonical_id(value) for value in (row.get("uberon_id"), row.get("fma_id")) if value)
        forms = [row["name"], *row.get("synonyms", []), *row.get("variants", []), *row.get("abbreviations", [])]
        return cls(row["muscle_id"], row["name"], ids, normalised_set(forms))


@dataclass
class KeyMapping:
    """Gold key -> lexicon ids, and back, with how each key was mapped."""

    ids_by_key: dict[str, frozenset[str]]
    method: dict[str, str]
    keys_by_id: dict[str, frozenset[str]] = field(init=False)

    def __post_init__(self) -> None:
        reverse: dict[str, set[str]] = defaultdict(set)
        for key, ids in self.ids_by_key.items():
            for muscle_id in ids:
                reverse[muscle_id].add(key)
        self.keys_by_id = {muscle_id: frozenset(keys) for muscle_id, keys in reverse.items()}

    def ids(self, key: str) -> frozenset[str]:
        """Lexicon ids of a gold key (empty for an unmapped or unknown key)."""
        return self.ids_by_key.get(key, frozenset())

    def keys(self, muscle_id: str) -> frozenset[str]:
        """Gold keys a lexicon id stands for (empty when no key maps to it)."""
        return self.keys_by_id.get(muscle_id, frozenset())

    def unmapped(self, keys: Iterable[str]) -> list[str]:
        """The given keys that map to no lexicon id, sorted."""
        return sorted(key for key in set(keys) if not self.ids(key))


def canonical_id(ontology_id: str) -> str:
    """'uberon_0001377' and 'UBERON:0001377' are one id."""
    return ontology_id.strip().upper().replace("_", ":")


def map_keys(key_map: dict[str, MuscleKey] | None, lexicon: list[LexiconEntry], used: Iterable[str]) -> KeyMapping:
    """Map every key of the key map (or, without one, every used key taken as a lexicon id)."""
    if key_map is None:
        # Keys are lexicon ids: each id stands for itself, and a used key the lexicon lacks maps to nothing.
        known = {entry.muscle_id for entry in lexicon}
        ids = {key: frozenset({key} & known) for key in (*known, *used)}
        return KeyMapping(ids, {key: BY_LEXICON_ID if ids[key] else UNMAPPED for key in ids})
    ids_by_key: dict[str, frozenset[str]] = {}
    method: dict[str, str] = {}
    for key, muscle_key in key_map.items():
        ids_by_key[key], method[key] = _map_one(muscle_key, lexicon)
    return KeyMapping(ids_by_key, method)


def _map_one(muscle_key: MuscleKey, lexicon: list[LexiconEntry]) -> tuple[frozenset[str], str]:
    wanted_ids = {canonical_id(value) for value in muscle_key.ids}
    by_id = frozenset(entry.muscle_id for entry in lexicon if entry.ontology_ids & wanted_ids)
    if by_id:
        return by_id, BY_ID
    # The key itself, spelt with spaces, is a name too: a minimal map may list no other.
    names = normalised_set([*muscle_key.names, muscle_key.key.replace("_", " ")])
    by_name = frozenset(entry.muscle_id for entry in lexicon if entry.names & names)
    return by_name, (BY_NAME if by_name else UNMAPPED)
