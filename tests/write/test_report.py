"""report.html: charts, links to the audit and review pages, figures that appear only when present."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import cli
from pipeline.write.built import BuiltFolder
from pipeline.write.pages import write_pages
from pipeline.write.report import build_report
from pipeline.write.report_data import TOP_DOCUMENTS

SVG = re.compile(r'<svg role="img" aria-label="([^"]*)" class="chart".*?</svg>', re.S)


@pytest.fixture
def built(seed_build, tmp_path) -> Path:
    out = tmp_path / "curated"
    shutil.copytree(seed_build, out)
    return out


def test_the_report_has_every_section_with_its_charts(seed_build):
    page = (seed_build / "report.html").read_text()
    for section in ("corpus", "coverage", "facts", "review", "quality"):
        assert f'<h2 id="{section}">' in page
    charts = dict((m.group(1), m.group(0)) for m in SVG.finditer(page))
    assert {
        "Words kept, and removed per reason",
        "Mentions",
        "Claims per rule and modality",
        "Conflicts by kind and status",
    } <= set(charts)
    assert {"action", "exercise", "running_role"} <= set(charts)  # one chart per relation
    for svg in charts.values():
        assert "<rect" in svg and "<title>" in svg  # bars or cells, each with its figure on hover
    assert '<strong>Documents by status</strong><table class="data"><tr><td>ok</td><td class="n">5</td>' in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # each chart has an id of its own
    assert "hamstrings" in charts["Mentions"] and "runners-blog-what-muscles" in page
    assert "<script src=" not in page and "http://" not in page.replace("http://www.w3.org", "")  # offline


def test_every_link_of_the_report_lands_on_a_page_of_the_build(seed_build):
    page = (seed_build / "report.html").read_text()
    review = (seed_build / "review.html").read_text()
    audit_links = re.findall(r'href="(audit/[0-9a-f]+\.html)(?:#([^"]+))?"', page)
    assert len(audit_links) > 10
    for href, anchor in audit_links:
        target = (seed_build / href).read_text()
        if anchor:
            assert f'id="{anchor.split("-L")[0]}"' in target, (href, anchor)
    for anchor in re.findall(r'href="review\.html#([^"]+)"', page):
        assert f'id="{anchor}"' in review
    conflicts = pq.read_table(seed_build / "conflicts.parquet").to_pylist()
    open_references = sum(c["kind"] == "reference" and c["status"] == "open" for c in conflicts)
    assert open_references
    assert re.search(
        rf'href="review\.html#open-reference">reference</a></td><td class="n">{open_references}</td>', page
    )


def test_quality_shows_the_evaluation_when_there_is_one(built):
    report = build_report(BuiltFolder(built)).html
    assert "No evaluation in this folder" in report and "curate evaluate" in report
    evaluation = {
        "gold": "gold.yaml",
        "totals": {
            "muscles": {
                "precision": {"value": 0.8333, "hits": 5, "total": 6},
                "recall": {"value": 0.5, "hits": 1, "total": 2},
            },
            "claims": {"precision": {"value": None, "hits": 0, "total": 0}},
        },
        "boilerplate": {"f1": 0.91, "note": "text is ignored"},
        "articles": [{"key": "x", "muscles": {"precision": 0.1}}],
    }
    (built / "evaluation.json").write_text(json.dumps(evaluation))
    quality = build_report(BuiltFolder(built)).html.split('id="quality"')[1]
    assert "<td>precision</td><td>0.833 (5/6)</td>" in quality and "<td>recall</td><td>0.500 (1/2)</td>" in quality
    assert "<td>precision</td><td>- (0/0)</td>" in quality and '<td>f1</td><td class="n">0.91</td>' in quality
    assert "text is ignored" not in quality and "articles" not in quality


def test_a_rebuild_keeps_the_evaluation_and_shows_it(built, tmp_path):
    figures = {"totals": {"claims": {"precision": {"value": 0.75, "hits": 3, "total": 4}}}}
    (built / "evaluation.json").write_text(json.dumps(figures))
    args = ["run", "--out", str(built), "--decisions", str(tmp_path / "none.yaml"), "--force", "-q"]
    assert cli.main(args) == cli.EXIT_OK
    assert json.loads((built / "evaluation.json").read_text()) == figures
    assert "0.750 (3/4)" in (built / "report.html").read_text()


def test_candidate_terms_are_counted_only_when_the_build_has_them(built):
    vocabulary = pq.read_table(built / "vocabulary.parquet")
    conflicts = pq.read_table(built / "conflicts.parquet").to_pylist()
    terms = sum(vocabulary.column("candidate").to_pylist())
    waiting = sum(c["kind"] == "candidate" and c["status"] == "open" for c in conflicts)
    assert f"{terms} candidate vocabulary terms; {waiting} wait for review" in build_report(BuiltFolder(built)).html
    pq.write_table(vocabulary.drop_columns(["candidate"]), built / "vocabulary.parquet")  # an older build
    assert "Candidate terms" not in build_report(BuiltFolder(built)).html


def test_stale_decisions_are_listed(built):
    stats = json.loads((built / "stats.json").read_text())
    stats["reconcile"]["stale_decisions"] = [
        {"conflict_id": "00000000deadbeef", "action": "merge", "line": 7, "file": "d.yaml"}
    ]
    (built / "stats.json").write_text(json.dumps(stats))
    page = build_report(BuiltFolder(built)).html
    assert "Stale decisions (1)" in page and "00000000deadbeef" in page and "d.yaml:7" in page


def test_curate_report_rewrites_the_pages_of_a_build_byte_for_byte(seed_build, built, tmp_path, capsys):
    for page in ["report.html", "review.html", *(f"audit/{p.name}" for p in (built / "audit").iterdir())]:
        (built / page).unlink()
    (built / "audit" / "0123456789abcdef.html").write_text("a page of a document this build does not cite")
    assert cli.main(["report", "--out", str(built), "--raw", str(Path(__file__).parents[2] / "raw")]) == 0
    assert "wrote" in capsys.readouterr().out
    pages = sorted(p.relative_to(built) for p in built.rglob("*.html"))
    assert pages == sorted(p.relative_to(seed_build) for p in seed_build.rglob("*.html"))
    for page in pages:
        assert (built / page).read_bytes() == (seed_build / page).read_bytes(), page
    assert cli.main(["report", "--out", str(tmp_path / "nothing")]) == cli.EXIT_CANNOT_RUN
    assert "holds no build" in capsys.readouterr().err


def _copies(rows: list[dict], per_doc: int, docs: int) -> list[dict]:
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    templates = [group[:per_doc] for group in by_doc.values()]
    out = []
    for i in range(docs):
        for row in templates[i % len(templates)]:
            out.append({**row, "doc_id": f"{i:016x}"})
    return out


def test_the_report_stays_small_for_5000_documents(seed_build, tmp_path):
    """Only aggregates and top-N lists: the page is about the same size at 5 and 5,000 documents."""
    out = tmp_path / "big"
    out.mkdir()
    n = 5000
    docs = pq.read_table(seed_build / "documents.parquet")
    rows = _copies(docs.to_pylist(), 1, n)
    for i, row in enumerate(rows):
        row.update(source_path=f"site{i % 40}/doc{i:05d}.txt", source_group=f"{i - i % 3:016x}")
    pq.write_table(pa.Table.from_pylist(rows, schema=docs.schema), out / "documents.parquet")
    for name, per_doc in (("blocks", 12), ("mentions", 10), ("claims", 6)):
        table = pq.read_table(seed_build / f"{name}.parquet")
        copies = _copies(table.to_pylist(), per_doc, n)
        if name == "claims":
            copies = [{**c, "claim_id": f"{c['doc_id']}{c['claim_id']}"} for c in copies]
        pq.write_table(pa.Table.from_pylist(copies, schema=table.schema), out / f"{name}.parquet")
    for name in ("muscles", "facts", "conflicts", "vocabulary"):
        shutil.copy(seed_build / f"{name}.parquet", out / f"{name}.parquet")
    written = write_pages(out, tmp_path / "no-raw-folder")
    page = (out / "report.html").read_text()
    assert len(page.encode()) < 600_000, len(page.encode())
    assert f"the {TOP_DOCUMENTS} of {n:,} documents with the most words removed" in page
    assert "the 40 of 1,667 sources with the most mentions" in page
    assert len(written) - 2 <= TOP_DOCUMENTS + 200  # audit pages: cited documents only
    audit = next((out / "audit").iterdir()).read_text()
    assert "is not there any more" in audit  # no raw file: the page says it shows the build's copy


def test_a_kind_with_nothing_open_links_to_its_resolved_conflicts():
    from collections import Counter

    from pipeline.write.report import _kind_link

    assert 'href="review.html#resolved-category"' in _kind_link("category", Counter({("category", "resolved"): 1}))
    assert 'href="review.html#open-naming"' in _kind_link("naming", Counter({("naming", "open"): 2}))
