"""The data contract: explicit pyarrow schemas of every Parquet table in curated/.

Each field carries its description in the field metadata, so the README's data dictionary is
generated from here (`curate schema --markdown`) and a test checks that the two agree.
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.lexicon import KINDS
from pipeline.records import (
    BLOCK_KINDS,
    DOCUMENT_STATUSES,
    MATCH_TYPES,
    MENTION_FLAGS,
    MODALITIES,
    RELATIONS,
    REMOVAL_REASONS,
)
from pipeline.vocabulary import VOCABULARIES


def _field(name: str, type_: pa.DataType, description: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


DOCUMENTS = pa.schema(
    [
        _field(
            "doc_id",
            pa.string(),
            "Stable id: hash of the normalised content (of the path, for unreadable files).",
            False,
        ),
        _field("source_path", pa.string(), "Path of the input file relative to the raw folder.", False),
        _field("format", pa.string(), "`html` or `text`; null for unsupported files."),
        _field("encoding", pa.string(), "Encoding the file was decoded with (utf-8, utf-8-sig, cp1252, ...)."),
        _field("language", pa.string(), "Stoplist language picked for text dumps (jusText names)."),
        _field("title", pa.string(), "Article title (trafilatura metadata, or recovered from the dump)."),
        _field("author", pa.string(), "Author, where the page or dump shows one."),
        _field("published", pa.date32(), "Publication or update date, where shown."),
        _field("sitename", pa.string(), "Site name (HTML only)."),
        _field("url", pa.string(), "Canonical URL (HTML only)."),
        _field("n_chars_raw", pa.int64(), "Characters of decoded input.", False),
        _field("n_chars_clean", pa.int64(), "Characters of kept block text.", False),
        _field("n_blocks_kept", pa.int32(), "Blocks kept as article content.", False),
        _field("n_blocks_removed", pa.int32(), "Blocks removed as boilerplate.", False),
        _field("duplicate_of", pa.string(), "For exact re-saves: source_path of the first copy."),
        _field("status", pa.string(), f"One of {', '.join(DOCUMENT_STATUSES)}.", False),
        _field("error", pa.string(), "For errors and unsupported files: what is wrong, naming the file."),
    ]
)

BLOCKS = pa.schema(
    [
        _field("doc_id", pa.string(), "Document the block belongs to.", False),
        _field("block_idx", pa.int32(), "Position of the block in its document (0-based).", False),
        _field("kind", pa.string(), f"One of {', '.join(BLOCK_KINDS)}.", False),
        _field("section_path", pa.list_(pa.string()), "Headings above the block, outermost first.", False),
        _field("text", pa.string(), "Block text, whitespace collapsed, list bullets removed.", False),
        _field("kept", pa.bool_(), "True for article content, false for removed boilerplate.", False),
        _field(
            "removal_reason", pa.string(), "Why a removed block was dropped (see the reason codes); null when kept."
        ),
        _field("line_start", pa.int32(), "First line of the block in the raw file (text inputs; 1-based)."),
        _field("line_end", pa.int32(), "Last line of the block in the raw file (text inputs; 1-based)."),
    ]
)

MENTIONS = pa.schema(
    [
        _field("mention_id", pa.string(), "Stable id: hash of doc_id, block_idx and the character span.", False),
        _field("doc_id", pa.string(), "Document of the mention.", False),
        _field("block_idx", pa.int32(), "Kept block holding the mention (joins `blocks`).", False),
        _field("sentence_idx", pa.int32(), "Sentence within the block (0-based).", False),
        _field("char_start", pa.int32(), "Start offset of the mention in the block text.", False),
        _field("char_end", pa.int32(), "End offset (exclusive) of the mention in the block text.", False),
        _field("line_start", pa.int32(), "First raw line of the block holding the mention (text inputs)."),
        _field("line_end", pa.int32(), "Last raw line of the block holding the mention (text inputs)."),
        _field("surface", pa.string(), "The mention as written, including a trailing 'muscle(s)'.", False),
        _field("muscle_id", pa.string(), "Lexicon id of the muscle, group or structure (joins `muscles`).", False),
        _field("muscle_name", pa.string(), "Canonical name from the lexicon.", False),
        _field("kind", pa.string(), f"One of {', '.join(KINDS)}.", False),
        _field(
            "match_type",
            pa.string(),
            f"How the mention was recognised: one of {', '.join(MATCH_TYPES)}.",
            False,
        ),
        _field("note", pa.string(), "How a non-exact match was resolved (correction, definition, ellipsis)."),
        _field("category_note", pa.string(), "Set when the text calls a non-muscle (a structure) a muscle."),
        _field("flags", pa.list_(pa.string()), f"Issues for review: {', '.join(MENTION_FLAGS)}.", False),
    ]
)

MUSCLES = pa.schema(
    [
        _field("muscle_id", pa.string(), "Stable lexicon id (a slug).", False),
        _field("name", pa.string(), "Canonical name.", False),
        _field("kind", pa.string(), f"One of {', '.join(KINDS)}.", False),
        _field("region", pa.string(), "Body region.", False),
        _field("uberon_id", pa.string(), "UBERON class, where the ontology has one."),
        _field("fma_id", pa.string(), "FMA id cross-referenced by UBERON, where present."),
        _field("synonyms", pa.list_(pa.string()), "Other names, lay names and plurals in use.", False),
        _field("variants", pa.list_(pa.string()), "Spelling variants seen in print.", False),
        _field("abbreviations", pa.list_(pa.string()), "Standard abbreviations.", False),
        _field("members", pa.list_(pa.string()), "For groups: muscle_ids of the members.", False),
        _field("member_of", pa.list_(pa.string()), "muscle_ids of the groups that list this entry.", False),
        _field("note", pa.string(), "Curator's note on the entry."),
        _field("n_documents", pa.int32(), "Documents of this build that mention the entry.", False),
        _field("n_mentions", pa.int32(), "Mentions of the entry in this build.", False),
    ]
)

CLAIMS = pa.schema(
    [
        _field("claim_id", pa.string(), "Stable id: hash of doc, muscle, relation, object and sentence span.", False),
        _field("doc_id", pa.string(), "Document that makes the claim.", False),
        _field("muscle_id", pa.string(), "Subject: the muscle, group or structure (joins `muscles`).", False),
        _field("relation", pa.string(), f"One of {', '.join(RELATIONS)}.", False),
        _field(
            "object_id",
            pa.string(),
            "Object: a vocabulary id (joins `vocabulary` on relation = vocabulary), or a muscle_id for `member`.",
            False,
        ),
        _field("object_label", pa.string(), "Canonical name of the object.", False),
        _field("modality", pa.string(), f"One of {', '.join(MODALITIES)} ('may help' is hedged).", False),
        _field("sentence", pa.string(), "The evidence: the sentence (or table cell) that makes the claim.", False),
        _field("block_idx", pa.int32(), "Block of the sentence (joins `blocks`).", False),
        _field("section_path", pa.list_(pa.string()), "Headings above the block.", False),
        _field("char_start", pa.int32(), "Start of the sentence in the block text.", False),
        _field("char_end", pa.int32(), "End (exclusive) of the sentence in the block text.", False),
        _field("line_start", pa.int32(), "First raw line of the block (text inputs)."),
        _field("line_end", pa.int32(), "Last raw line of the block (text inputs)."),
        _field("rule_id", pa.string(), "The attribution rule that produced the claim (see the README).", False),
        _field("confidence", pa.float64(), "The rule's confidence, lowered for hedged claims.", False),
    ]
)

VOCABULARY = pa.schema(
    [
        _field("vocabulary", pa.string(), f"One of {', '.join(VOCABULARIES)} (the claim relation it serves).", False),
        _field("object_id", pa.string(), "Stable id within its vocabulary.", False),
        _field("label", pa.string(), "Canonical name.", False),
        _field("phrases", pa.list_(pa.string()), "Phrases that name it (plurals are matched too).", False),
        _field("n_claims", pa.int32(), "Claims of this build with this object.", False),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "blocks": BLOCKS,
    "mentions": MENTIONS,
    "muscles": MUSCLES,
    "claims": CLAIMS,
    "vocabulary": VOCABULARY,
}

# Allowed values of enum-like columns, checked before every write.
ENUMS: dict[tuple[str, str], frozenset[str]] = {
    ("documents", "status"): frozenset(DOCUMENT_STATUSES),
    ("documents", "format"): frozenset({"html", "text"}),
    ("blocks", "kind"): frozenset(BLOCK_KINDS),
    ("blocks", "removal_reason"): frozenset(REMOVAL_REASONS),
    ("mentions", "kind"): frozenset(KINDS),
    ("mentions", "match_type"): frozenset(MATCH_TYPES),
    ("mentions", "flags"): frozenset(MENTION_FLAGS),
    ("muscles", "kind"): frozenset(KINDS),
    ("claims", "relation"): frozenset(RELATIONS),
    ("claims", "modality"): frozenset(MODALITIES),
    ("vocabulary", "vocabulary"): frozenset(VOCABULARIES),
}
# Columns whose values (or value combinations) must be unique in their table.
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("source_path",),
    "blocks": ("doc_id", "block_idx"),
    "mentions": ("doc_id", "block_idx", "char_start"),
    "muscles": ("muscle_id",),
    "claims": ("claim_id",),
    "vocabulary": ("vocabulary", "object_id"),
}


def data_dictionary_markdown() -> str:
    """The README's data dictionary, one table per Parquet file."""
    parts = []
    for name, schema in TABLES.items():
        parts.append(f"#### `curated/{name}.parquet`\n")
        parts.append("| column | type | null | description |")
        parts.append("| --- | --- | --- | --- |")
        for field in schema:
            description = field.metadata[b"description"].decode()
            nullable = "yes" if field.nullable else "no"
            parts.append(f"| `{field.name}` | {field.type} | {nullable} | {description} |")
        parts.append("")
    return "\n".join(parts)
