"""The stages of a build, in order: the one place that lists them and what they read and write.

The CLI makes a subcommand of each stage (`curate ingest` ... `curate claims`, and `curate run`
for the whole build), the cache keys each per-document stage's output by the modules, data files
and libraries listed here, the worker runs the per-document stages in this order, and a partial
run writes the tables of the stage it stops after.

This module imports nothing heavy: the CLI reads it to build its help.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    command: str  # the `curate` subcommand that runs the build through this stage
    summary: str
    reads: str
    writes: tuple[str, ...]  # the tables a build stopping after this stage writes
    per_document: bool = False  # runs on each document alone (cached, parallel)
    # What a per-document stage's output depends on, for its cache key: modules (relative to the
    # package), data files (in pipeline/data) and libraries. Listed by hand, because an import
    # graph would also pull in modules whose edits cannot change the result (the CLI, the writer).
    modules: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    libraries: tuple[str, ...] = ()


STAGES: tuple[Stage, ...] = (
    Stage(
        "ingest",
        "ingest",
        "Stage 1: discover, read and decode the inputs.",
        "the files under --raw",
        ("documents",),
    ),
    Stage(
        "strip",
        "strip",
        "Stages 1-2: ingest, then strip boilerplate.",
        "the files under --raw",
        ("documents", "blocks"),
        per_document=True,
        modules=(
            "strip/",
            "common/rules.py",
            "records.py",
            "reconcile/dedupe.py",
            "run/steps.py",  # the steps of every per-document stage (keys chain, so one entry is enough)
        ),
        data=("boilerplate_patterns.jsonl", "stopwords_extra_en.txt"),
        libraries=("trafilatura", "justext", "lxml", "beautifulsoup4"),
    ),
    Stage(
        "muscles",
        "muscles",
        "Stages 1-3a: ingest, strip, then find and normalise muscle mentions.",
        "the files under --raw and the lexicon (pipeline/data/muscles.jsonl)",
        ("documents", "blocks", "mentions", "muscles"),
        per_document=True,
        modules=(
            "extract/muscles/",
            "extract/lexicon.py",
            "extract/lexicon_merge.py",
            "extract/spelling.py",
            "extract/registry.py",
            "common/",
            "records.py",
        ),
        data=("muscles.jsonl", "muscles_uberon.jsonl", "muscle_sense_guards.jsonl", "abbreviation_cues.jsonl"),
        libraries=("spacy", "wordfreq"),
    ),
    Stage(
        "claims",
        "claims",
        "Stages 1-3: ingest, strip, recognise muscles, extract claims.",
        "the files under --raw, the lexicon and the claim vocabularies and cues (pipeline/data/)",
        ("documents", "blocks", "mentions", "muscles", "claims", "vocabulary"),
        per_document=True,
        modules=("extract/", "common/", "records.py"),
        data=("vocabulary/", "claim_cues.jsonl", "muscles.jsonl", "muscles_uberon.jsonl"),
        libraries=("spacy",),
    ),
    Stage(
        "reconcile",
        "run",
        "Run the whole pipeline.",
        "every .html, .htm, .html.gz and .txt file under --raw, and the reviewer's decisions (--decisions)",
        ("documents", "blocks", "mentions", "muscles", "claims", "vocabulary", "facts", "conflicts"),
    ),
)
BY_NAME = {stage.name: stage for stage in STAGES}
BY_COMMAND = {stage.command: stage for stage in STAGES}
PER_DOCUMENT = tuple(stage.name for stage in STAGES if stage.per_document)


def through(name: str) -> tuple[Stage, ...]:
    """The stages a build runs to finish stage `name`, in order."""
    return STAGES[: STAGES.index(BY_NAME[name]) + 1]


def per_document_through(name: str) -> tuple[str, ...]:
    """The per-document stages a build through `name` runs."""
    return tuple(stage.name for stage in through(name) if stage.per_document)
