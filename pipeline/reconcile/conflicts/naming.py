"""Form conflicts: a muscle written in a non-standard way (naming), a structure called a muscle (category)."""

from __future__ import annotations

from pipeline.extract.lexicon import Lexicon
from pipeline.reconcile.conflicts import Conflict, form_conflict
from pipeline.reconcile.evidence import MAX_EVIDENCE_PER_SIDE, Evidence, EvidenceIndex, one_per_doc
from pipeline.reconcile.keys import NAMING_REASONS, base_form, cluster_method, form_key, naming_reason
from pipeline.records import CATEGORY, FLAG_CATEGORY_ERROR, FLAG_NONSTANDARD_ABBREVIATION, NAMING, Mention

LEXICON_FILE = "pipeline/data/muscles.jsonl"


def naming_conflicts(index: EvidenceIndex, lexicon: Lexicon) -> list[Conflict]:
    """One conflict per entry and non-standard written form (misspelling, variant, odd abbreviation...)."""
    flagged: dict[tuple[str, str], list[tuple[Mention, str]]] = {}
    for mention in index.mentions:
        reason = naming_reason(mention, lexicon)
        if reason:
            flagged.setdefault((mention.muscle_id, form_key(mention)), []).append((mention, reason))
    return [
        _naming_conflict(index, lexicon, muscle_id, key, found) for (muscle_id, key), found in sorted(flagged.items())
    ]


def _naming_conflict(
    index: EvidenceIndex, lexicon: Lexicon, muscle_id: str, key: str, found: list[tuple[Mention, str]]
) -> Conflict:
    entry = lexicon[muscle_id]
    mentions = [m for m, _ in found]
    surface = key if FLAG_NONSTANDARD_ABBREVIATION in mentions[0].flags else base_form(mentions[0].surface)
    reasons = sorted({reason for _, reason in found}, key=NAMING_REASONS.index)
    entry_mentions = index.by_muscle[muscle_id]
    standard_mentions = [m for m in entry_mentions if naming_reason(m, lexicon) is None]
    docs = {m.doc_id for m in mentions}
    others = [m for m in standard_mentions if m.doc_id not in docs] or standard_mentions
    evidence = [index.of_mention("as written", m) for m in mentions[:MAX_EVIDENCE_PER_SIDE]]
    evidence += [index.of_mention("standard name", m) for m in one_per_doc(others)]
    abbreviation = f" ({', '.join(entry.standard_abbreviations)})" if entry.standard_abbreviations else ""
    standard = [entry.name, *entry.standard_abbreviations, *entry.synonyms]
    return form_conflict(
        NAMING,
        muscle_id,
        (key,),
        summary=f"'{surface}' ({', '.join(reasons)}) is written for {entry.name}{abbreviation}",
        evidence=evidence,
        resolution=f"merge '{surface}' into the canonical name '{entry.name}'{abbreviation}",
        surface=surface,
        mentions=mentions,
        forms=index.form_counts(entry_mentions),
        cluster_method=cluster_method(surface, standard),
    )


def category_conflicts(index: EvidenceIndex, lexicon: Lexicon) -> list[Conflict]:
    """One conflict per structure that some text calls a muscle ("the ITB muscle")."""
    by_entry: dict[str, list[Mention]] = {}
    for mention in index.mentions:
        if FLAG_CATEGORY_ERROR in mention.flags:
            by_entry.setdefault(mention.muscle_id, []).append(mention)
    conflicts = []
    for muscle_id, found in sorted(by_entry.items()):
        entry = lexicon[muscle_id]
        kind_note = found[0].category_note or f"the {entry.name} is a {entry.kind}, not a muscle"
        ids = f" ({entry.uberon_id})" if entry.uberon_id else ""
        evidence = [index.of_mention("called a muscle", m) for m in found[:MAX_EVIDENCE_PER_SIDE]]
        evidence.append(Evidence("lexicon", None, LEXICON_FILE, f"{entry.name}{ids}: kind {entry.kind}"))
        conflicts.append(
            form_conflict(
                CATEGORY,
                muscle_id,
                (),
                summary=f"the {entry.name} is called a muscle: {kind_note}",
                evidence=evidence,
                resolution=f"keep the {entry.name} as a {entry.kind}; its facts stay, as a {entry.kind}'s",
                surface=base_form(found[0].surface),
                mentions=found,
                forms=index.form_counts(found),
            )
        )
    return conflicts
