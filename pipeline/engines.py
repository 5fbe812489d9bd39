"""Engines: where the per-document stages run. Both map the same function over documents.

- `local` (default): documents already in the cache are served in this process; the rest go
  to a process pool sized to the cores, each worker building its spaCy pipelines once.
- `dask`: the same function on a Dask cluster (`--scheduler ADDRESS`, or a LocalCluster when no
  address is given). Results come back to the client in input order; reconcile runs there.

Outputs are yielded in input order, so every engine gives the same tables byte for byte.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pipeline.cache import StageCache
from pipeline.process import DocumentOutput, DocumentProcessor
from pipeline.records import Document

ENGINES = ("local", "dask")
# Documents handed to a worker at a time: large enough to amortise the round trip, small
# enough that two workers stay busy to the end of a few hundred documents.
CHUNK_SIZE = 8


@dataclass(frozen=True)
class EngineSettings:
    engine: str = "local"
    workers: int = 0  # 0: one per core
    scheduler: str | None = None  # dask: address of an existing scheduler
    cache_dir: Path = Path(".cache/curate")
    use_cache: bool = True
    through: str = "claims"

    @property
    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


# One processor per worker process, built on its first document and reused for the rest.
_processor: DocumentProcessor | None = None


def process_document(doc: Document, cache_dir: Path, use_cache: bool, through: str) -> DocumentOutput:
    """The per-document stages in whichever process runs this (pool or Dask worker)."""
    global _processor
    wanted = (Path(cache_dir), use_cache, through)
    if _processor is None or (_processor.cache.root, _processor.cache.enabled, _processor.through) != wanted:
        _processor = DocumentProcessor(StageCache(Path(cache_dir), use_cache), through)
    return _processor(doc)


def run_documents(documents: list[Document], settings: EngineSettings) -> Iterator[DocumentOutput]:
    """Each document's output, in input order."""
    driver = DocumentProcessor(StageCache(settings.cache_dir, settings.use_cache), settings.through)
    cached = [driver.cached(doc) for doc in documents]
    todo = [doc for doc, out in zip(documents, cached, strict=True) if out is None]
    computed = iter(_compute(todo, settings, driver))
    for out in cached:
        yield out if out is not None else next(computed)


def _compute(
    documents: list[Document], settings: EngineSettings, driver: DocumentProcessor
) -> Iterator[DocumentOutput]:
    if not documents:
        return iter(())
    if settings.engine == "dask":
        return _dask(documents, settings)
    workers = min(settings.n_workers, len(documents))
    if workers <= 1:
        return (driver(doc) for doc in documents)
    return _pool(documents, settings, workers)


def _pool(documents: list[Document], settings: EngineSettings, workers: int) -> Iterator[DocumentOutput]:
    run = partial(
        process_document, cache_dir=settings.cache_dir, use_cache=settings.use_cache, through=settings.through
    )
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, min(CHUNK_SIZE, len(documents) // (workers * 4)))
        yield from pool.map(run, documents, chunksize=chunk)


def _dask(documents: list[Document], settings: EngineSettings) -> Iterator[DocumentOutput]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # an optional extra
        raise RuntimeError("the dask engine needs `pip install -e '.[dask]'` (dask and distributed)") from exc
    cluster = None
    if settings.scheduler:
        client = Client(settings.scheduler)
    else:
        cluster = LocalCluster(
            n_workers=settings.n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        args = (str(settings.cache_dir), settings.use_cache, settings.through)
        futures = client.map(process_document, documents, *([a] * len(documents) for a in args), pure=False)
        for future in futures:  # in input order; a worker's error is raised here
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
