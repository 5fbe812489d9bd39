"""What the strip stage counts: blocks and characters kept and removed, per removal reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.common.stats import Stats
from pipeline.records import Block


@dataclass
class StripStats(Stats):
    blocks_kept: int = 0
    blocks_removed: int = 0
    chars_kept: int = 0
    chars_removed: int = 0
    removed_by_reason: Counter[str] = field(default_factory=Counter)
    chars_removed_by_reason: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, blocks: list[Block]) -> StripStats:
        stats = cls()
        for block in blocks:
            if block.kept:
                stats.blocks_kept += 1
                stats.chars_kept += len(block.text)
            else:
                stats.blocks_removed += 1
                stats.chars_removed += len(block.text)
                stats.removed_by_reason[block.removal_reason] += 1
                stats.chars_removed_by_reason[block.removal_reason] += len(block.text)
        return stats
