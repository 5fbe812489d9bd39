"""Stage 5's rows: the records of a build as rows of the tables in `schemas.py`.

One function per table. The writer (`parquet.py`) sorts the rows by each table's key and
validates them, so these only shape records into columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from pipeline.common.ids import short_id
from pipeline.records import Claim, Document, Mention

if TYPE_CHECKING:  # the records of other stages, named here only as types
    from pipeline.extract.lexicon import Lexicon
    from pipeline.extract.vocabulary import Vocabulary
    from pipeline.reconcile.conflicts import Conflict
    from pipeline.reconcile.facts import Fact
    from pipeline.write.blocktable import BlockTable


def document_rows(
    documents: list[Document], blocks: BlockTable, groups: dict[str, tuple[str, float]]
) -> list[dict[str, Any]]:
    kept, kept_chars, removed = blocks.kept_per_doc, blocks.kept_chars_per_doc, blocks.removed_per_doc
    rows = []
    for doc in documents:
        # A duplicate shares its doc_id with the first copy, whose blocks these are.
        owns_blocks = doc.status in ("ok", "error")
        rows.append(
            {
                "doc_id": doc.doc_id,
                "source_path": doc.source_path,
                "format": doc.format,
                "encoding": doc.encoding,
                "language": doc.language,
                "title": doc.title,
                "author": doc.author,
                "published": as_date(doc.published),
                "sitename": doc.sitename,
                "url": doc.url,
                "n_chars_raw": doc.n_chars_raw,
                "n_chars_clean": kept_chars[doc.doc_id] if owns_blocks else 0,
                "n_blocks_kept": kept[doc.doc_id] if owns_blocks else 0,
                "n_blocks_removed": removed[doc.doc_id] if owns_blocks else 0,
                "duplicate_of": doc.duplicate_of,
                "source_group": groups.get(doc.doc_id, (doc.doc_id, 1.0))[0],
                "group_similarity": groups.get(doc.doc_id, (doc.doc_id, 1.0))[1],
                "status": doc.status,
                "error": doc.error,
            }
        )
    return rows


def mention_rows(mentions: list[Mention], lexicon: Lexicon) -> list[dict[str, Any]]:
    rows = []
    for m in mentions:
        entry = lexicon[m.muscle_id]
        rows.append(
            {
                "mention_id": short_id(m.doc_id, m.block_idx, m.char_start, m.char_end),
                "doc_id": m.doc_id,
                "block_idx": m.block_idx,
                "sentence_idx": m.sentence_idx,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "line_start": m.line_start,
                "line_end": m.line_end,
                "surface": m.surface,
                "muscle_id": m.muscle_id,
                "muscle_name": entry.name,
                "kind": entry.kind,
                "match_type": m.match_type,
                "note": m.note,
                "category_note": m.category_note,
                "flags": list(m.flags),
            }
        )
    return rows


def muscle_rows(lexicon: Lexicon, mentions: list[Mention]) -> list[dict[str, Any]]:
    n_mentions = Counter(m.muscle_id for m in mentions)
    documents: dict[str, set[str]] = {}
    for m in mentions:
        documents.setdefault(m.muscle_id, set()).add(m.doc_id)
    member_of: dict[str, list[str]] = {}
    for entry in lexicon.entries.values():
        for member in entry.members:
            member_of.setdefault(member, []).append(entry.id)
    return [
        {
            "muscle_id": entry.id,
            "name": entry.name,
            "kind": entry.kind,
            "region": entry.region,
            "uberon_id": entry.uberon_id,
            "fma_id": entry.fma_id,
            "synonyms": list(entry.synonyms),
            "variants": list(entry.variants),
            "abbreviations": list(entry.standard_abbreviations),
            "members": list(entry.members),
            "member_of": sorted(member_of.get(entry.id, [])),
            "note": entry.note,
            "n_documents": len(documents.get(entry.id, ())),
            "n_mentions": n_mentions[entry.id],
        }
        for entry in lexicon.entries.values()
    ]


CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))


def claim_rows(claims: list[Claim]) -> list[dict[str, Any]]:
    # Not dataclasses.asdict: its deep copy was most of the time spent on this table.
    return [{name: getattr(claim, name) for name in CLAIM_FIELDS} for claim in claims]


def vocabulary_rows(
    vocabulary: Vocabulary, claims: list[Claim], accepted: set[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The shipped vocabularies, then the candidate terms this build's claims use (with their forms as
    written); `accepted` holds the (vocabulary, object_id) of candidates a reviewer accepted."""
    used = Counter((c.relation, c.object_id) for c in claims)
    rows = [
        {
            "vocabulary": entry.vocabulary,
            "object_id": entry.id,
            "label": entry.label,
            "phrases": list(entry.phrases),
            "candidate": False,
            "n_claims": used[(entry.vocabulary, entry.id)],
        }
        for entry in vocabulary.entries.values()
    ]
    forms: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for claim in claims:
        if claim.candidate:
            label, written = forms.setdefault((claim.relation, claim.object_id), (claim.object_label, set()))
            written.add(claim.object_text)
    for (relation, object_id), (label, written) in sorted(forms.items()):
        rows.append(
            {
                "vocabulary": relation,
                "object_id": object_id,
                "label": label,
                "phrases": sorted(written),
                "candidate": (relation, object_id) not in accepted,
                "n_claims": used[(relation, object_id)],
            }
        )
    return rows


