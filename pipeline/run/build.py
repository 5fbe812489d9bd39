"""Run a build: the stages of the registry (`stages.py`) in order, then the tables of the last one.

Documents stream through the per-document stages (cached, on an engine); reconcile then runs
once over everything they produced; the writer validates and writes the tables. A build can
stop after any stage (`curate strip`, `curate muscles`, `curate claims`); `curate run` runs them
all and also writes the review page and the manifest.

A build owns its output folder for its whole run (`staging.hold`: a lock beside it, and the
recovery of any build killed before), and its outputs replace the folder in one step at the end
(`staging.staged_output`), so readers see the previous build until the new one is complete.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.common.stats import Stats
from pipeline.ingest.known import KnownInputs
from pipeline.ingest.read import DEFAULT_MAX_BYTES, iter_documents, read_source, served_unread
from pipeline.reconcile.dedupe import groups_of_signatures
from pipeline.records import STATUS_DUPLICATE, STATUS_ERROR, Claim, Document, Mention
from pipeline.review.decisions import DEFAULT_DECISIONS
from pipeline.run.cache import DEFAULT_CACHE_DIR, StageCache, run_lock
from pipeline.run.engines import EngineSettings, run_documents
from pipeline.run.progress import progress
from pipeline.run.stages import BY_NAME, Stage
from pipeline.run.staging import hold
from pipeline.run.uptodate import BuildInputs, build_key
from pipeline.write.blocktable import BlockTable

# A build's driver holds millions of long-lived objects (blocks, mentions, claims) and makes few
# reference cycles. At Python's default thresholds (700, 10, 10) the collector walked them over and
# over: serving the 5,000 cached documents of bench/throughput.py's corpus took 2.4 s, and 1.5 s
# with these thresholds. Cycles are still collected, only less often.
GC_THRESHOLDS = (100_000, 50, 50)


@dataclass
class Settings:
    raw_dir: Path = Path("raw")
    out_dir: Path = Path("curated")
    max_bytes: int = DEFAULT_MAX_BYTES
    progress: bool = True
    decisions: Path = DEFAULT_DECISIONS
    cache_dir: Path = DEFAULT_CACHE_DIR
    use_cache: bool = True
    engine: str = "local"
    workers: int = 0  # 0: one per core
    scheduler: str | None = None
    inputs: BuildInputs | None = None  # what the caller found already (raw folder, decisions file)
    build_key: str | None = None  # of these inputs, when the caller has hashed them already

    def build_inputs(self) -> BuildInputs:
        if self.inputs is None:
            self.inputs = BuildInputs(self.raw_dir, self.out_dir, self.max_bytes, self.decisions)
        return self.inputs


@dataclass
class RunResult:
    documents: list[Document]
    blocks: BlockTable = field(default_factory=BlockTable)
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    reconciled: Any = None  # pipeline.reconcile.Reconciled, for a whole build
    stage_stats: dict[str, Stats] = field(default_factory=dict)  # per-document stages, summed
    processed: int = 0  # documents that went through the per-document stages
    from_cache: int = 0  # of those, documents served entirely from the cache
    signatures: dict[str, Any] = field(default_factory=dict, repr=False)  # doc_id -> MinHash
    _groups: dict[str, tuple[str, float]] | None = field(default=None, repr=False)
    stats: dict[str, Any] = field(default_factory=dict)  # what stats.json holds
    written: list[Path] = field(default_factory=list)

    def source_groups(self) -> dict[str, tuple[str, float]]:
        """doc_id -> (near-duplicate group, similarity); computed once per run, from the
        signatures the per-document stage made (and cached)."""
        if self._groups is None:
            owners = sorted((d for d in self.documents if d.doc_id in self.signatures), key=lambda d: d.source_path)
            self._groups = groups_of_signatures([(d.doc_id, self.signatures[d.doc_id]) for d in owners])
        return self._groups

    @property
    def failed(self) -> list[Document]:
        return [d for d in self.documents if d.status == STATUS_ERROR]


def run_all(settings: Settings) -> RunResult:
    """The whole build: every stage, every table, the review page, stats and manifest."""
    return run_through("reconcile", settings)


def run_through(stage_name: str, settings: Settings) -> RunResult:
    """Stages 1 to `stage_name`, then write that stage's tables (and stats.json, after strip)."""
    from pipeline.run.outputs import finish_build, write_partial  # Arrow and the writer load here

    stage = BY_NAME[stage_name]
    started = time.perf_counter()
    with hold(settings.out_dir), fewer_collections():  # no other build writes --out meanwhile (already held by the CLI)
        inputs = settings.build_inputs()
        whole = stage.name == "reconcile"
        # Taken before anything is read: an input edited during the build makes the next run rebuild.
        key = (settings.build_key or build_key(inputs)) if whole else None
        decisions = inputs.decisions if whole else []  # a malformed file stops the run before any work
        result = document_stages(inputs, settings, stage)
        if not whole:
            write_partial(result, stage, settings)
            return result
        finish_build(result, decisions, settings, key, started)
    return result


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The garbage collector's thresholds raised to `GC_THRESHOLDS` for the block, then restored."""
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def document_stages(inputs: BuildInputs, settings: Settings, stage: Stage) -> RunResult:
    """Ingest, then the per-document stages up to `stage`, streamed per document, cache first."""
    engine = EngineSettings(
        engine=settings.engine,
        workers=settings.workers,
        scheduler=settings.scheduler,
        cache_dir=settings.cache_dir,
        use_cache=settings.use_cache,
        through=stage.name,
    )
    from pipeline.run.process import DocumentProcessor  # spaCy loads only when a run starts

    lock = run_lock(settings.cache_dir) if settings.use_cache else contextlib.nullcontext()
    result = RunResult(documents=[])
    with lock:
        known = KnownInputs.load(settings.cache_dir if settings.use_cache else None)
        if stage.name == "reconcile":  # the key hashed every input: record those hashes with the files read
            known.digests, known.hashed = inputs.input_digests, inputs.hashed_identities
        served = DocumentProcessor(StageCache(settings.cache_dir, settings.use_cache), stage.name).serves
        # Checked up front (a few file-system calls each), so the engine knows how many documents
        # will need a worker before the first arrives, and can start one loading at once.
        unread = {s.rel_path for s in inputs.sources if served_unread(s, known, served, settings.max_bytes)}
        documents = iter_documents(inputs.sources, settings.max_bytes, known, lambda d: d.source_path in unread)
        expected = len(inputs.sources) - len(unread)
        reread = _reader_of_unread(inputs, settings.max_bytes, known, unread)
        prepare = _load_reconcile_data if stage.name == "reconcile" else None
        with contextlib.closing(run_documents(documents, engine, expected, reread, prepare)) as outputs:
            if settings.use_cache:
                StageCache(settings.cache_dir).sweep()  # leftovers of a killed build; ours start now
            # Closed explicitly: on an error or a signal the engine kills its workers at once.
            for out in progress(outputs, len(inputs.sources), "documents", settings.progress):
                _collect(result, out)
        known.forget_others(inputs.sources)
        known.save()
    return result


