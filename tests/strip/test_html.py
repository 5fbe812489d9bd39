from __future__ import annotations

import re

import pytest

from pipeline.ingest.read import discover, ingest
from pipeline.records import Document
from pipeline.strip.html import strip_boilerplate
from pipeline.strip.htmldump import html_to_dump

PAGE = """<!doctype html><html><head><title>Glute Work For Runners | Stride Weekly</title>
<meta property="og:site_name" content="Stride Weekly">
<link rel="canonical" href="https://stride.example/glute-work">
<meta name="author" content="Dana Reyes"><meta name="date" content="2022-04-09">
<script>var tracking = 1;</script><style>p { color: red }</style></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/training">Training</a></li></ul></nav>
<article><h1>Glute Work For Runners</h1>
<p>Your glutes are the biggest muscles in the hip, and they drive you forward on every stride you take.
Strong glutes keep the pelvis level and take load off the knees and the lower back.</p>
<h2>Why The Gluteus Medius Matters</h2>
<p>The gluteus medius sits on the outer hip. When it is weak, the opposite hip drops at every landing,
and the knee falls inward, which many physiotherapists link to pain at the front of the knee.</p>
<h3>Exercises</h3>
<ul><li>Clamshells with a band around the knees</li><li>Side-lying leg raises for the outer hip</li></ul>
<p>Do both exercises twice a week, three sets of fifteen, and add weight when the last reps feel easy.</p>
</article>
<footer><p>Copyright 2022 Stride Weekly. All rights reserved.</p></footer>
</body></html>"""


def _html_doc(markup: str) -> Document:
    return Document(doc_id="d1", source_path="page.html", format="html", text=markup)


def test_html_path_keeps_structure_and_metadata():
    doc, blocks = strip_boilerplate(_html_doc(PAGE))
    kept = [b for b in blocks if b.kept]
    kinds = [(b.kind, b.text[:30]) for b in kept]
    assert ("heading", "Why The Gluteus Medius Matters") in kinds
    assert ("list_item", "Clamshells with a band around ") in kinds
    assert doc.author == "Dana Reyes" and doc.published == "2022-04-09"
    assert doc.sitename == "Stride Weekly"
    exercises = next(b for b in kept if b.text.startswith("Clamshells"))
    assert exercises.section_path[-1] == "Exercises"
    assert "Why The Gluteus Medius Matters" in exercises.section_path


def test_html_path_lists_what_it_removed_with_reasons():
    _, blocks = strip_boilerplate(_html_doc(PAGE))
    removed = {b.text: b.removal_reason for b in blocks if not b.kept}
    assert removed.get("Copyright 2022 Stride Weekly. All rights reserved.") == "footer"
    assert all(reason for reason in removed.values())
    assert [b.block_idx for b in blocks] == list(range(len(blocks)))


def test_a_very_large_page_is_cleaned_as_its_text_dump(monkeypatch):
    from pipeline.strip import html as html_module

    def refuse(*args, **kwargs):
        raise AssertionError("trafilatura is not used for a very large page")

    monkeypatch.setattr(html_module, "LARGE_HTML_CHARS", 100)
    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", refuse)
    doc, blocks = strip_boilerplate(_html_doc(PAGE))
    kept = " ".join(b.text for b in blocks if b.kept)
    assert doc.status == "ok" and "gluteus medius sits on the outer hip" in kept
    assert "Copyright 2022" not in kept and "var tracking" not in kept
    assert all(b.line_start is None and b.line_end is None for b in blocks)
    assert all(b.removal_reason for b in blocks if not b.kept)


def test_the_streamed_dump_matches_the_tree_dump():
    from pipeline.strip.htmldump import html_to_dump_streamed

    assert html_to_dump_streamed(PAGE) == html_to_dump(PAGE)
    late_script = "<html><body><p>Calf raises.</p></body></html><script>var x = 1;</script>"
    assert html_to_dump_streamed(late_script) == "Calf raises.\n"


def test_html_dump_recipe_drops_scripts_and_breaks_blocks():
    dump = html_to_dump(PAGE)
    assert "tracking" not in dump and "color: red" not in dump
    lines = dump.splitlines()
    assert "Clamshells with a band around the knees" in lines
    assert not any("  " in line for line in lines)


def test_text_path_records_raw_lines_and_sections(raw_dir):
    (source,) = [s for s in discover(raw_dir) if s.rel_path.startswith("hubpages")]
    (doc,) = ingest([source])
    doc, blocks = strip_boilerplate(doc)
    lines = (raw_dir / source.rel_path).read_text(encoding="utf-8").splitlines()
    for block in blocks:
        raw = " ".join(lines[block.line_start - 1 : block.line_end])
        assert block.text in " ".join(raw.split())
    soleus = next(b for b in blocks if b.text == "The soleus")
    assert soleus.kind == "list_item" and soleus.section_path == ["Calf Muscles"]


def test_text_document_with_nothing_left_is_an_error():
    doc = Document(doc_id="d2", source_path="menu.txt", format="text", text="Home\nAbout\nContact us\n")
    doc, blocks = strip_boilerplate(doc)
    assert doc.status == "error" and "no article text" in doc.error
    assert blocks and not any(b.kept for b in blocks)


@pytest.mark.parametrize("status", ["error", "duplicate", "unsupported"])
def test_documents_that_are_not_ok_get_no_blocks(status):
    doc = Document(doc_id="d3", source_path="x.txt", format="text", status=status, text="whatever")
    assert strip_boilerplate(doc)[1] == []


def test_words_split_by_regex_helper_is_unicode_aware():
    assert re.findall(r"\w+", "Müller’s quads") == ["Müller", "s", "quads"]


def test_no_script_after_a_dropped_element_that_held_another_leaks_into_the_dump():
    from pipeline.strip.htmldump import html_to_dump, html_to_dump_streamed

    page = (
        "<html><body><p>Calves lift the heel.</p><noscript><style>.fold{visibility:hidden}</style></noscript>"
        "<script>var tracker = 1;</script><p>Glutes drive the hip.</p></body></html>"
    )
    assert html_to_dump(page) == html_to_dump_streamed(page) == "Calves lift the heel.\n\nGlutes drive the hip.\n"
