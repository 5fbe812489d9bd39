"""The whole article survives: sections after interruptions, short notes, other scripts, zones
that end where prose resumes. Small dumps written for these tests."""

from __future__ import annotations

from pipeline.ingest.read import decode
from pipeline.records import Block, Document
from pipeline.strip.html import nothing_kept, strip_boilerplate
from pipeline.strip.textclean import clean_text, detect_stoplist

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


def reasons(text: str) -> dict[str, str | None]:
    return {b.text: b.reason for b in clean_text(text).blocks}


def test_a_dump_cut_mid_sentence_keeps_its_last_heading_and_line():
    text = "\n\n".join([PROSE, PROSE_2, "Wall Calf Stretch", "Put both hands on a wall and step one foot ba"])
    result = reasons(text)
    assert result["Wall Calf Stretch"] is None
    assert result["Put both hands on a wall and step one foot ba"] is None


def test_a_run_of_unbulleted_list_headings_continues_the_article():
    text = "\n\n".join([PROSE, PROSE_2, "Warm-up", "Strides", "Cool-down", "Finish with ten minutes of easy jogging."])
    assert set(reasons(text).values()) == {None}


def test_a_paragraph_trailing_off_in_an_ellipsis_is_article_prose():
    lead_in = "The soleus lies under the calf and works hardest when the knee is bent. But it behaves differently…"
    result = reasons("\n\n".join([PROSE, lead_in, PROSE_2, PROSE_3]))
    assert result[lead_in] is None


def test_a_teaser_cut_with_a_bracketed_ellipsis_is_not():
    teaser = "Five drills that build a faster cadence for runners who overstride and land hard on their [...]"
    result = reasons("\n\n".join([PROSE, PROSE_2, PROSE_3, "Related Posts", teaser]))
    assert result[teaser] is not None


def test_a_list_item_ending_in_a_reference_is_a_sentence():
    item = "- Weak hip abductors: they let the knee fall inward and load the iliotibial band. (Smith et al., 2014) [3]"
    text = "\n\n".join([PROSE, "Common causes:", item, "- Too much mileage too soon.", PROSE_2])
    assert reasons(text)[item[2:]] is None


def test_a_comment_link_above_the_article_opens_no_comment_zone():
    text = "\n\n".join(
        ["Leave a comment", PROSE, "Lunges: step forward, lower the back knee, and push back up.", PROSE_2]
    )
    result = reasons(text)
    assert result["Leave a comment"] == "comments"
    assert result[PROSE] is None and result[PROSE_2] is None


def test_a_comment_thread_with_long_replies_stays_a_comment_zone():
    reply = [
        f"Reply line {n}: I tried the drill from this post and my calves felt better by week {n}." for n in range(12)
    ]
    thread = [
        "Comments",
        "Pat Morgan on March 3, 2021 at 4:12 pm said:",
        *reply,
        "Lee Chan on March 4, 2021 at 9:30 am said:",
    ]
    thread += ["Thanks, this helped a lot with my hill sessions and my long runs this spring."]
    result = reasons("\n\n".join([PROSE, PROSE_2, PROSE_3, *thread]))
    assert {result[line] for line in thread} == {"comments"}


def test_the_title_printed_twice_is_recovered_once():
    title = "Which Muscles Work Hardest When You Run Uphill, And Why Do Your Calves Burn So Much?"
    out = clean_text("\n\n".join([title, "Posted 2024-05-02", title, PROSE, PROSE_2]))
    assert out.title == title
    assert [b.reason for b in out.blocks if b.text == title] == ["metadata", "duplicate"]


def test_a_long_paragraph_printed_again_and_again_is_kept_once_not_taken_for_the_title():
    """A crawl artefact: one paragraph repeated. Its first copy is the article; the rest go."""
    out = clean_text("\n\n".join(["Calves Under Load", PROSE, PROSE, PROSE, PROSE]))
    assert out.title == "Calves Under Load"
    assert [b.reason for b in out.blocks if b.text == PROSE] == [None, "duplicate", "duplicate", "duplicate"]


