"""The data contract: explicit pyarrow schemas of every Parquet table in curated/.

Built from the enums of `pipeline/records.py` and nothing else, so reading the contract loads
neither spaCy nor trafilatura.

Each field carries its description in the field metadata, so the README's data dictionary is
generated from here (`curate schema --markdown`) and a test checks that the two agree.
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.records import (
    ACTIONS,
    AGREEMENTS,
    BLOCK_KINDS,
    CLUSTER_METHODS,
    CONFLICT_KINDS,
    CONFLICT_STATUSES,
    DOCUMENT_STATUSES,
    FACT_STATUSES,
    KINDS,
    MATCH_TYPES,
    MENTION_FLAGS,
    MODALITIES,
    RELATIONS,
    REMOVAL_REASONS,
    SUGGESTED_ACTIONS,
    VOCABULARIES,
)


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
        _field(
            "source_group",
            pa.string(),
            "doc_id of the first document of its near-duplicate group (MinHash similarity of kept text >= 0.8); "
            "facts count groups, not files.",
            False,
        ),
        _field("group_similarity", pa.float64(), "Estimated Jaccard similarity to the group's first document.", False),
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
        _field("object_text", pa.string(), "The object as written in the sentence.", False),
        _field(
            "candidate",
            pa.bool_(),
            "True when the object is a candidate term: a name found in the text that the vocabularies lack "
            "(reviewed as a `candidate` conflict).",
            False,
        ),
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
        _field(
            "candidate",
            pa.bool_(),
            "True for a candidate term found in this build's text (phrases: its forms as written); false for the "
            "shipped vocabulary and for candidates a reviewer accepted.",
            False,
        ),
        _field("n_claims", pa.int32(), "Claims of this build with this object.", False),
    ]
)

EVIDENCE = pa.struct(
    [
        pa.field("side", pa.string()),
        pa.field("claim_id", pa.string()),
        pa.field("doc_id", pa.string()),
        pa.field("source_path", pa.string()),
        pa.field("quote", pa.string()),
        pa.field("line_start", pa.int32()),
        pa.field("line_end", pa.int32()),
    ]
)
FORM_COUNT = pa.struct(
    [
        pa.field("form", pa.string()),
        pa.field("doc_id", pa.string()),
        pa.field("source_path", pa.string()),
        pa.field("n", pa.int32()),
    ]
)

FACTS = pa.schema(
    [
        _field("fact_id", pa.string(), "Stable id: hash of muscle_id, relation and object_id.", False),
        _field("muscle_id", pa.string(), "Subject (joins `muscles`).", False),
        _field("muscle_name", pa.string(), "Canonical name of the subject.", False),
        _field("relation", pa.string(), f"One of {', '.join(RELATIONS)}.", False),
        _field("object_id", pa.string(), "Object, as in `claims`.", False),
        _field("object_label", pa.string(), "Canonical name of the object.", False),
        _field("n_claims", pa.int32(), "Claims behind the fact (rejected claims left out).", False),
        _field("n_documents", pa.int32(), "Documents making those claims or member claims.", False),
        _field(
            "n_sources",
            pa.int32(),
            "Independent source groups making them (near-duplicate copies count once).",
            False,
        ),
        _field("doc_ids", pa.list_(pa.string()), "Documents making the claims or member claims.", False),
        _field("claim_ids", pa.list_(pa.string()), "The claims about this muscle (join `claims`).", False),
        _field(
            "member_claim_ids",
            pa.list_(pa.string()),
            "Exercise and stretch facts of a group: the same claim made about one of its members.",
            False,
        ),
        _field(
            "support",
            pa.float64(),
            "Sum over source groups of the group's best claim confidence (hedged claims weigh less); "
            "member claims included.",
            False,
        ),
        _field("modality", pa.string(), "`asserted` if any claim asserts it, else `hedged`.", False),
        _field(
            "status",
            pa.string(),
            "accepted; flagged (an open conflict touches it); rejected (by a reviewer's decision).",
            False,
        ),
        _field(
            "reference_agreement",
            pa.string(),
            f"Against the reference tables: one of {', '.join(AGREEMENTS)}.",
            False,
        ),
        _field("reference_note", pa.string(), "What the reference says, where it has an entry."),
        _field("reference_citation", pa.string(), "The reference's source and section."),
        _field("conflict_ids", pa.list_(pa.string()), "Conflicts that touch the fact (join `conflicts`).", False),
    ]
)

CONFLICTS = pa.schema(
    [
        _field("conflict_id", pa.string(), "Stable id: hash of the kind and the values involved.", False),
        _field("kind", pa.string(), f"One of {', '.join(CONFLICT_KINDS)}.", False),
        _field("summary", pa.string(), "One line saying what is in conflict.", False),
        _field("muscle_ids", pa.list_(pa.string()), "Entities involved (join `muscles`).", False),
        _field("relation", pa.string(), "For reference and disagreement conflicts: the relation."),
        _field("object_ids", pa.list_(pa.string()), "For reference and disagreement conflicts: the values.", False),
        _field("surface", pa.string(), "For naming and category conflicts: the form as written."),
        _field(
            "cluster_method",
            pa.string(),
            f"Naming: how the form clusters with the standard name ({', '.join(CLUSTER_METHODS)}).",
        ),
        _field(
            "forms",
            pa.list_(FORM_COUNT),
            "Naming and category: every written form of the entity with its count per source file.",
            False,
        ),
        _field(
            "evidence",
            pa.list_(EVIDENCE),
            "Side by side: each item names its side, claim, document, quote and raw lines.",
            False,
        ),
        _field("fact_ids", pa.list_(pa.string()), "Facts the conflict touches (join `facts`).", False),
        _field("suggested_resolution", pa.string(), "What the pipeline suggests, in words.", False),
        _field(
            "suggested_action",
            pa.string(),
            f"What accepting the suggestion does to `suggested_fact_ids`: {', '.join(SUGGESTED_ACTIONS)}.",
            False,
        ),
        _field("suggested_fact_ids", pa.list_(pa.string()), "Facts the suggestion would reject.", False),
        _field("status", pa.string(), f"One of {', '.join(CONFLICT_STATUSES)}.", False),
        _field("decision", pa.string(), f"The applied decision: one of {', '.join(ACTIONS)}; null if none."),
        _field("decided_by", pa.string(), "Who made the decision."),
        _field("decided_at", pa.string(), "When (ISO 8601, as written in review/decisions.yaml)."),
        _field("decision_note", pa.string(), "The reviewer's note."),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "blocks": BLOCKS,
    "mentions": MENTIONS,
    "muscles": MUSCLES,
    "claims": CLAIMS,
    "vocabulary": VOCABULARY,
    "facts": FACTS,
    "conflicts": CONFLICTS,
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
    ("facts", "relation"): frozenset(RELATIONS),
    ("facts", "modality"): frozenset(MODALITIES),
    ("facts", "status"): frozenset(FACT_STATUSES),
    ("facts", "reference_agreement"): frozenset(AGREEMENTS),
    ("conflicts", "kind"): frozenset(CONFLICT_KINDS),
    ("conflicts", "cluster_method"): frozenset(CLUSTER_METHODS),
    ("conflicts", "suggested_action"): frozenset(SUGGESTED_ACTIONS),
    ("conflicts", "status"): frozenset(CONFLICT_STATUSES),
    ("conflicts", "decision"): frozenset(ACTIONS),
}
# Columns whose values (or value combinations) must be unique in their table.
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("source_path",),
    "blocks": ("doc_id", "block_idx"),
    "mentions": ("doc_id", "block_idx", "char_start"),
    "muscles": ("muscle_id",),
    "claims": ("claim_id",),
    "vocabulary": ("vocabulary", "object_id"),
    "facts": ("muscle_id", "relation", "object_id"),  # fact_id is a hash of these
    "conflicts": ("conflict_id",),
}

# Columns whose values must appear in another table's column, when both are written together:
# (table, column) -> (table, column). List columns are checked item by item.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("blocks", "doc_id"): ("documents", "doc_id"),
    ("mentions", "doc_id"): ("documents", "doc_id"),
    ("mentions", "muscle_id"): ("muscles", "muscle_id"),
    ("claims", "doc_id"): ("documents", "doc_id"),
    ("claims", "muscle_id"): ("muscles", "muscle_id"),
    ("facts", "claim_ids"): ("claims", "claim_id"),
    ("facts", "member_claim_ids"): ("claims", "claim_id"),
    ("facts", "conflict_ids"): ("conflicts", "conflict_id"),
    ("conflicts", "fact_ids"): ("facts", "fact_id"),
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
