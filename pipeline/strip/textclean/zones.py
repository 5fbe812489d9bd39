"""Named boilerplate patterns and the zones some of them open (comment threads, related boxes)."""

from __future__ import annotations

from pipeline.strip.pattern_file import BoilerplatePattern
from pipeline.strip.textclean.blocks import TextBlock, word_key
from pipeline.strip.textclean.patterns import matcher

# A comment thread interleaves signatures with multi-paragraph comments: prose does not end a
# zone while another marker of that zone follows within this many blocks. A reply with a
# bulleted list runs to about 15 blocks on the development pages.
ZONE_LOOKAHEAD = 20
# Removal reasons whose labels ("Read more:", "Tags:", "Share:") head a link on the next line.
LINK_LABEL_REASONS = ("related_posts", "seo_keywords", "social")
# Zones that only open once the article has begun (a consent dialog may come first).
AFTER_ARTICLE_ZONES = ("comments", "related_posts", "references")
# Zones of list entries that read like prose (citations).
LIST_ZONES = ("references",)


def match_patterns(blocks: list[TextBlock], patterns: tuple[BoilerplatePattern, ...]) -> None:
    """The first pattern that matches a block names it, and may open a zone."""
    first_match = matcher(patterns).first
    for block in blocks:
        pattern = first_match(block.text, block.n_words)
        if pattern is not None:
            block.reason = pattern.label
            block.pattern_id = pattern.id
            block.zone_start = pattern.zone
            block.edge_only = pattern.edge_only


def apply_echoes(blocks: list[TextBlock]) -> None:
    """A line repeated inside the removed line after it shares its fate (image alt + caption)."""
    for block, following in zip(blocks, blocks[1:], strict=False):
        echoes = block.kept and not following.kept and len(block.text) >= 10
        if echoes and word_key(block.text) in word_key(following.text):
            block.reason = following.reason
            block.pattern_id = "echo-of-next"


def apply_label_links(blocks: list[TextBlock]) -> None:
    """A label ending in a colon ("Read more:", "Tags:") hands its reason to the link title after it."""
    for block, following in zip(blocks, blocks[1:], strict=False):
        label = not block.kept and block.reason in LINK_LABEL_REASONS and block.text.endswith(":")
        if label and following.kept and following.kind == "heading":
            following.reason = block.reason
            following.pattern_id = "link-after-label"


def release_edge_only(blocks: list[TextBlock]) -> None:
    """Edge-only patterns (bios, team blurbs) do not apply inside the article core: between its
    first and last good paragraph that no pattern named."""
    good = [i for i, b in enumerate(blocks) if b.cls == "good" and b.kept]
    if not good:
        return
    first, last = good[0], good[-1]
    for i, block in enumerate(blocks):
        if block.edge_only and first <= i <= last:
            block.reason = None
            block.pattern_id = None


def apply_zones(blocks: list[TextBlock]) -> None:
    """A zone (comment thread, related box, consent dialog) runs until two prose blocks in a row.

    Comment threads and related boxes follow the article: above its first paragraph, "Leave a
    comment" or "3 Comments" is a link in the byline, and removing it opens no zone.
    """
    zone: str | None = None
    seen_prose = False
    for i, block in enumerate(blocks):
        if block.zone_start and (seen_prose or block.reason not in AFTER_ARTICLE_ZONES):
            zone = block.reason
            continue
        seen_prose = seen_prose or is_prose(block)
        if zone is None:
            continue
        if _zone_ends(blocks, i, zone):
            zone = None
            continue
        if block.kept:  # blocks a pattern already named keep that name
            block.reason = zone
            block.pattern_id = "zone"


def _zone_ends(blocks: list[TextBlock], i: int, zone: str) -> bool:
    """Two prose blocks in a row end a zone, unless a marker of the zone follows soon. Citations
    read like prose, so a reference list ends only at a new section: a heading without the
    commas of a citation, followed by prose."""
    following_prose = i + 1 < len(blocks) and is_prose(blocks[i + 1])
    if zone in LIST_ZONES:
        block = blocks[i]
        return block.kind == "heading" and "," not in block.text and following_prose
    return is_prose(blocks[i]) and following_prose and not _zone_recurs(blocks, i, zone)


def _zone_recurs(blocks: list[TextBlock], i: int, zone: str) -> bool:
    """A marker of the same zone just ahead: prose between comment signatures is a comment."""
    if zone != "comments":
        return False
    return any(b.zone_start and b.reason == zone for b in blocks[i + 1 : i + 1 + ZONE_LOOKAHEAD])


def is_prose(block: TextBlock) -> bool:
    # near-good counts: news paragraphs are often one or two sentences, under LENGTH_HIGH.
    return block.kept and block.cls in ("good", "near_good")
