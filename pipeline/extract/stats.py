"""The stats of the extraction stages, kept apart from the spaCy code that fills them.

Cached stage outputs hold these objects, so a build served from the cache unpickles them; here
that imports nothing heavy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.common.stats import Stats


@dataclass
class RecognitionStats(Stats):
    by_match_type: Counter[str] = field(default_factory=Counter)
    dropped_by_sense_guard: Counter[str] = field(default_factory=Counter)
    defined_abbreviations: int = 0


@dataclass
class ClaimStats(Stats):
    by_relation: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    hedged: int = 0
    negated_not_emitted: int = 0
    member_claims_rejected_by_lexicon: int = 0
