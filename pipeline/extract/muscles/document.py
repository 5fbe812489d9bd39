"""Stage 3a's pipeline: build the muscle nlp and recognise the mentions of one document.

The short forms a document defines anywhere resolve in every block of it, so that step runs
over the whole document after the spaCy pipeline. Blocks stream through the pipeline: each Doc
is dropped once its mentions are read, so a very long document costs its mentions in memory, not
its Docs; the few blocks that use a defined short form are tokenised again for that step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.common.sentences import sentence_of, sentence_starts
from pipeline.extract.lexicon import ABBREVIATION_FORMAT, Lexicon
from pipeline.extract.muscles.resolver import finalise
from pipeline.extract.muscles.spans import (
    CANDIDATES,
    DOCUMENT_WORDS,
    WORDS,
    Definition,
    MentionMatch,
    doc_text,
)
from pipeline.extract.registry import lexicon_config
from pipeline.extract.stats import RecognitionStats
from pipeline.records import FLAG_NONSTANDARD_ABBREVIATION, MATCH_DEFINED, Block, Mention


def ruler_patterns(lexicon: Lexicon, case_sensitive: bool) -> list[dict]:
    """SpanRuler phrase patterns, spaCy-projects style: label = match type, id = muscle id.

    Case-sensitive terms ("TFL", "IT band") go to a ruler matching ORTH, with the non-abbreviation
    words in their usual capitalisations; phrase matching is far faster than token patterns.
    """
    patterns = []
    for term in lexicon.terms:
        if term.case_sensitive != case_sensitive:
            continue
        texts = _capitalisations(term.text) if case_sensitive else [term.text]
        patterns += [{"label": term.match_type, "pattern": text, "id": term.muscle_id} for text in texts]
    return patterns


def _capitalisations(text: str) -> list[str]:
    """'IT band' -> 'IT band', 'IT Band', 'IT BAND': abbreviations keep their case, words vary."""
    words = text.split(" ")
    variants = []
    for style in (str.lower, str.capitalize, str.upper):
        variants.append(" ".join(w if ABBREVIATION_FORMAT.match(w) else style(w) for w in words))
    return sorted(set(variants), key=variants.index)


def build_muscle_nlp(lexicon: Lexicon, guards_path: Path | None = None, cues_path: Path | None = None) -> Language:
    """spacy.blank('en') with the muscle components; no model download is involved.

    The components get their data through their config: the lexicon by its path (loaded once per
    process, see `cached_lexicon`), the guard and cue files by theirs (default: the shipped ones).
    """
    nlp = spacy.blank("en")
    for name, attr, case_sensitive in (("muscle_ruler", "LOWER", False), ("muscle_abbreviation_ruler", "ORTH", True)):
        ruler = nlp.add_pipe(
            "span_ruler",
            name=name,
            config={"spans_key": CANDIDATES, "phrase_matcher_attr": attr, "validate": True, "overwrite": False},
        )
        ruler.add_patterns(ruler_patterns(lexicon, case_sensitive))
    data = {"lexicon": lexicon_config(lexicon)}
    nlp.add_pipe("muscle_misspellings", config=data)
    nlp.add_pipe("muscle_sense_guard", config={**data, "guards_path": str(guards_path) if guards_path else None})
    nlp.add_pipe("muscle_abbreviation_definitions", config={**data, "cues_path": str(cues_path) if cues_path else None})
    nlp.add_pipe("muscle_resolver", config=data)
    return nlp


def resolve_definitions(found: Iterable[Definition], lexicon: Lexicon) -> dict[str, Definition]:
    """Short forms defined anywhere in one document (in document order), checked against the
    lexicon's reading."""
    definitions: dict[str, Definition] = {}
    for definition in found:
        lexicon_term = lexicon.phrase_index.get(definition.short_form.lower())
        standard = next(
            (t for t in lexicon.terms if t.case_sensitive and t.text == definition.short_form),
            lexicon_term,
        )
        if standard and standard.muscle_id != definition.muscle_id and not definition.strong:
            continue  # "X, also known as SF" may not overrule what SF means everywhere else
        definitions.setdefault(definition.short_form, definition)
    return definitions