def _reader_of_unread(
    inputs: BuildInputs, max_bytes: int, known: KnownInputs, unread: set[str]
) -> Callable[[Document], Document | None]:
    """For a document passed on unread whose cache entries then fail to load (damaged on disk):
    the file read now, so that its stages can run again. None for any other document."""
    sources = {source.rel_path: source for source in inputs.sources}

    def reread(doc: Document) -> Document | None:
        if doc.source_path not in unread:
            return None
        unread.discard(doc.source_path)
        source = sources[doc.source_path]
        fresh = read_source(source, max_bytes)
        known.remember(source, fresh)
        if doc.status == STATUS_DUPLICATE and fresh.doc_id == doc.doc_id:
            fresh.status, fresh.duplicate_of = doc.status, doc.duplicate_of
        return fresh

    return reread


def _load_reconcile_data() -> None:
    """The lexicon, vocabulary and reference knowledge reconcile starts by loading (about 0.1 s),
    loaded while the workers finish their last documents: after one edit, the build's own
    process serves the other documents well before the worker that took the edited one is done.

    A file that fails to load here fails again in reconcile, which reports it: failing here
    would lose the documents still in the workers, which reconcile finds cached."""
    from pipeline.extract.lexicon import cached_lexicon
    from pipeline.extract.vocabulary import cached_vocabulary
    from pipeline.reconcile.knowledge import cached_reference

    with contextlib.suppress(Exception):
        cached_lexicon(), cached_vocabulary(check_patterns=False), cached_reference()


def _collect(result: RunResult, out: Any) -> None:
    # Workers return the documents with the metadata the strip stage recovered (text dropped).
    result.documents.append(out.document)
    if out.stripped is not None and out.stripped.rows.num_rows:
        result.processed += 1
        result.from_cache += out.from_cache
        result.blocks.add(out.stripped)
    result.mentions += out.mentions
    result.claims += out.claims
    if out.signature is not None and out.document.status in ("ok", "error"):
        result.signatures[out.document.doc_id] = out.signature
    for name, stats in out.stats.items():
        if name in result.stage_stats:
            result.stage_stats[name] += stats
        else:  # a copy: the sum grows in place, and must not grow the first document's own stats
            result.stage_stats[name] = copy.deepcopy(stats)
