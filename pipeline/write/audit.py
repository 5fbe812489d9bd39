"""The audit view of one document: what the cleaner kept and removed, and what was read from it.

Built from a build folder's tables plus the raw file: every block in order with its raw
lines, removed blocks with their reason, muscle mentions marked, and each claim beside the
block of its sentence. Raw lines that no block covers are shown too, and a raw file that
changed since the build is pointed out, since its line numbers may no longer match.
`curate show DOC` prints it (`render_terminal`); `audit_page.py` makes the HTML page.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ingest.read import detect_format, read_source
from pipeline.records import Source
from pipeline.write.built import BuiltFolder, rows_where

# A doc_id may be shortened to a unique prefix of at least this many characters.
MIN_PREFIX = 6
DOCUMENT_COLUMNS = [
    "doc_id", "source_path", "format", "status", "error", "title", "url", "language", "encoding",
    "duplicate_of", "source_group", "n_blocks_kept", "n_blocks_removed",
]  # fmt: skip
BLOCK_COLUMNS = ["doc_id", "block_idx", "kind", "text", "kept", "removal_reason", "line_start", "line_end"]
MENTION_COLUMNS = ["doc_id", "block_idx", "char_start", "char_end", "muscle_name", "match_type", "flags", "note"]
CLAIM_COLUMNS = [
    "doc_id", "block_idx", "claim_id", "muscle_id", "relation", "object_label", "modality",
    "char_start", "char_end", "rule_id", "confidence",
]  # fmt: skip


class AuditError(ValueError):
    """A document that cannot be shown (unknown path or id)."""


@dataclass
class AuditBlock:
    block_idx: int
    kind: str
    text: str
    kept: bool
    reason: str | None
    line_start: int | None
    line_end: int | None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RawLine:
    """A non-blank raw line that no block covers."""

    number: int
    text: str


@dataclass
class AuditDocument:
    doc: dict[str, Any]
    copies: list[str]  # other files with the same content (exact re-saves)
    items: list[AuditBlock | RawLine]
    note: str | None = None

    @property
    def blocks(self) -> list[AuditBlock]:
        return [i for i in self.items if isinstance(i, AuditBlock)]

    def counts(self) -> str:
        blocks = self.blocks
        removed = Counter(b.reason for b in blocks if not b.kept)
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(removed.items(), key=lambda kv: (-kv[1], kv[0] or "")))
        mentions = sum(len(b.mentions) for b in blocks)
        claims = sum(len(b.claims) for b in blocks)
        kept = sum(b.kept for b in blocks)
        return (
            f"{kept} blocks kept, {len(blocks) - kept} removed" + (f" ({reasons})" if reasons else "")
            + f"; {mentions} muscle mentions; {claims} claims"
        )  # fmt: skip


def resolve_document(built: BuiltFolder, raw_dir: Path, ref: str) -> str:
    """The doc_id of a document named by its path (as in the raw folder, or on disk) or its id."""
    docs = built.rows("documents", ["doc_id", "source_path"])
    by_path = {d["source_path"]: d["doc_id"] for d in docs}
    if ref in by_path:
        return by_path[ref]
    candidate = Path(ref)
    if candidate.exists():
        try:
            relative = candidate.resolve().relative_to(raw_dir.resolve()).as_posix()
        except ValueError:
            relative = None
        if relative in by_path:
            return by_path[relative]
    ids = sorted({d["doc_id"] for d in docs})
    matches = [i for i in ids if i == ref] or ([i for i in ids if i.startswith(ref)] if len(ref) >= MIN_PREFIX else [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AuditError(f"'{ref}' matches {len(matches)} documents; give more of the id")
    raise AuditError(
        f"no document '{ref}' in {built.out_dir / 'documents.parquet'}: give a path under {raw_dir} "
        "(as listed in documents.source_path) or a doc_id"
    )


def load_documents(built: BuiltFolder, raw_dir: Path, doc_ids: list[str]) -> list[AuditDocument]:
    """Audit views of these documents, in the given order; one read of each table for all of them."""
    return list(iter_documents(built, raw_dir, doc_ids, batch=max(1, len(doc_ids))))


# Documents turned into Python rows together. Each table is read once, as Arrow, for all the
# documents; only one batch's rows are held as Python objects at a time, so a build that cites
# thousands of documents writes their pages in bounded memory.
AUDIT_BATCH = 100
AUDIT_TABLES = {
    "documents": DOCUMENT_COLUMNS,
    "blocks": BLOCK_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "claims": CLAIM_COLUMNS,
}


def iter_documents(
    built: BuiltFolder, raw_dir: Path, doc_ids: list[str], batch: int = AUDIT_BATCH
) -> Iterator[AuditDocument]:
    """Audit views of these documents, in the given order, `batch` documents at a time."""
    if not doc_ids:
        return
    names = {r["muscle_id"]: r["name"] for r in built.rows("muscles", ["muscle_id", "name"])}
    wanted = sorted(set(doc_ids))
    tables = {name: built.table(name, columns, where=("doc_id", wanted)) for name, columns in AUDIT_TABLES.items()}
    for first in range(0, len(doc_ids), batch):
        ids = doc_ids[first : first + batch]
        rows = {name: rows_where(table, "doc_id", ids).to_pylist() for name, table in tables.items()}
        yield from _batch_documents(rows, ids, names, raw_dir)


def _batch_documents(
    rows: dict[str, list[dict[str, Any]]], doc_ids: list[str], names: dict[str, str], raw_dir: Path
) -> Iterator[AuditDocument]:
    blocks, mentions, claims = (_grouped(rows[name]) for name in ("blocks", "mentions", "claims"))
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows["documents"], key=lambda r: (r["status"] not in ("ok", "error"), r["source_path"])):
        by_id[row["doc_id"]].append(row)
    for doc_id in doc_ids:
        if doc_id not in by_id:
            continue
        owner, *copies = by_id[doc_id]
        for claim in claims.get(doc_id, []):
            claim["muscle_name"] = names.get(claim["muscle_id"], claim["muscle_id"])
        items = _blocks(blocks.get(doc_id, []), mentions.get(doc_id, []), claims.get(doc_id, []))
        document = AuditDocument(doc=owner, copies=[c["source_path"] for c in copies], items=items)
        _add_raw_lines(document, raw_dir)
        yield document


def _grouped(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["doc_id"]].append(row)
    return grouped


def _blocks(blocks: list[dict[str, Any]], mentions: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[Any]:
    by_block: dict[int, AuditBlock] = {}
    for b in sorted(blocks, key=lambda b: b["block_idx"]):
        by_block[b["block_idx"]] = AuditBlock(
            b["block_idx"], b["kind"], b["text"], b["kept"], b["removal_reason"], b["line_start"], b["line_end"]
        )
    for m in sorted(mentions, key=lambda m: (m["block_idx"], m["char_start"])):
        if m["block_idx"] in by_block:
            by_block[m["block_idx"]].mentions.append(m)
    for c in sorted(claims, key=lambda c: (c["block_idx"], c["char_start"], c["claim_id"])):
        if c["block_idx"] in by_block:
            by_block[c["block_idx"]].claims.append(c)
    return list(by_block.values())


def _add_raw_lines(document: AuditDocument, raw_dir: Path) -> None:
    """Compare with the raw file; for text inputs, add the non-blank lines no block covers."""
    doc = document.doc
    path = raw_dir / doc["source_path"]
    if not path.is_file():
        document.note = f"the raw file {path} is not there any more; this is the build's copy of its text"
        return
    raw = read_source(Source(str(path), doc["source_path"], detect_format(path.name)))
    if raw.doc_id != doc["doc_id"]:
        document.note = f"{path} has changed since this build: line numbers may not match; rebuild to update"
        return
    if raw.format != "text" or not raw.text:
        return
    covered = set()
    for block in document.blocks:
        if block.line_start:
            covered.update(range(block.line_start, (block.line_end or block.line_start) + 1))
    extra = [
        RawLine(n, line.strip())
        for n, line in enumerate(raw.text.splitlines(), start=1)
        if line.strip() and n not in covered
    ]
    if extra:
        document.items = sorted([*document.items, *extra], key=_line_order)


def _line_order(item: AuditBlock | RawLine) -> tuple[int, int]:
    if isinstance(item, RawLine):
        return (item.number, 1)
    return (item.line_start or 0, 0)


# --------------------------------------------------------------------------- marked-up text


def runs(block: AuditBlock) -> list[tuple[str, dict[str, Any] | None, bool]]:
    """The block text cut where a mention or a claimed sentence starts or ends:
    (text, the mention there or None, inside a claimed sentence)."""
    text = block.text
    spans = [(m["char_start"], m["char_end"]) for m in block.mentions]
    spans += [(c["char_start"], c["char_end"]) for c in block.claims]
    cuts = sorted({0, len(text), *(min(max(0, i), len(text)) for span in spans for i in span)})
    pieces: list[tuple[str, dict[str, Any] | None, bool]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start == end:
            continue
        mention = next((m for m in block.mentions if m["char_start"] <= start < m["char_end"]), None)
        claimed = any(c["char_start"] <= start < c["char_end"] for c in block.claims)
        if pieces and pieces[-1][1] is mention and pieces[-1][2] == claimed:
            pieces[-1] = (pieces[-1][0] + text[start:end], mention, claimed)
        else:
            pieces.append((text[start:end], mention, claimed))
    return pieces


def claim_text(claim: dict[str, Any]) -> str:
    hedged = ", hedged" if claim["modality"] == "hedged" else ""
    return f"{claim['muscle_name']} \u2192 {claim['relation']} \u2192 {claim['object_label']}{hedged}"


def gutter(item: AuditBlock | RawLine) -> str:
    if isinstance(item, RawLine):
        return str(item.number)
    if item.line_start:
        return f"{item.line_start}" + (
            f"-{item.line_end}" if item.line_end and item.line_end != item.line_start else ""
        )
    return f"\u00b6{item.block_idx}"


# --------------------------------------------------------------------------- terminal

# ANSI styles: removed text dim, mentions bold yellow (flagged ones red), claimed sentences
# underlined, claims cyan.
DIM, MENTION, FLAGGED, CLAIMED, CLAIM, RESET = "2", "1;33", "1;31", "4", "36", "\x1b[0m"
_SPACES = re.compile(r"(\s+)")


def render_terminal(document: AuditDocument, width: int = 100, color: bool = False) -> str:
    doc = document.doc
    lines = [doc.get("title") or doc["source_path"], _header(document), document.counts()]
    if document.note:
        lines.append(f"note: {document.note}")
    lines.append("")
    pad = max((len(gutter(i)) for i in document.items), default=1)
    text_width = max(20, width - pad - 3)
    for item in document.items:
        raw = isinstance(item, RawLine)
        pieces = [(f"[not in any block] {item.text}", DIM)] if raw else _pieces(item, color)
        for i, line in enumerate(_wrapped(pieces, text_width)):
            number = gutter(item).rjust(pad) if i == 0 else " " * pad
            lines.append(f"{number} \u2502 " + _render(line, color))
        for claim in item.claims if isinstance(item, AuditBlock) else []:
            note = f"  \u21b3 {claim_text(claim)}  ({claim['rule_id']}, {claim['confidence']:.2f})"
            lines.append(f"{' ' * pad} \u2502 " + _style(note, CLAIM, color))
    return "\n".join(lines) + "\n"


def _header(document: AuditDocument) -> str:
    doc = document.doc
    parts = [doc["source_path"], f"doc {doc['doc_id']}", doc["format"] or "unsupported", doc["status"]]
    parts += [f"language {doc['language']}"] if doc.get("language") else []
    header = " \u00b7 ".join(parts)
    if document.copies:
        header += f"\nsame content saved as: {', '.join(document.copies)}"
    if doc.get("url"):
        header += f"\n{doc['url']}"
    if doc.get("error"):
        header += f"\nerror: {doc['error']}"
    return header


def _render(line: list[tuple[str, str]], color: bool) -> str:
    """One styled run per stretch of the same style, not one per word."""
    merged: list[list[str]] = []
    for text, code in line:
        if merged and merged[-1][1] == code:
            merged[-1][0] += text
        else:
            merged.append([text, code])
    return "".join(_style(text, code, color) for text, code in merged)


def _style(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}{RESET}" if color and code else text


def _pieces(block: AuditBlock, color: bool) -> list[tuple[str, str]]:
    """(text, ANSI style) pieces of a block; without colour, brackets mark the mentions."""
    pieces = [] if block.kept else [(f"[removed: {block.reason}] ", DIM)]
    for text, mention, claimed in runs(block):
        codes = [] if block.kept else [DIM]
        if mention is not None:
            codes.append(FLAGGED if mention.get("flags") else MENTION)
        if claimed:
            codes.append(CLAIMED)
        pieces.append((text if color or mention is None else f"[{text}]", ";".join(codes)))
    return pieces


def _wrapped(pieces: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """Lines of at most `width` characters (a longer word overflows), broken at spaces."""
    tokens = [(token, code) for text, code in pieces for token in _SPACES.split(text) if token]
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for token, code in tokens:
        if token.isspace():
            if used and used + 1 <= width:
                lines[-1].append((" ", code))
                used += 1
            continue
        if used and used + len(token) > width:
            while lines[-1] and lines[-1][-1][0] == " ":
                lines[-1].pop()
            lines.append([])
            used = 0
        lines[-1].append((token, code))
        used += len(token)
    return lines
