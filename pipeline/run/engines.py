"""Engines: where the per-document stages run. Both map the same function over documents.

- `local` (default): documents already in the cache are served in this process; the rest go
  to a process pool sized to the cores, each worker building its spaCy pipelines once.
- `dask`: the same function on a Dask cluster (`--scheduler ADDRESS`, or a LocalCluster when no
  address is given). Results come back to the client in input order; reconcile runs there.

Outputs are yielded in input order, so every engine gives the same tables byte for byte.

Workers never outlive the build. Pool workers ask the kernel to kill them when the build dies
(`PR_SET_PDEATHSIG` on Linux) and leave SIGINT to it; a build that stops on an error or a signal
kills its workers before it returns. Dask's LocalCluster workers exit on their own when the
process that started them goes away (distributed watches a pipe to its parent).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.records import Document
from pipeline.run.cache import StageCache

if TYPE_CHECKING:
    from pipeline.run.process import DocumentOutput, DocumentProcessor

ENGINES = ("local", "dask")
# Documents in flight per worker: enough to keep every worker busy while the driver reads
# and collects, few enough that memory holds only a few dozen decoded inputs at a time.
WINDOW_PER_WORKER = 8


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


# prctl(2) option: the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Pool worker initializer: be killed with the build, and let the build handle Ctrl-C.

    Without this, a build killed mid-run leaves its workers running under PID 1, holding its
    output pipes open for as long as their documents take.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops its workers itself
    for signum in (signal.SIGTERM, signal.SIGHUP):  # not the build's handlers, which fork copied
        signal.signal(signum, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        os.kill(parent, 0)  # the build died before the line above took effect
    except ProcessLookupError:
        os._exit(1)


# One processor per worker process, built on its first document and reused for the rest.
_processor: DocumentProcessor | None = None


def process_document(doc: Document, cache_dir: Path, use_cache: bool, through: str) -> DocumentOutput:
    """The per-document stages in whichever process runs this (pool or Dask worker)."""
    return _processor_for(Path(cache_dir), use_cache, through)(doc)


def start_worker(parent: int, cache_dir: str, use_cache: bool, through: str) -> None:
    """Pool worker initializer: die with the build, then load the steps and their pipelines.

    Workers keep the collector thresholds the build raised (`build.GC_THRESHOLDS`): loading the
    pipelines under them makes one changed document at N = 1,000 about 0.3 s faster, and the
    peak memory of a cold N = 1,000 build was the same (874 and 875 MiB, bench/throughput.py).
    """
    die_with_parent(parent)
    # A failure here (a bad rule file) is raised again by the first document, where the build reports it.
    with contextlib.suppress(Exception):
        _processor_for(Path(cache_dir), use_cache, through).steps.warm_up()


def _processor_for(cache_dir: Path, use_cache: bool, through: str) -> DocumentProcessor:
    global _processor
    from pipeline.run.process import DocumentProcessor

    wanted = (cache_dir, use_cache, through)
    if _processor is None or (_processor.cache.root, _processor.cache.enabled, _processor.through) != wanted:
        _processor = DocumentProcessor(StageCache(cache_dir, use_cache), through)
    return _processor


def run_documents(
    documents: Iterable[Document],
    settings: EngineSettings,
    expected: int | None = None,
    reread: Callable[[Document], Document | None] | None = None,
    while_waiting: Callable[[], None] | None = None,
) -> Iterator[DocumentOutput]:
    """Each document's output, in input order, with a bounded number of documents in flight.

    Documents are read from `documents` only as the window frees up, so memory holds a few
    dozen decoded inputs however large the corpus. Workers start at the first document the
    cache cannot serve; a fully cached run starts none. When the caller knows how many documents
    the cache will not serve (`expected`), the pool starts at once with no more workers than
    that, and they load their pipelines while this process serves the others. A document that
    came unread but that the cache then fails to serve (a damaged entry) is read by `reread`.
    Once every document is read, if workers are still busy, `while_waiting` runs here: this
    process would otherwise only wait for them.
    """
    from pipeline.run.process import DocumentProcessor  # spaCy and trafilatura load only when a run starts

    driver = DocumentProcessor(StageCache(settings.cache_dir, settings.use_cache), settings.through)
    with _Workers(settings, driver, expected) as workers:
        pending: deque[Future] = deque()  # pool or Dask futures; outputs made here come wrapped
        working = 0  # of those, documents sent to workers: only they count against the window
        for doc in documents:
            out = driver.cached(doc)
            if out is None and reread is not None:
                doc = reread(doc) or doc
            pending.append(_done(out) if out is not None else workers.submit(doc))
            working += not isinstance(pending[-1], _Served)
            # Cached outputs keep coming while a worker is busy, so one changed document does not
            # hold up the cache's others; the window bounds the decoded inputs in flight.
            while pending and (working > workers.window or pending[0].done()):
                working -= not isinstance(pending[0], _Served)
                yield pending.popleft().result()  # a worker's exception is raised here, in input order
        if while_waiting is not None and pending and not pending[0].done():
            while_waiting()
        while pending:
            yield pending.popleft().result()


class _Served(Future):
    """An output made in this process (from the cache, or by the only worker), already done."""


def _done(out: DocumentOutput) -> Future:
    future: Future = _Served()
    future.set_result(out)
    return future


class _Workers:
    """Where uncached documents go: a process pool, a Dask cluster, or (one worker) this process."""

    def __init__(self, settings: EngineSettings, driver: DocumentProcessor, expected: int | None = None) -> None:
        self.settings, self.driver = settings, driver
        self.window = settings.n_workers * WINDOW_PER_WORKER
        self._pool: ProcessPoolExecutor | None = None
        self._pool_size = min(settings.n_workers, expected) if expected else settings.n_workers
        self._sent = 0  # documents sent to the pool
        self._client = self._cluster = None
        if expected and settings.engine == "local" and settings.n_workers > 1:
            self._local_pool().submit(os.getpid)  # spawns the first worker, which starts loading

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._pool is not None:
            # An error or a signal: do not wait for documents in progress. No document sent (the
            # cache served the files that had changed on disk after all): nor for the loading.
            if exc_type is not None or not self._sent:
                _kill_workers(self._pool)
            self._pool.shutdown(cancel_futures=True)
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def submit(self, doc: Document) -> Future:
        s = self.settings
        args = (str(s.cache_dir), s.use_cache, s.through)
        if s.engine == "dask":
            return self._dask_client().submit(process_document, doc, *args, pure=False)
        if s.n_workers <= 1:
            return _done(self.driver(doc))
        self._sent += 1
        return self._local_pool().submit(process_document, doc, *args)

    def _local_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            _import_before_forking()
            s = self.settings
            self._pool = ProcessPoolExecutor(
                max_workers=self._pool_size,
                initializer=start_worker,
                initargs=(os.getpid(), str(s.cache_dir), s.use_cache, s.through),
            )
        return self._pool

    def _dask_client(self):
        if self._client is None:
            try:
                from distributed import Client, LocalCluster
            except ImportError as exc:  # an optional extra
                raise RuntimeError("the dask engine needs `pip install -e '.[dask]'` (dask and distributed)") from exc
            if self.settings.scheduler:
                self._client = Client(self.settings.scheduler)
            else:
                self._cluster = LocalCluster(
                    n_workers=self.settings.n_workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._client = Client(self._cluster)
        return self._client


def _import_before_forking() -> None:
    """Imports that workers would each repeat, done once here, where the build needs them anyway.

    pyarrow imports pandas at its first conversion of Python objects (0.2 to 0.4 s): workers do
    that for their first document's block rows, and the driver later for the tables.
    """
    import pandas  # noqa: F401


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's worker processes now (the executor has no public way before Python 3.14)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)
