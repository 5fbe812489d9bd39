"""What the ingest stage counts: files by status, format and encoding."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.common.stats import Stats
from pipeline.records import Document


@dataclass
class IngestStats(Stats):
    files: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_format: Counter[str] = field(default_factory=Counter)
    by_encoding: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, documents: list[Document]) -> IngestStats:
        return cls(
            files=len(documents),
            by_status=Counter(d.status for d in documents),
            by_format=Counter(d.format or "unsupported" for d in documents),
            by_encoding=Counter(d.encoding for d in documents if d.encoding),
        )