def test_a_read_more_label_takes_the_link_title_after_it():
    text = "\n\n".join([PROSE, "Read More:", "The Complete Guide To Shin Splints", PROSE_2, PROSE_3])
    result = reasons(text)
    assert result["Read More:"] == "related_posts"
    assert result["The Complete Guide To Shin Splints"] == "related_posts"
    assert result[PROSE_2] is None


def test_a_short_note_of_sentences_gets_a_second_look():
    note = "Running uses four big muscles.\n\nThe quadriceps straighten the knee.\n\nThe hamstrings bend it.\n"
    out = clean_text(note)
    assert [b.reason for b in out.blocks] == [None, None, None]


# A whole short article: a two-word heading (too short to be taken for the title, so it stays a
# kept heading) and one paragraph of two sentences, too short to count as "good" on its own.
SHORT_HEADING = "Cooling Down"
SHORT_PARAGRAPH = (
    "Walk for five minutes after a hard run so the heart rate settles slowly. Then hold a gentle "
    "stretch for each thigh while the muscles are still warm."
)
SIGN_UP = "Sign up for our newsletter to get weekly tips."


def test_a_short_article_of_a_heading_and_one_paragraph_keeps_its_paragraph():
    doc = Document(doc_id="s1", source_path="short.txt", format="text", text=f"{SHORT_HEADING}\n\n{SHORT_PARAGRAPH}\n")
    doc, blocks = strip_boilerplate(doc)
    assert doc.status == "ok"
    assert [(b.text, b.kept) for b in blocks] == [(SHORT_HEADING, True), (SHORT_PARAGRAPH, True)]


def test_the_only_paragraph_of_the_region_outlasts_the_short_lines_that_lean_on_it():
    # A short line above the heading took its place in the region from the paragraph below; the
    # paragraph, with the page's edges for neighbours, must not go while the lines around it stay.
    text = "\n\n".join(["Our coaches reply within a day.", SHORT_HEADING, SHORT_PARAGRAPH])
    assert reasons(text)[SHORT_PARAGRAPH] is None


def test_a_heading_and_two_short_sentences_keep_the_sentences():
    sentences = ["Walk for five minutes after a hard run.", "Then stretch each thigh for half a minute."]
    result = reasons("\n\n".join([SHORT_HEADING, *sentences]))
    assert [result[s] for s in sentences] == [None, None]


def test_a_sign_up_line_after_a_short_article_still_goes():
    result = reasons("\n\n".join([SHORT_HEADING, SHORT_PARAGRAPH, SIGN_UP]))
    assert result[SHORT_PARAGRAPH] is None
    assert result[SIGN_UP] == "newsletter"


def test_a_lone_line_at_a_page_edge_is_not_rescued():
    blurb = "Our shop is closed for the holidays, and any orders placed this week will ship in the new year."
    keywords = "Trail Shoes Road Shoes Racing Flats Compression Socks Energy Gels Hydration Vests Headlamps"
    page = reasons("\n\n".join([blurb, keywords, "Hip Strength", PROSE, PROSE_2, PROSE_3, SIGN_UP]))
    assert page[blurb] == "outside_main" and page[SIGN_UP] == "newsletter"
    assert page[PROSE] is None
    doc = Document(doc_id="s2", source_path="signup.txt", format="text", text=f"{SHORT_HEADING}\n\n{SIGN_UP}\n")
    doc, blocks = strip_boilerplate(doc)
    assert doc.status == "error" and not any(b.kept for b in blocks)


def test_a_single_paragraph_naming_muscles_is_kept():
    text = "Muscles for runners\n\nThe quadriceps, hamstrings, gluteus maximus and gastrocnemius do most of the work.\n"
    kept = [b.text for b in clean_text(text).blocks if b.kept]
    assert kept == ["The quadriceps, hamstrings, gluteus maximus and gastrocnemius do most of the work."]