def fact_rows(facts: list[Fact], lexicon: Lexicon) -> list[dict[str, Any]]:
    rows = []
    for fact in facts:
        judgement = fact.judgement
        rows.append(
            {
                "fact_id": fact.fact_id,
                "muscle_id": fact.muscle_id,
                "muscle_name": lexicon[fact.muscle_id].name,
                "relation": fact.relation,
                "object_id": fact.object_id,
                "object_label": fact.object_label,
                "n_claims": 0 if fact.all_claims_rejected else len(fact.claims),
                "n_documents": len({c.doc_id for c in fact.evidence}),
                "n_sources": len(fact.source_groups),
                "doc_ids": sorted({c.doc_id for c in fact.evidence}),
                "claim_ids": sorted(c.claim_id for c in fact.claims),
                "member_claim_ids": sorted(c.claim_id for c in fact.member_claims),
                "support": 0.0 if fact.all_claims_rejected else fact.support,
                "modality": "asserted" if any(c.modality == "asserted" for c in fact.claims) else "hedged",
                "status": fact.status,
                "reference_agreement": judgement.agreement,
                "reference_note": judgement.explanation or None,
                "reference_citation": str(judgement.citation) if judgement.citation else None,
                "conflict_ids": fact.conflict_ids,
            }
        )
    return rows


def conflict_rows(conflicts: list[Conflict]) -> list[dict[str, Any]]:
    rows = []
    for conflict in conflicts:
        decision = conflict.decision
        rows.append(
            {
                "conflict_id": conflict.conflict_id,
                "kind": conflict.kind,
                "summary": conflict.summary,
                "muscle_ids": conflict.muscle_ids,
                "relation": conflict.relation,
                "object_ids": conflict.object_ids,
                "surface": conflict.surface,
                "cluster_method": conflict.cluster_method,
                "forms": conflict.forms,
                "evidence": [dataclasses.asdict(e) for e in conflict.evidence],
                "fact_ids": conflict.fact_ids,
                "suggested_resolution": conflict.suggested_resolution,
                "suggested_action": conflict.suggested_action,
                "suggested_fact_ids": conflict.suggested_fact_ids,
                "status": conflict.status,
                "decision": decision.action if decision else None,
                "decided_by": decision.by if decision else None,
                "decided_at": decision.at if decision else None,
                "decision_note": decision.note if decision else None,
            }
        )
    return rows


def as_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
