"""Controlled vocabularies of claim objects: actions, running roles, exercises, stretches, injuries.

`data/vocabulary/` holds one JSONL file per vocabulary (`action.jsonl`, ...). Each line is one
object: a stable `id`, the canonical `label`, the `phrases` that name it (matched
case-insensitively, plurals generated) and optional `rules` for lay phrasing in the compact
syntax of `phrasing.py` ("straighten~ <det>? <knee>" is knee extension), or raw spaCy token
`patterns`. `classes.jsonl` names the word classes rules may use (`<knee>`). The loader validates
every file; the object ruler is built from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from pipeline.common.ids import short_hash
from pipeline.common.rules import DATA_DIR, PatternError, read_jsonl
from pipeline.extract.lexicon import plural
from pipeline.extract.phrasing import RuleError, compile_rule
from pipeline.records import VOCABULARIES


class VocabularyError(PatternError):
    """A vocabulary file that does not validate."""


@dataclass(frozen=True)
class VocabularyEntry:
    id: str
    vocabulary: str
    label: str
    phrases: tuple[str, ...]
    patterns: tuple[tuple[dict, ...], ...] = ()
    exclude: tuple[str, ...] = ()  # longer phrases that contain a match but do not name the object
    note: str | None = None

    @property
    def key(self) -> str:
        return f"{self.vocabulary}:{self.id}"


@dataclass
class Vocabulary:
    entries: dict[str, VocabularyEntry]  # by key "vocabulary:id"
    path: Path
    digest: str

    def __getitem__(self, key: str) -> VocabularyEntry:
        return self.entries[key]

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def splits(self) -> dict[str, str]:
        """One-word names that some entry also lists split in two: {"deadlift": "dead lift"}."""
        phrases = {p.lower() for entry in self.entries.values() for p in entry.phrases}
        return {p.replace(" ", ""): p for p in phrases if p.count(" ") == 1 and p.replace(" ", "") in phrases}


VOCABULARY_KEYS = {"id": str, "label": str, "phrases": list}
OPTIONAL_KEYS = {"vocabulary": str, "rules": list, "patterns": list, "exclude": list, "note": str}
CLASSES_FILE = "classes.jsonl"
# Data files of the folder that are not vocabularies.
NOT_VOCABULARIES = (CLASSES_FILE, "heads.jsonl")


def default_vocabulary_path() -> Path:
    return DATA_DIR / "vocabulary"


def load_vocabulary(path: Path | None = None, check_patterns: bool = True) -> Vocabulary:
    """Every vocabulary file of a folder, validated; any problem raises VocabularyError naming the file and row.

    `check_patterns=False` skips only spaCy's check of the token patterns (and spaCy's import),
    for readers that use ids and labels but build no matcher: the build's reconcile and writer.
    The claims stage, which builds the matchers, always checks them.
    """
    path = path or default_vocabulary_path()
    files = {f.stem: f for f in sorted(path.glob("*.jsonl")) if f.name not in NOT_VOCABULARIES}
    unknown = sorted(set(files) - set(VOCABULARIES))
    if unknown:
        raise VocabularyError(f"{path}: {unknown} are not vocabularies (one of {', '.join(VOCABULARIES)})")
    classes = _load_classes(path / CLASSES_FILE)
    entries: dict[str, VocabularyEntry] = {}
    check = _pattern_check() if check_patterns else None
    for name, file in files.items():
        try:
            rows = read_jsonl(file, VOCABULARY_KEYS, OPTIONAL_KEYS)
        except PatternError as exc:
            raise VocabularyError(str(exc)) from exc
        for row in rows:
            entry = _entry(row, name, file, classes, check)
            if entry.key in entries:
                raise VocabularyError(f"{file.name}: '{entry.id}': duplicate id in vocabulary '{name}'")
            entries[entry.key] = entry
    digest = short_hash(b"".join(f.name.encode() + f.read_bytes() for f in sorted(path.glob("*.jsonl"))))
    vocabulary = Vocabulary(entries=entries, path=path, digest=digest)
    _check_one_owner(vocabulary, files)
    return vocabulary


def _check_one_owner(vocabulary: Vocabulary, files: dict[str, Path]) -> None:
    """No form of a phrase (spelling variants and plurals included) names two entries of a vocabulary."""
    owner: dict[tuple[str, str], str] = {}
    for entry in vocabulary.entries.values():
        for phrase in phrase_forms(entry.phrases, vocabulary.splits):
            previous = owner.setdefault((entry.vocabulary, phrase), entry.id)
            if previous != entry.id:
                where = files[entry.vocabulary].name
                raise VocabularyError(f"{where}: '{entry.id}': phrase '{phrase}' also names '{previous}'")


def _load_classes(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    try:
        rows = read_jsonl(path, {"class": str, "words": list}, {"note": str})
    except PatternError as exc:
        raise VocabularyError(str(exc)) from exc
    return {row["class"]: row["words"] for row in rows}


def _pattern_check() -> Callable[[list], None]:
    """spaCy's validation of one token pattern; raises ValueError, KeyError or TypeError."""
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    matcher = Matcher(Vocab(), validate=True)  # the check needs the pattern schema, not a tokenizer
    return lambda pattern: matcher.add("check", [pattern])