def apply_definitions(doc: Doc, definitions: dict[str, Definition], lexicon: Lexicon) -> None:
    """Resolve defined short forms in a block; they replace any other reading of the same tokens."""
    if not definitions:
        return
    mentions = list(doc._.muscle_mentions or [])
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(definitions))) + r")s?\b")
    for match in pattern.finditer(doc_text(doc)):
        token_span = doc.char_span(match.start(), match.end())
        if token_span is None or len(token_span) != 1:
            continue
        token, short = token_span[0], match.group(1)
        definition = definitions[short]
        entry = lexicon[definition.muscle_id]
        existing = [m for m in mentions if m.start <= token.i < m.end]
        if any(m.muscle_id == entry.id for m in existing):
            continue  # already read as this entry (a standard abbreviation, "iliotibial (ITB)")
        mentions = [m for m in mentions if m not in existing]
        note = f"'{short}' is defined in this document as '{definition.long_form}'"
        flags: tuple[str, ...] = ()
        if short not in entry.standard_abbreviations and entry.standard_abbreviations:
            standard = entry.standard_abbreviations[0]
            transposed = sorted(short.upper()) == sorted(standard.upper())
            how = "a transposition of" if transposed else "not"
            note += f"; it is {how} the standard abbreviation {standard} for {entry.name}"
            flags = (FLAG_NONSTANDARD_ABBREVIATION,)
        mention = MentionMatch(token.i, token.i + 1, entry.id, MATCH_DEFINED, note, flags=flags)
        mentions.append(finalise(doc, mention, lexicon))
    doc._.muscle_mentions = sorted(mentions, key=lambda m: m.start)


def recognise_document(
    nlp: Language,
    lexicon: Lexicon,
    blocks: list[Block],
    stats: RecognitionStats,
    on_doc: Callable[[Block, Doc], None] | None = None,
) -> list[Mention]:
    """All mentions in one document's kept blocks, in block order. `on_doc` sees each block's Doc
    before it is dropped, for what else the pipeline found in it (claim objects)."""
    kept = [b for b in blocks if b.kept]
    document_words = frozenset(w for b in kept for w in WORDS.findall(b.text.lower()))
    found: list[tuple[Block, list[MentionMatch], list[Mention]]] = []
    defined: list[Definition] = []
    for block, doc in zip(kept, nlp.pipe(_docs(nlp, kept, document_words)), strict=True):
        for reason, _surface in doc._.muscle_dropped or []:
            stats.dropped_by_sense_guard[reason] += 1
        defined += doc._.abbreviation_definitions or []
        if on_doc is not None:
            on_doc(block, doc)
        matches = list(doc._.muscle_mentions or [])
        found.append((block, matches, _mentions(block, doc, matches)))
    definitions = resolve_definitions(defined, lexicon)
    stats.defined_abbreviations += len(definitions)
    uses = re.compile(r"\b(" + "|".join(map(re.escape, sorted(definitions))) + r")s?\b") if definitions else None
    mentions: list[Mention] = []
    for block, matches, block_mentions in found:
        if uses is not None and uses.search(block.text):
            doc = nlp.make_doc(block.text)  # the same tokens as in the pipeline, so the matches fit
            doc.user_data["text"] = block.text
            doc._.muscle_mentions = matches
            apply_definitions(doc, definitions, lexicon)
            block_mentions = _mentions(block, doc, doc._.muscle_mentions or [])
        for mention in block_mentions:
            stats.by_match_type[mention.match_type] += 1
        mentions += block_mentions
    return mentions


def _docs(nlp: Language, kept: list[Block], document_words: frozenset[str]) -> Iterator[Doc]:
    """The blocks' Docs, made one at a time as the pipeline asks for them."""
    for block in kept:
        doc = nlp.make_doc(block.text)
        doc.user_data[DOCUMENT_WORDS] = document_words
        doc.user_data["text"] = block.text
        yield doc


def _mentions(block: Block, doc: Doc, matches: list[MentionMatch]) -> list[Mention]:
    starts = sentence_starts(block.text)
    mentions = []
    for match in matches:
        span = doc[match.start : match.end]
        mentions.append(
            Mention(
                doc_id=block.doc_id,
                block_idx=block.block_idx,
                sentence_idx=sentence_of(starts, span.start_char),
                char_start=span.start_char,
                char_end=span.end_char,
                line_start=block.line_start,
                line_end=block.line_end,
                surface=span.text,
                muscle_id=match.muscle_id,
                match_type=match.match_type,
                note=match.note,
                category_note=match.category_note,
                flags=match.flags,
            )
        )
    return mentions


def recognise_muscles(
    blocks: Iterable[Block],
    nlp: Language,
    lexicon: Lexicon,
    progress: Callable[[Collection[list[Block]]], Iterable[list[Block]]] = lambda docs: docs,
) -> tuple[list[Mention], RecognitionStats]:
    """Stage 3a over many documents: blocks in, mentions out (kept blocks only)."""
    stats = RecognitionStats()
    by_doc: dict[str, list[Block]] = {}
    for block in blocks:
        by_doc.setdefault(block.doc_id, []).append(block)
    mentions: list[Mention] = []
    for doc_blocks in progress(list(by_doc.values())):
        mentions.extend(recognise_document(nlp, lexicon, doc_blocks, stats))
    return mentions, stats
