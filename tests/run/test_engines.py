"""Both engines run the same per-document function and give byte-identical tables."""

from __future__ import annotations

import html
import shutil

import pytest

from pipeline import cli


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, request):
    """The five articles plus variants: an edited copy, an HTML rendering and a mirror."""
    raw = tmp_path_factory.mktemp("engines") / "raw"
    shutil.copytree(request.config.rootpath / "raw", raw)
    seeds = sorted(raw.glob("*.txt"))
    text = seeds[0].read_text()
    (raw / "variant-edited.txt").write_text(text + "\nThe soleus and the gastrocnemius power every push-off.\n")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in seeds[1].read_text().split("\n\n") if p.strip())
    (raw / "variant.html").write_text(
        f"<html><head><title>Variant</title></head><body><article>{paragraphs}</article></body></html>"
    )
    (raw / "sub").mkdir()
    (raw / "sub" / "variant-mirror.txt").write_text(
        "Mirror site header\n\n" + seeds[2].read_text() + "\n\nMirror footer.\n"
    )
    return raw


def build(corpus, out, *engine):
    args = ["run", "--raw", str(corpus), "--out", str(out), "--decisions", str(out / "none.yaml"), "--no-cache", "-q"]
    assert cli.main([*args, "--workers", "2", *engine]) == cli.EXIT_OK
    return {p.name: p.read_bytes() for p in out.glob("*.parquet")}


def test_local_pool_and_dask_local_cluster_give_identical_tables(corpus, tmp_path):
    local = build(corpus, tmp_path / "local", "--engine", "local")
    dask = build(corpus, tmp_path / "dask", "--engine", "dask")
    single = build(corpus, tmp_path / "single", "--engine", "local", "--workers", "1")
    assert len(local) == 8
    assert local == dask == single


@pytest.mark.parametrize("workers", [1, 2])
def test_documents_stream_through_a_bounded_window(corpus, tmp_path, workers):
    from pipeline.ingest.read import discover, iter_documents
    from pipeline.run.engines import WINDOW_PER_WORKER, EngineSettings, run_documents

    sources = discover(corpus) * 6  # 48 documents, more than the window holds
    read = 0

    def documents():
        nonlocal read
        for doc in iter_documents(sources):
            read += 1
            yield doc

    settings = EngineSettings(workers=workers, cache_dir=tmp_path / "cache", use_cache=False, through="strip")
    outputs = run_documents(documents(), settings)
    first = next(outputs)
    # The first output arrives while most documents are still unread.
    assert read <= workers * WINDOW_PER_WORKER + 1 < len(sources)
    rest = list(outputs)
    assert read == len(sources) and len(rest) == len(sources) - 1
    assert [out.document.source_path for out in [first, *rest]] == [s.rel_path for s in sources]


def test_a_pool_started_for_the_expected_documents_gives_the_same_outputs_and_is_not_waited_for_unused(
    corpus, tmp_path
):
    import multiprocessing

    from pipeline.ingest.read import discover, iter_documents
    from pipeline.run.engines import EngineSettings, _Workers, run_documents

    settings = EngineSettings(workers=2, cache_dir=tmp_path / "cache", use_cache=True, through="claims")
    sources = discover(corpus)
    waits = []
    cold = list(
        run_documents(iter_documents(sources), settings, expected=len(sources), while_waiting=lambda: waits.append(1))
    )
    # Expecting one document that the cache serves after all: one loading worker, stopped unused.
    warm = list(run_documents(iter_documents(sources), settings, expected=1, while_waiting=lambda: waits.append(1)))
    assert len(waits) == 1  # the cold run waited for its workers once; the warm one never did
    assert [o.from_cache for o in cold] == [False] * len(sources)
    assert [o.from_cache for o in warm] == [True] * len(sources)
    assert [(o.mentions, o.claims) for o in warm] == [(o.mentions, o.claims) for o in cold]
    assert multiprocessing.active_children() == []
    workers = _Workers(settings, driver=None, expected=1)
    with workers:
        assert workers._pool is not None and workers._pool_size == 1  # started before any document
    assert _Workers(settings, driver=None)._pool is None  # no expectation: started by the first document
