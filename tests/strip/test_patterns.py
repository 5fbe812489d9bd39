"""Named boilerplate kinds, and the fast first-match search that applies them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.records import REMOVAL_REASONS
from pipeline.strip.pattern_file import load_boilerplate_patterns
from pipeline.strip.textclean import WORD, clean_text, default_patterns
from pipeline.strip.textclean.patterns import matcher

PROSE = (
    "Your glutes are the largest muscles of the hip, and they drive you forward every time your foot "
    "leaves the ground during a run, which is why runners train them."
)
PROSE_2 = (
    "The hamstrings at the back of the thigh bend the knee and help the glutes extend the hip, so weak "
    "hamstrings often show up as a shorter stride late in a race."
)
PROSE_3 = (
    "Your calves lift the heel and absorb landing forces, and when they are strong you keep your form "
    "for longer on hills and in the final miles of a long run."
)
PROSE_4 = (
    "Hip flexors pull the knee through at the start of each swing, and a long day at a desk leaves them "
    "short and stiff, so a few lunges before you head out help a great deal."
)


def article(*, before: str = "", middle: str = "", after: str = "") -> str:
    parts = [before, "Muscles That Power Your Run", PROSE, "The Hamstrings", PROSE_2, middle, PROSE_3, PROSE_4, after]
    return "\n\n".join(p for p in parts if p) + "\n"


def reasons(text: str) -> dict[str, str | None]:
    return {b.text: b.reason for b in clean_text(text).blocks}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("By Dr. Jane Whitfield", "metadata"),
        ("Written by: Sam Okafor", "metadata"),
        ("This was published 3 months ago", "metadata"),
        ("author image Jane Whitfield", "author_bio"),
        ("Jane Whitfield, PT, DPT, CSCS", "author_bio"),
        ("The official blog of a city running club.", "ad"),
        ("Click here to book your assessment!", "ad"),
        ("Jane Whitfield@JaneRunsFar", "metadata"),
        ("Reading time: 4 minutes", "metadata"),
        ("Tempo de leitura: 4 minutos", "metadata"),
    ],
)
def test_header_kinds(line, reason):
    result = reasons(article(before=line))
    assert result[line] == reason
    assert result[PROSE] is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Sidebar Advertisement", "ad"),
        ("tags #running #strength", "seo_keywords"),
        ("related news", "related_posts"),
        ("Slide 2 of 9", "caption"),
        ("Image Source: Trailside Photo Studio", "caption"),
        ("A runner stretches her calves against a wall. Photo Credit Lee Park/Stock Agency", "caption"),
        ("Getty Images/Stock Agency", "caption"),
        ("Download our free training app and log every run.", "ad"),
        ("This post was reviewed by a sports physiotherapist before it went live.", "author_bio"),
    ],
)
def test_inline_kinds_leave_the_article_around_them(line, reason):
    result = reasons(article(middle=line))
    assert result[line] == reason
    assert result[PROSE_3] is None and result[PROSE_4] is None


@pytest.mark.parametrize(
    "line",
    [
        "The information on this website is for educational purposes only and is not a substitute for medical advice.",
        "These statements have not been evaluated by the Food and Drug Administration.",
        "This post contains affiliate links, and we may earn a commission when you buy through them.",
        "Trailside is a registered trademark of Trailside Media Ltd.",
        "Consult your physician before beginning any exercise program.",
    ],
)
def test_disclaimers_have_a_reason_of_their_own(line):
    assert reasons(article(after=line))[line] == "disclaimer"


def test_an_author_box_and_a_comment_form_after_the_article():
    end = ["About Jane Whitfield", "Leave a Reply Cancel reply", "You must be logged in to post a comment."]
    result = reasons(article(after="\n\n".join(end)))
    assert [result[line] for line in end] == ["author_bio", "comments", "comments"]


def test_a_row_of_share_buttons_ends_the_article():
    buttons = ["Facebook", "Twitter", "Telegram", "Buffer", "Pin"]
    after = [*buttons, "Club Nights", "Sign up to our club nights and run with us this winter."]
    result = reasons(article(after="\n\n".join(after)))
    assert {result[b] for b in buttons} == {"social"}
    assert result["Sign up to our club nights and run with us this winter."] is not None


def test_a_career_bio_after_the_article_is_an_author_bio():
    bio = "Jane Whitfield has been writing about endurance sport since 2012 and coaches a masters squad."
    assert reasons(article(after=bio))[bio] == "author_bio"


def test_advice_to_see_a_doctor_inside_the_article_is_kept():
    advice = "If the pain in your hamstring lasts more than a week, see a doctor before you run again."
    assert reasons(article(middle=advice))[advice] is None


def test_fast_search_finds_the_same_first_pattern_as_trying_each_in_turn():
    patterns = default_patterns()
    first = matcher(patterns).first
    raw = Path(__file__).resolve().parents[2] / "raw"
    lines = [line for path in sorted(raw.glob("*.txt")) for line in path.read_text("utf-8").splitlines()]
    assert len(lines) > 500
    lines += [
        "HOME",
        "Share This Article",
        "© 2021 Example Media",
        "We Value Cookies",
        "COMMENTS (12)",
        "Results vary.",
        "Read More:",
    ]
    for line in lines:
        n_words = len(WORD.findall(line))
        expected = next((p for p in patterns if p.matches(line, n_words)), None)
        assert first(line, n_words) == expected, line


def test_every_label_is_a_removal_reason():
    patterns = load_boilerplate_patterns(labels=tuple(REMOVAL_REASONS))
    assert {p.label for p in patterns} <= set(REMOVAL_REASONS)
    assert "disclaimer" in {p.label for p in patterns}
