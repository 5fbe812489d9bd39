"""Stage 3b, claims: see `extractor.py`."""

from pipeline.extract.claims.cues import Cues
from pipeline.extract.claims.extractor import ClaimExtractor, extract_claims, objects_of
from pipeline.extract.stats import ClaimStats

__all__ = ["ClaimExtractor", "ClaimStats", "Cues", "extract_claims", "objects_of"]
