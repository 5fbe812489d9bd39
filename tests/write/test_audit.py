"""The audit view: `curate show DOC` in the terminal and its page, with line anchors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipeline import cli
from pipeline.write.audit import AuditBlock, iter_documents, load_documents, render_terminal
from pipeline.write.audit_page import render_audit_page, write_audit_pages
from pipeline.write.built import BuiltFolder

LEGS = "does-running-work-out-your-legs.txt"
ANSI = re.compile(r"\x1b\[[\d;]*m")


def show(out: Path, raw: Path, *extra: str) -> int:
    return cli.main(["show", *extra, "--out", str(out), "--raw", str(raw)])


def doc_id(out: Path, source_path: str) -> str:
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    return next(d["doc_id"] for d in docs if d["source_path"] == source_path)


def test_show_prints_kept_and_removed_text_mentions_and_claims(seed_build, raw_dir, capsys):
    assert show(seed_build, raw_dir, LEGS, "--color", "never") == 0
    text = capsys.readouterr().out
    assert text.startswith("Does Running Work Out Your Legs?\ndoes-running-work-out-your-legs.txt \u00b7 doc ")
    assert " 1 \u2502 [removed: metadata] Does Running Work Out Your Legs?" in text
    assert "[gluteus maximus]" in text and "[hamstrings]" in text  # mentions, bracketed without colour
    assert "\u21b3 gluteus maximus \u2192 running_role \u2192 propulsion  (clause_subject, 0.85)" in text
    assert all(len(line) <= 160 for line in text.splitlines())
    claims = pq.read_table(seed_build / "claims.parquet").to_pylist()
    assert text.count("\u21b3 ") == sum(c["doc_id"] == doc_id(seed_build, LEGS) for c in claims)


def test_show_finds_a_document_by_its_path_on_disk_or_its_id(seed_build, raw_dir, capsys):
    ident = doc_id(seed_build, LEGS)
    for ref in (str(raw_dir / LEGS), ident[:8]):
        assert show(seed_build, raw_dir, ref, "--color", "never") == 0
        assert f"doc {ident}" in capsys.readouterr().out
    assert show(seed_build, raw_dir, "nothing-like-it.txt") == cli.EXIT_CANNOT_RUN
    assert "no document 'nothing-like-it.txt'" in capsys.readouterr().err


def test_colour_dims_removed_blocks_and_highlights_mentions(seed_build, raw_dir, capsys):
    assert show(seed_build, raw_dir, LEGS, "--color", "always") == 0
    text = capsys.readouterr().out
    assert "\x1b[2m[removed: metadata] Does Running Work Out Your Legs?\x1b[0m" in text
    assert "\x1b[1;33;4mgluteus maximus\x1b[0m" in text  # a mention inside a claimed (underlined) sentence
    assert "[hamstrings]" not in text
    assert all(len(ANSI.sub("", line)) <= 160 for line in text.splitlines())


def test_the_html_page_anchors_every_line_and_claim(seed_build, raw_dir, tmp_path, capsys):
    out = tmp_path / "curated"
    shutil.copytree(seed_build, out)
    shutil.rmtree(out / "audit")
    assert show(out, raw_dir, LEGS, "--html") == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == out / "audit" / f"{doc_id(out, LEGS)}.html"
    page = path.read_text()
    blocks = [b for b in pq.read_table(out / "blocks.parquet").to_pylist() if b["doc_id"] == doc_id(out, LEGS)]
    for block in blocks:
        assert f'id="L{block["line_start"]}" data-l1="{block["line_start"]}"' in page
    assert '<span class="reason" title="title, date, byline' in page
    assert '<mark class="m" title="gluteus maximus (exact)">gluteus maximus</mark>' in page
    assert len(re.findall(r'<li id="claim-[0-9a-f]+">', page)) > 10
    assert '<a href="../report.html">Report</a>' in page


def test_a_changed_raw_file_and_uncovered_lines_are_shown(seed_build, raw_dir, tmp_path):
    out, raw = tmp_path / "curated", tmp_path / "raw"
    shutil.copytree(seed_build, out)
    shutil.copytree(raw_dir, raw)
    ident = doc_id(out, LEGS)
    blocks = pq.read_table(out / "blocks.parquet")
    dropped = blocks.filter(pc.and_(pc.equal(blocks["doc_id"], ident), pc.equal(blocks["block_idx"], 2)))
    (line,) = dropped.column("line_start").to_pylist()
    keep = pc.invert(pc.and_(pc.equal(blocks["doc_id"], ident), pc.equal(blocks["block_idx"], 2)))
    pq.write_table(blocks.filter(keep), out / "blocks.parquet")
    (document,) = load_documents(BuiltFolder(out), raw, [ident])
    text = render_terminal(document, 100)
    assert re.search(rf"^ *{line} \u2502 \[not in any block\] ", text, re.M)
    assert f'id="L{line}"' in render_audit_page(document)
    (raw / LEGS).write_text((raw / LEGS).read_text() + "\nA line added after the build.\n")
    (document,) = load_documents(BuiltFolder(out), raw, [ident])
    assert "has changed since this build: line numbers may not match" in render_terminal(document)
    assert "has changed since this build" in render_audit_page(document)


@pytest.mark.parametrize("width", [40, 72])
def test_wrapping_keeps_words_whole_within_the_width(width):
    from pipeline.write.audit import AuditDocument

    text = "The calf muscles lift the heel off the ground with every stride and absorb landing force."
    block = AuditBlock(
        0, "paragraph", text, True, None, 3, 3, mentions=[{"char_start": 4, "char_end": 16, "flags": []}]
    )
    doc = {"doc_id": "d", "source_path": "a.txt", "format": "text", "status": "ok", "title": "A"}
    lines = render_terminal(AuditDocument(doc, [], [block]), width).splitlines()[4:]
    body = [line.split("\u2502 ", 1)[1] for line in lines]
    assert " ".join(body) == text.replace("calf muscles", "[calf muscles]")
    assert all(len(line) <= width for line in lines)


HTML_ARTICLE = """<!DOCTYPE html><html><head><title>Strong calves for hill runners</title></head><body>
<nav><a href="/">Home</a> <a href="/shoes">Shoes</a></nav>
<article><h1>Strong calves for hill runners</h1>
<p>Your calves lift the heel off the ground with every stride, and on a steep hill they do even more of the work
than usual, which is why so many runners feel them burn halfway up the climb.</p>
<p>Calf raises strengthen the calves, and a slow lowering phase adds to the benefit for the tendon as well.
Many coaches suggest three sets of fifteen slow repetitions, twice a week, for runners who train on hills.</p>
<p>The soleus works hardest when the knee is bent, so seated calf raises are a good second exercise to add
once the standing version feels easy and the ankle moves smoothly through its whole range.</p>
</article><footer>Copyright notice for this example page.</footer></body></html>
"""


def test_evidence_from_an_html_input_points_at_its_claim(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    (raw / "calves.html").write_text(HTML_ARTICLE)
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--decisions", str(tmp_path / "d.yaml"), "-q"]) == 0
    claims = pq.read_table(out / "claims.parquet").to_pylist()
    assert claims and all(c["line_start"] is None for c in claims)  # HTML has no raw lines
    ident = claims[0]["doc_id"]
    page = (out / "audit" / f"{ident}.html").read_text()
    for claim in claims:
        assert f'<li id="claim-{claim["claim_id"]}">' in page
    links = re.findall(rf'href="audit/{ident}\.html#(claim-[0-9a-f]+)"', (out / "report.html").read_text())
    assert links and all(f'id="{anchor}"' in page for anchor in links)
    assert ('id="B0"' in page) and ('data-l1="' not in page)  # blocks are anchored by number


def test_pages_written_in_batches_match_the_pages_of_one_read(seed_build, raw_dir, tmp_path):
    """Audit pages are streamed to disk a few documents at a time; the pages are the same."""
    built = BuiltFolder(seed_build)
    ids = sorted(pq.read_table(seed_build / "documents.parquet", columns=["doc_id"])["doc_id"].to_pylist())
    at_once = load_documents(built, raw_dir, ids)
    batched = list(iter_documents(built, raw_dir, ids, batch=2))
    assert [d.doc["doc_id"] for d in batched] == ids
    written = write_audit_pages(tmp_path, batched)
    assert [p.read_text(encoding="utf-8") for p in written] == [render_audit_page(d) for d in at_once]
    assert all(d.counts() == a.counts() for d, a in zip(batched, at_once, strict=True))


def test_a_rebuild_links_the_pages_whose_inputs_did_not_change_and_renders_the_rest(tmp_path, raw_dir, monkeypatch):
    from pipeline.write import audit_page

    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)

    def build(out: Path) -> None:
        args = ["run", "--raw", str(raw), "--out", str(out), "--decisions", str(tmp_path / "d.yaml"), "-q"]
        assert cli.main([*args, "--cache-dir", str(tmp_path / "cache")]) == 0

    build(tmp_path / "out")
    rendered = []
    real = audit_page.audit_page_parts
    monkeypatch.setattr(audit_page, "audit_page_parts", lambda doc, *a: rendered.append(doc) or real(doc, *a))
    legs = raw / LEGS
    legs.write_text(legs.read_text() + "\nThe soleus holds the ankle steady on every stride.\n")
    build(tmp_path / "out")
    pages = sorted((tmp_path / "out" / "audit").glob("*.html"))
    assert len(pages) >= 3 and [d.doc["source_path"] for d in rendered] == [LEGS]
    build(tmp_path / "fresh")  # no earlier folder: every page rendered
    assert {p.name: p.read_bytes() for p in pages} == {
        p.name: p.read_bytes() for p in (tmp_path / "fresh" / "audit").glob("*.html")
    }


def test_a_page_names_the_digest_of_what_it_shows(seed_build, raw_dir):
    from pipeline.write.audit_page import page_digest

    (document, other) = load_documents(BuiltFolder(seed_build), raw_dir, sorted_ids(seed_build)[:2])
    assert page_digest(document) != page_digest(other)
    before = page_digest(document)
    document.items[0].text += " (edited)"
    assert page_digest(document) != before
    assert f'content="{page_digest(document)}"' in render_audit_page(document)


def test_the_digest_depends_on_the_values_not_on_which_objects_are_shared():
    from pipeline.write.audit import AuditDocument
    from pipeline.write.audit_page import page_digest

    name = "".join(["gluteus ", "medius"])  # built at run time: one object, used twice below
    shared = AuditDocument(doc={"doc_id": "d", "title": name}, copies=[name], items=[])
    title, copy = ("".join(["gluteus ", "medius"]) for _ in range(2))  # two equal objects
    separate = AuditDocument(doc={"doc_id": "d", "title": title}, copies=[copy], items=[])
    assert shared.doc["title"] is shared.copies[0] and separate.doc["title"] is not separate.copies[0]
    assert page_digest(shared) == page_digest(separate)
    assert page_digest(separate) != page_digest(AuditDocument(doc={"doc_id": "d", "title": name}, copies=[], items=[]))


def sorted_ids(out: Path) -> list[str]:
    return sorted(pq.read_table(out / "documents.parquet", columns=["doc_id"])["doc_id"].to_pylist())


def test_a_damaged_page_of_the_previous_build_is_rendered_again_not_linked(tmp_path, raw_dir):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    out = tmp_path / "out"
    args = ["run", "--raw", str(raw), "--out", str(out), "--decisions", str(tmp_path / "d.yaml"), "-q"]
    args += ["--cache-dir", str(tmp_path / "cache")]
    assert cli.main(args) == 0
    page = sorted((out / "audit").glob("*.html"))[0]
    intact = page.read_bytes()
    page.write_bytes(intact[: len(intact) // 2])  # cut short, its meta tag still there
    assert cli.main(args) == 0  # an output changed: the build runs again
    assert page.read_bytes() == intact


def test_the_page_digest_covers_the_removal_reasons_titles():
    from pipeline.write import audit_page

    assert b"REMOVAL_REASONS" in audit_page._renderer_code()  # records.py is part of the renderer
