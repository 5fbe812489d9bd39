"""Read and validate a gold file (GOLD.yaml) and its muscle-key map (muscle_keys.yaml).

A gold file is hand-written, so every mistake in it is reported with the file and the entry
(`gold.yaml: article 'x', claims[2]: ...`) before anything is scored: a typo in a relation or
a muscle key would otherwise show up as a missed claim and be blamed on the pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The relations annotators mark. member_count and prominence are extracted by the pipeline
# but not annotated, so they are neither scored nor accepted in gold files.
ANNOTATED_RELATIONS = ("action", "running_role", "exercise", "stretch", "injury", "member")
MEMBER = "member"
# Alternative wordings of one object: "hamstring strain|muscle strain" (any one matches).
SYNONYM_SEPARATOR = "|"
# The key map looked for beside the gold file when --muscle-keys is not given.
KEY_MAP_NAME = "muscle_keys.yaml"
# What an article entry may hold; anything else is most likely a misspelt field name.
REQUIRED_FIELDS = ("muscles",)
OPTIONAL_FIELDS = ("optional", "claims", "acceptable", "boilerplate", "file", "traps", "query", "url", "notes")
KEY_MAP_FIELDS = ("muscles", "relations", "running_roles")
ONTOLOGY_ID = re.compile(r"^[A-Za-z]+[:_]\d+$")


class GoldError(Exception):
    """A gold or key-map file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class GoldClaim:
    """One annotated claim: subject key, relation and the accepted wordings of the object."""

    subject: str
    relation: str
    objects: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.subject} {self.relation} {SYNONYM_SEPARATOR.join(self.objects)}"


@dataclass(frozen=True)
class GoldArticle:
    """The annotation of one article; `boilerplate` is None when the entry does not annotate it."""

    key: str
    source_path: str
    muscles: tuple[str, ...]
    optional: tuple[str, ...] = ()
    claims: tuple[GoldClaim, ...] = ()
    acceptable: tuple[GoldClaim, ...] = ()
    boilerplate: tuple[str, ...] | None = None

    def muscle_keys(self) -> set[str]:
        """Every muscle key the entry uses, as subject, listed muscle or member object."""
        used = set(self.muscles) | set(self.optional)
        for claim in self.claims + self.acceptable:
            used.add(claim.subject)
            if claim.relation == MEMBER:
                used.update(claim.objects)
        return used


@dataclass(frozen=True)
class MuscleKey:
    """A gold muscle key with the names and ontology ids that tie it to the pipeline's lexicon."""

    key: str
    names: tuple[str, ...]
    ids: tuple[str, ...]


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load keeps the last of two equal keys; in a gold file that silently drops an article."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning a missing file or a syntax error into a GoldError."""
    if not path.is_file():
        raise GoldError(f"{path}: no such file")
    try:
        # A SafeLoader subclass: no arbitrary objects, only the duplicate-key check added.
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise GoldError(f"{path}{line}: not valid YAML ({exc.problem or exc.context})") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: not valid YAML ({exc})") from exc


