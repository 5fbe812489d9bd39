"""Reference knowledge: what standard anatomy references say muscles do and exercises train.

Three data files, each row citing a public source:

- `reference_sources.jsonl`: the sources (title, URL, licence);
- `reference_actions.jsonl`: muscle -> the joint actions it performs (OpenStax Anatomy and
  Physiology 2e, chapter 11);
- `reference_exercises.jsonl`: exercise or stretch -> its primary movers (or, for stretches,
  the muscles it lengthens) and the muscles that assist.

`ReferenceKnowledge.judge` compares one fact with them and says whether the reference agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.common.rules import DATA_DIR, PatternError, read_jsonl
from pipeline.extract.lexicon import Lexicon, cached_lexicon
from pipeline.extract.vocabulary import Vocabulary, cached_vocabulary
from pipeline.records import AGREES, CONTRADICTS, PARTIAL, UNKNOWN


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Citation:
    source: Source
    locator: str

    def __str__(self) -> str:
        return f"{self.source.title}: {self.locator} <{self.source.url}>"


@dataclass(frozen=True)
class Judgement:
    """The reference's view of one fact, and why."""

    agreement: str
    explanation: str = ""
    citation: Citation | None = None
    # For a partial finding: the members of a group for which the fact holds.
    narrower: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExerciseReference:
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    citation: Citation


class ReferenceKnowledge:
    def __init__(
        self,
        actions: dict[str, tuple[tuple[str, ...], Citation]],
        exercises: dict[str, ExerciseReference],
        labels: dict[str, str] | None = None,
    ) -> None:
        self.actions = actions
        self.exercises = exercises
        self.labels = labels or {}  # action id -> its vocabulary label, for explanations

    def _label(self, action: str) -> str:
        return self.labels.get(action, action.replace("_", " "))

    def judge(self, muscle_id: str, relation: str, object_id: str, lexicon: Lexicon) -> Judgement:
        if relation == "action":
            return self._judge_action(muscle_id, object_id, lexicon)
        if relation in ("exercise", "stretch"):
            return self._judge_exercise(muscle_id, f"{relation}:{object_id}", lexicon)
        if relation == "member_count":
            listed = len(lexicon[muscle_id].members)
            if not listed:
                return Judgement(UNKNOWN)
            agreement = AGREES if int(object_id) == listed else CONTRADICTS
            return Judgement(agreement, f"the lexicon lists {listed} members")
        if relation == "member":
            # Member claims are only emitted when the lexicon lists the member: they agree by construction.
            return Judgement(AGREES, "the lexicon lists it as a member")
        return Judgement(UNKNOWN)

    def _judge_action(self, muscle_id: str, action: str, lexicon: Lexicon) -> Judgement:
        name = lexicon[muscle_id].name
        if muscle_id in self.actions:
            actions, citation = self.actions[muscle_id]
            if action in actions:
                return Judgement(AGREES, f"{name}: {', '.join(map(self._label, actions))}", citation)
        narrower = tuple(
            sorted(m for m in _descendants(muscle_id, lexicon) if action in self.actions.get(m, ((), None))[0])
        )
        if narrower:
            names = ", ".join(lexicon[m].name for m in narrower)
            citation = self.actions[narrower[0]][1]
            label = self._label(action)
            return Judgement(PARTIAL, f"of the {name}, only {names} performs {label}", citation, narrower)
        if muscle_id in self.actions:
            actions, citation = self.actions[muscle_id]
            listed = ", ".join(map(self._label, actions)) or "no action in the vocabulary"
            return Judgement(CONTRADICTS, f"{name} performs {listed}, not {self._label(action)}", citation)
        return Judgement(UNKNOWN)

    def _judge_exercise(self, muscle_id: str, key: str, lexicon: Lexicon) -> Judgement:
        reference = self.exercises.get(key)
        if reference is None:
            return Judgement(UNKNOWN)
        worked = reference.primary + reference.secondary
        claimed = lexicon.leaves(muscle_id)
        # Containment either way ("gluteals" holds the gluteus maximus; the vastus medialis is part of
        # the quadriceps), not mere overlap: the hip flexors and hip adductors share the pectineus,
        # yet an adductor exercise does not train the hip flexors.
        if any(claimed <= lexicon.leaves(m) or lexicon.leaves(m) <= claimed for m in worked):
            return Judgement(AGREES, f"works {', '.join(lexicon[m].name for m in worked)}", reference.citation)
        movers = ", ".join(lexicon[m].name for m in reference.primary)
        verb = "lengthens" if key.startswith("stretch:") else "is driven by"
        name = lexicon[muscle_id].name
        return Judgement(CONTRADICTS, f"it {verb} {movers}, not the {name}", reference.citation)


