"""Each boilerplate kind, on small dumps written for these tests."""

from __future__ import annotations

import pytest

from pipeline.strip.textclean import clean_text, parse_date, segment

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


def article(*, before: str = "", middle: str = "", after: str = "") -> str:
    parts = [before, "Muscles That Power Your Run", PROSE, "The Hamstrings", PROSE_2, middle, PROSE_3, after]
    return "\n\n".join(p for p in parts if p) + "\n"


def reasons(text: str) -> dict[str, str | None]:
    return {b.text: b.reason for b in clean_text(text).blocks}


def kept_text(text: str) -> str:
    return "\n".join(b.text for b in clean_text(text).blocks if b.kept)


def test_article_prose_and_headings_are_kept():
    result = reasons(article())
    assert result[PROSE] is None and result[PROSE_2] is None and result[PROSE_3] is None
    assert result["The Hamstrings"] is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("ArtsAutosBooksBusinessEducationEntertainmentFamilyFashionFood", "nav"),
        ("HomeRunning Basics7 Ways To Run Faster", "nav"),
        ("Home > Training > Strength", "nav"),
        ("Skip to content", "nav"),
        ("NEW!Incredible offer for our exclusive subscribers! Read More", "ad"),
        ("12 Mins read", "metadata"),
    ],
)
def test_header_boilerplate(line, reason):
    assert reasons(article(before=line))[line] == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("best running shoes for flat feet | how to run faster | running for beginners", "seo_keywords"),
        ("A runner climbs a steep hill during a race | Source", "caption"),
        ('Related Video: "Five Moves For Stronger Hips" by Some Channel', "related_posts"),
        ("Additional resource – A Guide To Protein For Runners", "related_posts"),
        ("Advertisement", "ad"),
        ("Sign up for our newsletter and get a free training plan.", "newsletter"),
        ("Tags: running, strength, glutes", "seo_keywords"),
    ],
)
def test_inline_boilerplate_inside_the_article(line, reason):
    result = reasons(article(middle=line))
    assert result[line] == reason
    assert result[PROSE_3] is None  # the article carries on after it


def test_caption_echo_line_goes_with_its_caption():
    caption = "Runners on a trail at sunrise"
    result = reasons(article(middle=f"{caption}\n{caption} | Source"))
    assert result[caption] == "caption"


def test_comment_thread_with_profile_lines_and_ages():
    thread = "\n\n".join(
        [
            "3 Comments",
            "runner42 profile image",
            "2 years ago",
            "Great article, I never knew the calves did so much work when I run up the hills near my house.",
            "coachjo profile image",
            "5 years ago from Leeds",
            "Thanks for reading, and good luck with the hill sessions this winter.",
        ]
    )
    result = reasons(article(after=thread))
    assert result["3 Comments"] == "comments"
    assert result["2 years ago"] == "comments"
    assert (
        result["Great article, I never knew the calves did so much work when I run up the hills near my house."]
        == "comments"
    )
    assert result["Thanks for reading, and good luck with the hill sessions this winter."] == "comments"


def test_leave_a_reply_form():
    form = "Leave a Reply\n\nYour email address will not be published. Required fields are marked *"
    result = reasons(article(after=form))
    assert result["Leave a Reply"] == "comments"
    assert result["Your email address will not be published. Required fields are marked *"] == "comments"


def test_cookie_consent_dialog():
    dialog = "\n\n".join(
        [
            "This website uses cookies",
            "As a visitor from the EEA, your approval is needed before we and our partners store cookies and process personal data on your device.",
            "Show Details",
            "AnalyticsThis is used to count visits to our pages. (Privacy Policy)",
        ]
    )
    result = reasons(article(after=dialog))
    assert {result[line] for line in dialog.split("\n\n")} == {"cookie_notice"}


def test_author_bio_and_byline_in_the_header():
    header = "\n\n".join(
        [
            "Updated on March 3, 2021",
            "runcoach profile image",
            "Sam Porter is a running coach and physiotherapist who has trained club runners for a decade.",
        ]
    )
    out = clean_text(article(before=header))
    result = {b.text: b.reason for b in out.blocks}
    assert result["runcoach profile image"] == "author_bio"
    assert (
        result["Sam Porter is a running coach and physiotherapist who has trained club runners for a decade."]
        == "author_bio"
    )
    assert result["Updated on March 3, 2021"] == "metadata"
    assert out.published == "2021-03-03"
    assert out.author == "Sam Porter"


