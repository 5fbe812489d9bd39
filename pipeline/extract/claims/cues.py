"""The claim cues: regexes kept as data in `data/claim_cues.jsonl`, validated on load.

Each cue has a label saying what it signals: a hedge ("may help"), a negation, the link between
an exercise, stretch or injury and a muscle, a member list, an anaphor ("these muscles"), an
exercise section, a member count, or a muscle's prominence (primary, supporting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.common.rules import DATA_DIR, PatternError, read_jsonl

CUE_LABELS = (
    "hedge",
    "negation",
    "exercise_link",
    "stretch_link",
    "injury_link",
    "member_cue",
    "member_part_of",
    "anaphor",
    "exercise_section",
    "member_count",
    "primary",
    "supporting",
    "role_link",
    "hinder",
)
DEFAULT_CUES = DATA_DIR / "claim_cues.jsonl"


@dataclass(frozen=True)
class Cue:
    id: str
    label: str
    regex: re.Pattern[str]


class Cues:
    """The claim cue regexes, by label."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or DEFAULT_CUES
        rows = read_jsonl(path, {"id": str, "label": str, "pattern": str}, {"note": str})
        self.by_label: dict[str, list[Cue]] = {label: [] for label in CUE_LABELS}
        for row in rows:
            if row["label"] not in CUE_LABELS:
                raise PatternError(f"{path.name}: cue '{row['id']}' has unknown label '{row['label']}'")
            try:
                regex = re.compile(row["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise PatternError(f"{path.name}: cue '{row['id']}' does not compile ({exc})") from exc
            self.by_label[row["label"]].append(Cue(row["id"], row["label"], regex))

    def search(self, label: str, text: str) -> re.Match[str] | None:
        for cue in self.by_label[label]:
            match = cue.regex.search(text)
            if match:
                return match
        return None
