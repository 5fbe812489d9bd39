"""Curation pipeline: saved web articles about running muscles -> curated Parquet tables."""

__version__ = "0.1.0"