def test_team_blurb_related_posts_and_newsletter_at_the_end():
    footer = "\n\n".join(
        [
            "Editorial Team",
            "Meet the editorial team: a group of runners who write guides for you.",
            "Related Posts",
            "How To Pick Your First Marathon",
            "Join Our Newsletter",
            "Signup to get the latest news and offers. No spam.",
        ]
    )
    result = reasons(article(after=footer))
    assert result["Editorial Team"] == "author_bio"
    assert result["Related Posts"] == "related_posts"
    assert result["How To Pick Your First Marathon"] == "related_posts"
    assert result["Join Our Newsletter"] == "newsletter"


def test_related_posts_zone_ends_when_prose_resumes():
    middle = "\n\n".join(["You May Also Like", "Ten Stretches For Tight Hips"])
    result = reasons(article(middle=middle + "\n\n" + PROSE_3.replace("calves", "soleus muscles")))
    assert result["Ten Stretches For Tight Hips"] == "related_posts"
    assert result[PROSE_3] is None


def test_a_bare_read_more_button_is_removed_without_opening_a_related_box():
    # Product round-ups interleave short headings with prose, so a zone opened here would
    # never see two prose blocks in a row again and would swallow the article.
    middle = "\n\n".join(["Read More", "Best Buy", PROSE_2.replace("hamstrings", "adductors"), "See It Now"])
    result = reasons(article(middle=middle))
    assert result["Read More"] == "related_posts"
    assert result[PROSE_2.replace("hamstrings", "adductors")] is None
    assert result[PROSE_3] is None


def test_bio_sentence_inside_the_article_core_is_kept():
    sentence = "Eliud Kipchoge is a runner who credits strong glutes and hamstrings for his marathon form and speed."
    assert reasons(article(middle=sentence))[sentence] is None


def test_repeated_paragraph_is_a_duplicate_but_repeated_headings_stay():
    text = article(middle="The Hamstrings\n\n" + PROSE_2)
    blocks = clean_text(text).blocks
    prose_2 = [b.reason for b in blocks if b.text == PROSE_2]
    headings = [b.reason for b in blocks if b.text == "The Hamstrings"]
    assert prose_2 == [None, "duplicate"]
    assert headings == [None, None]


def test_title_and_metadata_recovered(article_text):
    out = clean_text(article_text)
    assert out.title == "Why Runners Need Strong Calves"
    assert out.blocks[0].kind == "title" and out.blocks[0].reason == "metadata"
    assert out.language == "English"


def test_segmentation_kinds_lines_and_bullets(article_text):
    blocks = segment(article_text)
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["Calf raises: rise onto your toes and lower slowly."] == "list_item"
    first_item = next(b for b in blocks if b.text.startswith("Calf raises"))
    assert first_item.line_start == first_item.line_end == 13


def test_hard_wrapped_paragraph_is_joined():
    text = (
        "The gluteus medius keeps the pelvis level when you stand on one leg, which\n"
        "is most of the time when you run.\n"
    )
    (block,) = segment(text)
    assert block.line_start == 1 and block.line_end == 2
    assert block.text.endswith("when you run.")


def test_flattened_table_rows_are_kept_as_table_rows():
    table = "Stretches For The HipsExercises For The Hips\nKneeling lunge stretchLeg raises\nPigeon poseGlute bridges"
    blocks = clean_text(article(middle=table)).blocks
    rows = [b for b in blocks if b.kind == "table_row"]
    assert [b.text for b in rows] == table.split("\n")
    assert all(b.kept for b in rows)


def test_other_languages_use_their_own_stoplist():
    german = "\n\n".join(
        [
            "Die Wadenmuskulatur ist beim Laufen besonders gefordert, weil sie bei jedem Schritt den Körper nach vorne drückt und die Landung abfedert.",
            "Wer die Waden regelmäßig kräftigt, kann Verletzungen an der Achillessehne vorbeugen und läuft auch am Ende eines langen Laufs noch sauber.",
        ]
    )
    out = clean_text(german)
    assert out.language == "German"
    assert all(b.kept for b in out.blocks)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Updated on September 26, 2013", "2013-09-26"),
        ("Published 3 March 2021", "2021-03-03"),
        ("Posted 2019-11-19 at noon", "2019-11-19"),
        ("Sept 5, 2020", "2020-09-05"),
        ("No date here", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected
