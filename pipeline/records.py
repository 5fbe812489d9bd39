"""The data contract's ground floor: the records that flow between stages and every enum of the tables.

Records in, records out: each stage takes records of the kinds below and returns its own. The
enums here are the allowed values of the tables' enum columns (`pipeline/write/schemas.py`
builds the Arrow schemas from them). Standard library only, so anything may import it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Document status values, also the enum of `documents.status`.
STATUS_OK = "ok"
STATUS_DUPLICATE = "duplicate"
STATUS_ERROR = "error"
STATUS_UNSUPPORTED = "unsupported"
DOCUMENT_STATUSES = (STATUS_OK, STATUS_DUPLICATE, STATUS_ERROR, STATUS_UNSUPPORTED)

BLOCK_KINDS = ("title", "heading", "paragraph", "list_item", "table_row")

# Why a block was removed: the enum of `blocks.removal_reason`, counted in stats.json.
REMOVAL_REASONS = {
    "nav": "navigation menus, run-together menu text and breadcrumbs",
    "social": "share buttons and social links",
    "cookie_notice": "cookie and consent banners and dialogs",
    "comments": "comment threads and comment forms",
    "author_bio": "author avatars, credentials, bios and team blurbs",
    "related_posts": "related posts, related videos, read-more links and the link after them",
    "newsletter": "newsletter sign-up forms",
    "seo_keywords": "search-phrase lines (a | b | c) and tag lists",
    "caption": "image captions, photo credits and gallery counters",
    "ad": "ads, offers, product boxes, calls to action, app promotions and blog taglines",
    "footer": "legal footer lines",
    "disclaimer": "medical, affiliate and trademark disclaimers",
    "references": "reference and source lists after the article",
    "metadata": "title, date, byline and read-time lines (kept as document metadata)",
    "duplicate": "a repeat: a line again at once, the title again, a 20-word paragraph, a line past its 25th time",
    "low_content": "short or stopword-poor text that its neighbours do not rescue (jusText-style)",
    "outside_main": "outside the main content region: before the article starts or after it ends",
    "not_extracted": "HTML text that trafilatura did not take into the main text",
}

# How a mention was recognised: the enum of `mentions.match_type`.
MATCH_MISSPELLING = "misspelling"
MATCH_DEFINED = "defined_abbreviation"
MATCH_CATEGORY_ERROR = "category_error"
MATCH_ELLIPTICAL = "elliptical"
MATCH_COORDINATED = "coordinated"
MATCH_TYPES = (
    "exact",  # the lexicon's canonical name
    "synonym",  # another accepted name, lay name or plural
    "variant",  # a spelling variant listed in the lexicon
    "abbreviation",  # a standard abbreviation (TFL, ITB)
    MATCH_DEFINED,
    MATCH_MISSPELLING,
    MATCH_ELLIPTICAL,
    MATCH_COORDINATED,
    MATCH_CATEGORY_ERROR,
)
FLAG_NONSTANDARD_ABBREVIATION = "nonstandard_abbreviation"
FLAG_CATEGORY_ERROR = "category_error"
FLAG_FUZZY = "fuzzy"
MENTION_FLAGS = (FLAG_NONSTANDARD_ABBREVIATION, FLAG_CATEGORY_ERROR, FLAG_FUZZY)

# The relation of a claim: the enum of `claims.relation`.
# member_count ("a squad of four") and prominence (primary or supporting muscle) fill single-valued
# slots, so sources can disagree on them.
RELATIONS = ("action", "running_role", "exercise", "stretch", "injury", "member", "member_count", "prominence")
# asserted: stated as fact; hedged: "may help", "could reduce".
MODALITIES = ("asserted", "hedged")

RELATION_MEMBER = "member"
# member_count ("a squad of four") and prominence (primary or supporting muscle)
RELATION_MEMBER_COUNT = "member_count"
RELATION_PROMINENCE = "prominence"

# What a lexicon entry is: the enum of `muscles.kind` and `mentions.kind`.
KINDS = ("muscle", "group", "structure")

# The controlled vocabularies of claim objects, one per relation they serve: `vocabulary.vocabulary`.
VOCABULARIES = ("action", "running_role", "exercise", "stretch", "injury")

# What the reference tables say of a fact: `facts.reference_agreement`.
AGREES, PARTIAL, CONTRADICTS, UNKNOWN = "agrees", "partial", "contradicts", "unknown"
AGREEMENTS = (AGREES, PARTIAL, CONTRADICTS, UNKNOWN)

# Conflict kinds: `conflicts.kind`, with what each means.
NAMING, CATEGORY, REFERENCE, DISAGREEMENT = "naming", "category", "reference", "disagreement"
CANDIDATE = "candidate"
CONFLICT_KINDS = {
    NAMING: "the same muscle written differently across sources",
    CATEGORY: "a structure or bone called a muscle",
    REFERENCE: "a fact that standard anatomy or exercise references contradict",
    DISAGREEMENT: "sources giving incompatible values for the same slot",
    CANDIDATE: "a term the vocabularies lack, found in the text: accept it as an object of this dataset or reject it",
}
FACT_STATUSES = ("accepted", "flagged", "rejected")
CONFLICT_STATUSES = ("open", "resolved")
# What accepting a conflict's suggestion does to its suggested facts.
SUGGESTED_ACTIONS = ("keep", "reject")
# Cluster methods, as in OpenRefine: key collision on a fingerprint or character n-grams, then
# edit distance; "lexicon" when only the lexicon links the forms (a definition, an older name).
CLUSTER_METHODS = ("fingerprint", "ngram-fingerprint", "levenshtein", "lexicon")

# A reviewer's decision on a conflict: `conflicts.decision` and the actions of review/decisions.yaml.
ACCEPT, REJECT, MERGE, NOT_A_CONFLICT, DEFER = "accept", "reject", "merge", "not_a_conflict", "defer"
ACTIONS = {
    ACCEPT: "apply the suggested resolution",
    REJECT: "reject the facts (or the claims) the conflict is about",
    MERGE: "merge the names into the canonical one (naming conflicts)",
    NOT_A_CONFLICT: "keep everything as it is; the flag was wrong",
    DEFER: "leave it open for later",
}
# Actions that close a conflict; a deferred one stays open.
RESOLVING = frozenset({ACCEPT, REJECT, MERGE, NOT_A_CONFLICT})


@dataclass(slots=True)
class Source:
    """One file found under the raw folder."""

    path: str  # absolute path on disk
    rel_path: str  # path relative to the raw folder, POSIX separators: the stable name
    format: str | None  # "html" or "text"; None when the extension is unsupported


@dataclass(slots=True)
class Document:
    """A decoded input file plus the metadata recovered from it."""

    doc_id: str
    source_path: str
    format: str | None
    status: str = STATUS_OK
    error: str | None = None
    encoding: str | None = None
    text: str = ""  # decoded content (HTML markup for html inputs)
    n_chars_raw: int = 0
    duplicate_of: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(slots=True)
class Block:
    """A heading, paragraph, list item or table row, kept or removed with a reason."""

    doc_id: str
    block_idx: int
    kind: str
    text: str
    kept: bool = True
    removal_reason: str | None = None
    section_path: list[str] = field(default_factory=list)
    line_start: int | None = None
    line_end: int | None = None


@dataclass(slots=True)
class Mention:
    """A muscle, muscle group or structure named in a kept block, resolved to a lexicon entry."""

    doc_id: str
    block_idx: int
    sentence_idx: int
    char_start: int  # offsets within the block text
    char_end: int
    surface: str
    muscle_id: str
    match_type: str
    line_start: int | None = None
    line_end: int | None = None
    note: str | None = None
    category_note: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(slots=True)
class Claim:
    """One claim occurrence: a muscle, a relation and an object, with the sentence that makes it."""

    claim_id: str
    doc_id: str
    muscle_id: str
    relation: str
    object_id: str
    object_label: str
    modality: str
    sentence: str
    block_idx: int
    section_path: list[str]
    char_start: int  # the sentence's span within the block text
    char_end: int
    line_start: int | None
    line_end: int | None
    rule_id: str
    confidence: float
    object_text: str = ""  # the object as written in the sentence
    candidate: bool = False  # the object is a candidate term: the vocabularies lack it