def test_a_cp1252_note_naming_four_muscles_is_not_emptied():
    raw = "Four muscles – the quadriceps, hamstrings, glutes and calves – carry a runner’s stride.\n".encode("cp1252")
    text, encoding = decode(raw)
    doc, blocks = strip_boilerplate(Document(doc_id="n1", source_path="note.txt", format="text", text=text))
    assert encoding == "cp1252" and doc.status == "ok"
    assert [b.text for b in blocks if b.kept] == [text.strip()]


def test_japanese_sentences_are_kept_and_labels_are_not():
    text = "\n\n".join(
        [
            "ランニングで使う筋肉",
            "走るときには、太ももの前の大腿四頭筋が膝を伸ばし、着地の衝撃を受け止めます。",
            "太ももの裏のハムストリングスは、脚を後ろに引いて体を前に進めます。",
            "ふくらはぎの筋肉は、地面を蹴るたびに踵を持ち上げます。",
            "お問い合わせ",
        ]
    )
    result = reasons(text)
    assert result["ふくらはぎの筋肉は、地面を蹴るたびに踵を持ち上げます。"] is None
    assert result["お問い合わせ"] is not None


def test_an_english_page_of_menus_and_lists_is_judged_as_english():
    # Stoplists of several smaller languages hold English words; menus alone must not tip it.
    menu = ["Home", "Nutrition", "Recipes", "Cup Of Tea", "Red Pepper", "Day Plans", "Shop", "Blog"]
    words = " ".join(menu * 20 + [PROSE]).lower().split()
    assert detect_stoplist([w.strip(",.") for w in words]) == "English"


def test_a_portuguese_page_is_judged_by_its_own_stoplist():
    prose = (
        "Os músculos da panturrilha trabalham muito durante a corrida, porque levantam o calcanhar a cada "
        "passada e ajudam a absorver o impacto quando o pé toca o chão."
    )
    out = clean_text(prose + "\n\n" + prose.replace("panturrilha", "coxa") + "\n")
    assert out.language == "Portuguese"
    assert all(b.kept for b in out.blocks)


def test_plain_english_is_judged_without_reading_every_other_stoplist():
    from pipeline.strip.textclean import features

    features._stoplist_index.cache_clear()
    assert detect_stoplist(PROSE.lower().replace(".", "").split()) == "English"
    assert features._stoplist_index.cache_info().currsize == 0
    assert detect_stoplist(["os", "músculos", "da", "perna", "e", "o", "pé", "no", "chão"]) not in (None, "English")
    assert features._stoplist_index.cache_info().currsize == 1
    # The project's own additions to English alone do not make a stoplist fit.
    assert detect_stoplist(["why", "squats"]) is None


def test_the_error_for_an_empty_result_says_what_happened():
    doc = Document(doc_id="d2", source_path="menu.txt", format="text", text="Home\nAbout\nContact us\n")
    doc, blocks = strip_boilerplate(doc)
    assert doc.error.startswith("menu.txt: no article text kept: all 3 blocks removed (")
    assert "2 nav" in doc.error


def test_the_error_names_a_single_reason_plainly():
    blocks = [
        Block(doc_id="d", block_idx=i, kind="paragraph", text="x", kept=False, removal_reason="low_content")
        for i in range(2)
    ]
    assert nothing_kept(blocks) == "no article text kept: all 2 blocks judged low_content"
    assert nothing_kept([]) == "no article text: the file holds no text lines"


def test_html_page_with_one_paragraph_repeated_keeps_it_once():
    paragraph = "<p>" + PROSE + "</p>"
    markup = f"<html><body>{paragraph * 2000}</body></html>"
    _, blocks = strip_boilerplate(Document(doc_id="h1", source_path="rep.html", format="html", text=markup))
    kept = [b for b in blocks if b.kept and b.text == PROSE]
    repeats = [b for b in blocks if b.text == PROSE and not b.kept]
    assert len(kept) == 1
    assert len(repeats) == 1999 and {b.removal_reason for b in repeats} == {"duplicate"}


