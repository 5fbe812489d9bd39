"""Acceptance on the five source articles in raw/: boilerplate gone, article text all kept."""

from __future__ import annotations

import re

import pytest

from pipeline.boilerplate import strip_boilerplate
from pipeline.ingest import discover, ingest

BOILERPLATE_MARKERS = [
    r"ArtsAutosBooks",
    r"^HomeRunning",
    r"uses cookies|Privacy Policy|consent",
    r"years ago|profile image|Post Comment|characters used|Leave a Reply|email address will not be published",
    r"is a sports science graduate|editorial team|Editorial Team",
    r"^Related (posts|Posts|Video)",
    r"Newsletter|Signup to get",
    r" \| .* \| ",
    r"\| Source$",
    r"Mins read|Incredible offer|Additional resource",
]

MUST_KEEP = {
    "needtorace-6-key-muscles-engaged.txt": [
        "Frequently Asked Questions",
        "Are There Any Recommended Stretching Exercises for the Core Muscles After a Run?",
        "After a run, it’s important to stretch your core muscles",
        "Hip Flexor StretchesHip Flexor Exercises",
        "Kneeling hip flexor stretchLeg raises",
        "Standing hip flexor stretchMountain climbers",
        "Lunge with a twistBicycle crunch",
        "Key Takeaways",
        "Gluteus Minimus: Situated beneath the gluteus medius",
        "Deadlifts: Incorporate deadlifts",
    ],
    "runners-blog-what-muscles-does-running-work-2023.txt": [
        "Quadriceps: The mighty front thigh muscles",
        "The Scalene Muscles",
        "Pushups,",
        "What Muscles Does Running Work – The Conclusion",
        "In the meantime, thank you for dropping by.",
        "To keep your anterior tibialis in prime condition",
        "Your biceps branchii, better known as the biceps",
    ],
    "hubpages-leg-muscles-used-when-running.txt": [
        "It's not just simply about running!",
        "Hip Flexors (often referred to as the iliopsoas)",
        "iliacus",
        "The vastus intermedius",
        "Contraction of the calf muscles pulls on the calcaneum",
    ],
    "science-of-running-what-muscles-does-running-work.txt": [
        "TLF Muscles",
        "The TLF muscle, which stands for tensor fascia latae",
        "ITB Muscle",
        "Good luck and happy running!",
        "Upper Body",
    ],
    "does-running-work-out-your-legs.txt": [
        "The Primary Muscle Groups Engaged",
        "Single-leg squats and clamshells are useful",
    ],
}


@pytest.fixture(scope="module")
def cleaned(request):
    raw = request.config.rootpath / "raw"
    out = {}
    for doc in ingest(discover(raw)):
        doc, blocks = strip_boilerplate(doc)
        out[doc.source_path] = (doc, blocks)
    return out


def test_all_five_articles_are_present(cleaned):
    assert sorted(cleaned) == sorted(MUST_KEEP)
    assert all(doc.status == "ok" for doc, _ in cleaned.values())


@pytest.mark.parametrize("marker", BOILERPLATE_MARKERS)
def test_no_kept_block_contains_boilerplate(cleaned, marker):
    offenders = [
        (path, b.text[:60])
        for path, (_, blocks) in cleaned.items()
        for b in blocks
        if b.kept and re.search(marker, b.text)
    ]
    assert offenders == []


@pytest.mark.parametrize("path", sorted(MUST_KEEP))
def test_article_text_is_kept(cleaned, path):
    _, blocks = cleaned[path]
    kept = [b.text for b in blocks if b.kept]
    missing = [needle for needle in MUST_KEEP[path] if not any(needle in t for t in kept)]
    assert missing == []


def test_every_block_between_title_and_end_matter_is_kept_or_named(cleaned):
    for _, blocks in cleaned.values():
        assert all(b.kept or b.removal_reason for b in blocks)


def test_titles_and_dates_recovered(cleaned):
    doc, _ = cleaned["hubpages-leg-muscles-used-when-running.txt"]
    assert doc.title == "What Leg Muscles Are Used When Running"
    assert doc.published == "2013-09-26"
    assert doc.author == "Liam Hallam"
    doc, _ = cleaned["runners-blog-what-muscles-does-running-work-2023.txt"]
    assert doc.title == "What Muscles Does Running Work? (2023 Update)"
