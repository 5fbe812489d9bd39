"""Measure a build against articles a user annotated by hand (`curate evaluate GOLD.yaml`).

gold.py reads and validates the gold file and its muscle-key map, keys.py maps gold keys onto
the lexicon, tables.py reads the built tables, score.py and lines.py score muscles, claims and
boilerplate lines, evaluation.py ties them together and report.py prints the result. Nothing
here imports spaCy or trafilatura: evaluation reads Parquet tables, it does not build them.
"""

from pipeline.evaluate.evaluation import Evaluation, evaluate
from pipeline.evaluate.gold import GoldError
from pipeline.evaluate.tables import BuildError

__all__ = ["BuildError", "Evaluation", "GoldError", "evaluate"]