def load_reference(lexicon: Lexicon, vocabulary: Vocabulary, directory: Path | None = None) -> ReferenceKnowledge:
    """Load and validate the reference tables: every muscle, action and exercise must be known."""
    directory = directory or DATA_DIR
    sources = {
        row["id"]: Source(row["id"], row["title"], row["url"])
        for row in read_jsonl(
            directory / "reference_sources.jsonl", {"id": str, "title": str, "url": str}, {"licence": str}
        )
    }
    path = directory / "reference_actions.jsonl"
    actions: dict[str, tuple[tuple[str, ...], Citation]] = {}
    for row in read_jsonl(path, {"muscle": str, "actions": list, "source": str, "locator": str}, {}):
        where = f"{path.name}: '{row['muscle']}'"
        _check_muscles([row["muscle"]], lexicon, where)
        _check_objects("action", row["actions"], vocabulary, where)
        if row["muscle"] in actions:
            raise PatternError(f"{where} is listed twice")
        actions[row["muscle"]] = (tuple(row["actions"]), _citation(row, sources, where))
    path = directory / "reference_exercises.jsonl"
    exercises: dict[str, ExerciseReference] = {}
    required = {"object": str, "vocabulary": str, "primary": list, "secondary": list, "source": str, "locator": str}
    for row in read_jsonl(path, required, {}):
        where = f"{path.name}: '{row['object']}'"
        if row["vocabulary"] not in ("exercise", "stretch"):
            raise PatternError(f"{where}: vocabulary must be exercise or stretch")
        _check_objects(row["vocabulary"], [row["object"]], vocabulary, where)
        _check_muscles(row["primary"] + row["secondary"], lexicon, where)
        if not row["primary"]:
            raise PatternError(f"{where}: needs at least one primary muscle")
        key = f"{row['vocabulary']}:{row['object']}"
        if key in exercises:
            raise PatternError(f"{where} is listed twice")
        exercises[key] = ExerciseReference(
            tuple(row["primary"]), tuple(row["secondary"]), _citation(row, sources, where)
        )
    labels = {entry.id: entry.label for entry in vocabulary.entries.values() if entry.vocabulary == "action"}
    return ReferenceKnowledge(actions, exercises, labels)


@cache
def cached_reference() -> ReferenceKnowledge:
    """The shipped reference tables, checked against the shipped lexicon and vocabularies; loaded once."""
    return load_reference(cached_lexicon(), cached_vocabulary(check_patterns=False))


def _citation(row: dict, sources: dict[str, Source], where: str) -> Citation:
    if row["source"] not in sources:
        raise PatternError(f"{where}: unknown source '{row['source']}' (see reference_sources.jsonl)")
    return Citation(sources[row["source"]], row["locator"])


def _check_muscles(muscle_ids: list[str], lexicon: Lexicon, where: str) -> None:
    unknown = [m for m in muscle_ids if m not in lexicon.entries]
    if unknown:
        raise PatternError(f"{where}: unknown muscle ids {unknown} (not in the lexicon)")


def _check_objects(vocabulary_name: str, object_ids: list[str], vocabulary: Vocabulary, where: str) -> None:
    unknown = [o for o in object_ids if f"{vocabulary_name}:{o}" not in vocabulary.entries]
    if unknown:
        raise PatternError(f"{where}: unknown {vocabulary_name} ids {unknown} (not in the claim vocabulary)")


def _descendants(muscle_id: str, lexicon: Lexicon) -> set[str]:
    """Every entry below a group: its members, their members, and so on."""
    found: set[str] = set()
    stack = list(lexicon[muscle_id].members)
    while stack:
        member = stack.pop()
        if member not in found:
            found.add(member)
            stack.extend(lexicon[member].members)
    return found