def _entry(
    row: dict, name: str, file: Path, classes: dict[str, list[str]], check: Callable[[list], None] | None
) -> VocabularyEntry:
    where = f"{file.name}: '{row['id']}'"
    if row.get("vocabulary", name) != name:
        raise VocabularyError(f"{where}: vocabulary '{row['vocabulary']}' in the file of '{name}'")
    if not all(isinstance(p, str) and p and p == p.strip() for p in row["phrases"]):
        raise VocabularyError(f"{where}: phrases must be non-empty, trimmed strings")
    patterns = list(row.get("patterns", []))
    for rule in row.get("rules", []):
        try:
            patterns.append(compile_rule(rule, classes))
        except (RuleError, AttributeError) as exc:
            raise VocabularyError(f"{where}: rule '{rule}': {exc}") from exc
    for pattern in patterns if check else ():
        try:
            check(pattern)
        except (ValueError, KeyError, TypeError) as exc:
            raise VocabularyError(f"{where}: a token pattern does not validate: {exc}") from exc
    return VocabularyEntry(
        id=row["id"],
        vocabulary=name,
        label=row["label"],
        phrases=tuple(row["phrases"]),
        patterns=tuple(tuple(p) for p in patterns),
        exclude=tuple(row.get("exclude", [])),
        note=row.get("note"),
    )


# Number words that writers also print as fractions ("single leg 1/4 squat", "½ kneeling").
FRACTIONS = {"quarter": ("1/4", "¼"), "half": ("1/2", "½")}


def phrase_forms(phrases: tuple[str, ...], splits: dict[str, str] | None = None) -> list[str]:
    """Every form a phrase is matched in: as listed, its spelling variants, and their plurals."""
    forms: list[str] = []
    for phrase in phrases:
        for spelling in spelling_variants(phrase.lower(), splits or {}):
            for form in (spelling, plural(spelling)):
                if form not in forms:
                    forms.append(form)
    return forms


def spelling_variants(phrase: str, splits: dict[str, str]) -> list[str]:
    """A phrase and the spellings writers use for it interchangeably: a one-word name split as
    the vocabulary splits it elsewhere ("romanian dead lift"), a number word as a fraction, in a
    phrase of several words a hyphenated word spaced ("single leg calf raise") and, in one of
    three or more, its first two words hyphenated ("hip-flexor pain"). A phrase
    of one hyphenated word keeps its hyphen: "push up" is as often a movement as the exercise."""
    variants = [phrase]
    for word in phrase.split(" "):
        for other in (splits.get(word), *FRACTIONS.get(word, ())):
            if other:
                variants += [v.replace(word, other) for v in variants]
    if " " in phrase:
        variants += [v.replace("-", " ") for v in variants if "-" in v]
    if phrase.count(" ") >= 2:
        # "hip-flexor pain", "lower-back pain": a two-word modifier hyphenated before its noun
        variants += [v.replace(" ", "-", 1) for v in variants if " " in v.split("-")[0]]
    return list(dict.fromkeys(variants))


def cached_vocabulary(path: str | Path | None = None, check_patterns: bool = True) -> Vocabulary:
    """The vocabularies at `path` (default: the shipped file), loaded once per process and file.

    Registered with spaCy as "curate.vocabulary.v1" (`registry.py`), so the object component names
    its data in its config.
    """
    return _cached_vocabulary(Path(path) if path else default_vocabulary_path(), check_patterns)


@cache
def _cached_vocabulary(path: Path, check_patterns: bool) -> Vocabulary:
    return load_vocabulary(path, check_patterns)