def load_gold(path: Path) -> list[GoldArticle]:
    """Every article entry of a gold file, validated, in file order."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not data:
        raise GoldError(f"{path}: expected a mapping of article keys to entries")
    return [_article(str(key), entry, f"{path}: article {key!r}") for key, entry in data.items()]


def _article(key: str, entry: Any, where: str) -> GoldArticle:
    if not isinstance(entry, dict):
        raise GoldError(f"{where}: expected a mapping with at least {', '.join(REQUIRED_FIELDS)}")
    unknown = sorted(set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        allowed = ", ".join(REQUIRED_FIELDS + OPTIONAL_FIELDS)
        raise GoldError(f"{where}: unknown field {unknown[0]!r} (allowed: {allowed})")
    missing = [name for name in REQUIRED_FIELDS if name not in entry]
    if missing:
        raise GoldError(f"{where}: missing field {missing[0]!r}")
    source_path = entry.get("file", f"{key}.txt")
    if not isinstance(source_path, str) or not source_path.strip():
        raise GoldError(f"{where}, file: expected the source_path of the article (a string)")
    boilerplate = entry.get("boilerplate")
    return GoldArticle(
        key=key,
        source_path=source_path,
        muscles=_strings(entry["muscles"], f"{where}, muscles"),
        optional=_strings(entry.get("optional"), f"{where}, optional"),
        claims=_claims(entry.get("claims"), f"{where}, claims"),
        acceptable=_claims(entry.get("acceptable"), f"{where}, acceptable"),
        boilerplate=None if "boilerplate" not in entry else _strings(boilerplate, f"{where}, boilerplate"),
    )


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GoldError(f"{where}: expected a list, got {type(value).__name__}")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise GoldError(f"{where}[{index}]: expected a non-empty string, got {item!r}")
    return tuple(item.strip() for item in value)


def _claims(value: Any, where: str) -> tuple[GoldClaim, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GoldError(f"{where}: expected a list of [muscle, relation, object] claims")
    return tuple(_claim(item, f"{where}[{index}]") for index, item in enumerate(value))


def _claim(item: Any, where: str) -> GoldClaim:
    if not (isinstance(item, list) and len(item) == 3 and all(isinstance(part, str) for part in item)):
        raise GoldError(f"{where}: expected [muscle, relation, object] (three strings), got {item!r}")
    subject, relation, obj = (part.strip() for part in item)
    if relation not in ANNOTATED_RELATIONS:
        raise GoldError(f"{where}: relation {relation!r} is not one of {', '.join(ANNOTATED_RELATIONS)}")
    objects = tuple(part.strip() for part in obj.split(SYNONYM_SEPARATOR) if part.strip())
    if not subject or not objects:
        raise GoldError(f"{where}: the muscle and the object must not be empty, got {item!r}")
    return GoldClaim(subject, relation, objects)


def default_key_map(gold_path: Path) -> Path | None:
    """muscle_keys.yaml beside the gold file, if there is one."""
    candidate = gold_path.parent / KEY_MAP_NAME
    return candidate if candidate.is_file() else None


def load_key_map(path: Path) -> dict[str, MuscleKey]:
    """The `muscles` section of a key map: each key with its names and ontology ids."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("muscles"), dict):
        raise GoldError(f"{path}: expected a mapping with a 'muscles' mapping of keys to names and ids")
    unknown = sorted(set(data) - set(KEY_MAP_FIELDS))
    if unknown:
        raise GoldError(f"{path}: unknown field {unknown[0]!r} (allowed: {', '.join(KEY_MAP_FIELDS)})")
    return {str(key): _muscle_key(str(key), entry, f"{path}: muscle {key!r}") for key, entry in data["muscles"].items()}


def _muscle_key(key: str, entry: Any, where: str) -> MuscleKey:
    if not isinstance(entry, dict) or set(entry) - {"names", "ids"}:
        raise GoldError(f"{where}: expected a mapping with 'names' and 'ids' lists")
    ids = _strings(entry.get("ids"), f"{where}, ids")
    for index, ontology_id in enumerate(ids):
        if not ONTOLOGY_ID.match(ontology_id):
            raise GoldError(f"{where}, ids[{index}]: {ontology_id!r} is not an ontology id such as UBERON:0001377")
    return MuscleKey(key, _strings(entry.get("names"), f"{where}, names"), ids)


def check_keys(articles: list[GoldArticle], key_map: dict[str, MuscleKey], gold_path: Path, map_path: Path) -> None:
    """Every muscle key the gold uses must be in the key map: a misspelt key is an error, not a miss."""
    for article in articles:
        unknown = sorted(article.muscle_keys() - set(key_map))
        if unknown:
            raise GoldError(f"{gold_path}: article {article.key!r}: muscle key {unknown[0]!r} is not in {map_path}")
