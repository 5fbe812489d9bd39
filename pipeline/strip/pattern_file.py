"""The named boilerplate patterns, kept as data in `data/boilerplate_patterns.jsonl` and validated on load.

Each line names a pattern (`id`), the removal reason it gives (`label`) and its regex; optional
keys bound it to short blocks (`max_words`), make it open a zone that runs until prose resumes
(`zone`), or keep it out of the article's core (`edge_only`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.common.rules import DATA_DIR, PatternError, read_jsonl


@dataclass(frozen=True)
class BoilerplatePattern:
    id: str
    label: str
    regex: re.Pattern[str]
    max_words: int
    zone: bool
    edge_only: bool

    def matches(self, text: str, n_words: int) -> bool:
        return n_words <= self.max_words and self.regex.search(text) is not None


def load_boilerplate_patterns(path: Path | None = None, labels: tuple[str, ...] = ()) -> list[BoilerplatePattern]:
    path = path or DATA_DIR / "boilerplate_patterns.jsonl"
    rows = read_jsonl(
        path,
        required={"id": str, "label": str, "pattern": str},
        optional={"case_sensitive": bool, "max_words": int, "zone": bool, "edge_only": bool, "note": str},
    )
    patterns = []
    for row in rows:
        if labels and row["label"] not in labels:
            raise PatternError(f"{path.name}: pattern '{row['id']}' has unknown label '{row['label']}'")
        flags = 0 if row.get("case_sensitive") else re.IGNORECASE
        try:
            regex = re.compile(row["pattern"], flags)
        except re.error as exc:
            raise PatternError(f"{path.name}: pattern '{row['id']}' does not compile ({exc})") from exc
        patterns.append(
            BoilerplatePattern(
                id=row["id"],
                label=row["label"],
                regex=regex,
                max_words=row.get("max_words", 10_000),
                zone=row.get("zone", False),
                edge_only=row.get("edge_only", False),
            )
        )
    return patterns