def test_a_list_introduced_by_a_colon_belongs_to_the_article():
    items = ["Week 1 -- two easy runs, one hill session", "Week 2 -- three easy runs, one tempo run"]
    items += ["Week 3 -- three easy runs, one long run", "Week 4 -- rest week, two short runs"]
    text = "\n\n".join([PROSE, PROSE_2, "The plan for the first month:", *items, "Home", "Shop", "About"])
    result = reasons(text)
    assert [result[item] for item in items] == [None] * 4
    assert result["Shop"] is not None


def test_the_article_resumes_after_a_short_interruption():
    caption = "a runner on a mountain trail at dawn"  # an image's alt text, no sentence
    closing = "Keep the calf work going all winter and your spring races will feel easy."
    text = "\n\n".join([PROSE, PROSE_2, PROSE_3, caption, closing, "Home", "Shop"])
    result = reasons(text)
    assert result[closing] is None
    assert result["Shop"] is not None


def test_a_reference_list_after_the_article_is_removed():
    citations = [
        "Lee, A. and Park, J., Hip strength in distance runners, Journal of Running Science, 2019.",
        "Ortiz, M., Calf endurance and stride length in the marathon, Sports Medicine Review, 2021.",
    ]
    result = reasons("\n\n".join([PROSE, PROSE_2, PROSE_3, "References", *citations]))
    assert result["References"] == "references"
    assert all(result[c] is not None for c in citations)


def test_short_lines_may_recur_but_not_without_end():
    steps = []
    for day in range(1, 31):
        steps += [f"Day {day}: easy run of {day + 20} minutes on flat ground.", "Hold each stretch for thirty seconds."]
    blocks = clean_text("\n\n".join([PROSE, PROSE_2, *steps, PROSE_3])).blocks
    hold = [b.reason for b in blocks if b.text == "Hold each stretch for thirty seconds."]
    assert hold[:25] == [None] * 25
    assert set(hold[25:]) == {"duplicate"}


def test_html_page_alternating_two_short_paragraphs_is_bounded():
    pair = "<p>Squat low and drive up through the heels.</p><p>Rest for one minute between the sets.</p>"
    markup = f"<html><body>{pair * 500}</body></html>"
    _, blocks = strip_boilerplate(Document(doc_id="h2", source_path="pair.html", format="html", text=markup))
    assert sum(b.kept for b in blocks) <= 50


def test_a_portuguese_dump_loses_its_dateline_related_box_and_share_line():
    prose = [
        "Quando você corre, os músculos da coxa fazem a maior parte do trabalho e absorvem o impacto da passada.",
        "Os isquiotibiais dobram o joelho e ajudam os glúteos a estender o quadril, o que impulsiona o corpo.",
    ]
    lines = ["Início", "Corrida: os músculos que mais trabalham", "Publicado em 12 de março de 2021", *prose]
    lines += ["Leia também", "Cinco alongamentos para depois da corrida", "Compartilhar no Facebook"]
    out = clean_text("\n\n".join(lines))
    result = {b.text: b.reason for b in out.blocks}
    assert out.title == "Corrida: os músculos que mais trabalham"
    assert result["Publicado em 12 de março de 2021"] == "metadata"
    assert result["Leia também"] == result["Cinco alongamentos para depois da corrida"] == "related_posts"
    assert result["Compartilhar no Facebook"] == "social"
    assert [result[p] for p in prose] == [None, None]


def test_a_closing_menu_label_is_not_mistaken_for_a_cut_sentence():
    result = reasons("\n\n".join([PROSE, PROSE_2, PROSE_3, "Our Training Plans"]))
    assert result["Our Training Plans"] is not None
