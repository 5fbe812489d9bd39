"""Generate the UBERON part of the muscle lexicon: one entry per skeletal muscle in the ontology.

    python tools/uberon_lexicon.py path/to/uberon-musculoskeletal.obo [--check]

Writes `pipeline/data/muscles_uberon.jsonl`: a header line saying how it was made, then one
entry per line, sorted by id. The hand-curated `pipeline/data/muscles.jsonl` is never read or
written here: the loader merges the two and hand-curated entries win. With --check nothing is
written and the command fails if the file differs from what the ontology gives. The OBO file is
not part of the project; UBERON is CC BY 3.0 (http://obophenotype.github.io/uberon/).

Which terms become entries:
- every term below "muscle organ" (UBERON:0001630) in the is_a hierarchy,
- that is human anatomy: it has an FMA cross-reference, or a term below it does (a grouping such
  as "psoas" or "muscle of leg"); terms only other animals have (tail, mantle) have neither,
- that is skeletal: not below smooth muscle tissue, not the muscle coat of the gut or urethra,
  and of the sphincters only those that are perineal muscles (the external anal sphincter),
- that is named for its place, not only for its shape or action ("flexor muscle", "pennate
  muscle"): fitness writing uses those words for the hand-curated action groups (hip flexors).
A term with selected terms below it (by is_a or part_of) is a `group` whose members they are.

Which names each entry gets: the ontology name and its EXACT synonyms, plus RELATED synonyms
that only reword one of those (word order, "muscle" or "musculus", one letter of a long word:
"anterior tibialis", "peronaeus longus"). Synonyms typed inconsistent, dubious, homologous or
taxon-specific are left out, as are forms that are not plain words (URL escapes, brackets,
digits) and the ontology's composed "... muscle organ" labels. Whether a form is too ordinary
to match (an everyday word, a short form, a clash with a hand-curated name) is decided by the
loader, `pipeline/extract/lexicon.py`, every time it loads the lexicon.

The region comes from the nearest ancestor (is_a or part_of) that names a body region, else from
the Latin name ("... capitis" is in the neck, "... hallucis" in the foot), else "unspecified".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from obo import OboTerm, read_obo  # noqa: E402

from pipeline.extract.lexicon_merge import EVERYDAY_KEY, everyday_words  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "muscles_uberon.jsonl"

MUSCLE_ORGAN = "UBERON:0001630"
NOT_SKELETAL = {
    "UBERON:0001135",  # smooth muscle tissue
    "UBERON:0007521",  # smooth muscle sphincter
    "UBERON:0003832",  # esophagus muscle
    "UBERON:0003829",  # urethra muscle
}
SPHINCTER = "UBERON:0004590"
PERINEAL_MUSCLE = "UBERON:0002379"
BY_SHAPE_OR_ACTION = {
    "UBERON:0000366",  # flexor muscle
    "UBERON:0000311",  # extensor muscle
    "UBERON:0000952",  # adductor muscle (adductor longus and adductor pollicis)
    "UBERON:0000951",  # rotator muscle
    "UBERON:0008245",  # pennate muscle
    "UBERON:0004590",  # sphincter muscle
    "UBERON:0004253",  # skin muscle
}
LEFT_OUT_SYNONYM_TYPES = {"INCONSISTENT", "DUBIOUS", "HOMOLOGY", "SENSU", "ATTRIBUTION_REQUIRED"}
PLAIN_FORM = re.compile(r"^[A-Za-z]+(?:['’]s)?(?:[ -][A-Za-z]+(?:['’]s)?)*$")
LATIN_PREFIX = re.compile(r"^(?:musculus|m\.) ?", re.I)
MUSCLE_WORDS = frozenset({"muscle", "muscles", "musculus"})
# A RELATED synonym's word may differ from the name's by one letter only in words this long
# ("peronaeus" for "peroneus"); shorter words must match exactly.
MIN_RESPELT_LENGTH = 6

# Nearest ancestor -> region, using the region words of the hand-curated lexicon.
REGION_BY_ANCESTOR = {
    "UBERON:0001498": "foot",  # muscle of foot
    "UBERON:0002387": "foot",  # pes
    "UBERON:0004256": "lower leg",  # hindlimb zeugopod muscle
    "UBERON:0004252": "thigh",  # hindlimb stylopod muscle
    "UBERON:0000376": "thigh",  # hindlimb stylopod
    "UBERON:0001377": "thigh",  # quadriceps femoris
    "UBERON:0002000": "hip",  # gluteal muscle
    "UBERON:0003658": "hip",  # hip muscle
    "UBERON:0001497": "hip",  # muscle of pelvic girdle
    "UBERON:0001383": "leg",  # muscle of leg
    "UBERON:0003663": "leg",  # hindlimb muscle
    "UBERON:0002103": "leg",  # hindlimb
    "UBERON:0001500": "hand",  # muscle of hand
    "UBERON:0004254": "arm",  # forelimb zeugopod muscle
    "UBERON:0004255": "arm",  # forelimb stylopod muscle
    "UBERON:0001499": "arm",  # muscle of arm
    "UBERON:0003662": "arm",  # forelimb muscle
    "UBERON:0002102": "arm",  # forelimb
    "UBERON:0001482": "shoulder",  # muscle of shoulder
    "UBERON:0008196": "shoulder",  # muscle of pectoral girdle
    "UBERON:0001495": "chest",  # pectoral muscle
    "UBERON:0002426": "chest",  # chest muscle
    "UBERON:0003830": "chest",  # thoracic segment muscle
    "UBERON:0002324": "back",  # muscle of back
    "UBERON:0004518": "back",  # muscle of vertebral column
    "UBERON:0002378": "trunk",  # muscle of abdomen
    "UBERON:0001325": "trunk",  # muscle of pelvis
    "UBERON:0003833": "trunk",  # abdominal segment muscle
    "UBERON:0001774": "trunk",  # muscle of trunk
    "UBERON:0002377": "neck",  # muscle of neck
    "UBERON:0002376": "head",  # muscle of head
    "UBERON:0000933": "neck",  # pharyngeal muscle
}
REGION_BY_LATIN_WORD = {
    "femoris": "thigh",
    "capitis": "neck",
    "cervicis": "neck",
    "colli": "neck",
    "thoracis": "back",
    "lumborum": "back",
    "dorsi": "back",
    "hallucis": "foot",
    "plantae": "foot",
    "pollicis": "hand",
    "indicis": "hand",
    "carpi": "arm",
    "brachii": "arm",
}


def children_of(terms: dict[str, OboTerm]) -> dict[str, set[str]]:
    """Term id -> the ids whose is_a or part_of points at it."""
    children: dict[str, set[str]] = {}
    for term in terms.values():
        for parent in (*term.parents, *term.part_of):
            children.setdefault(parent, set()).add(term.id)
    return children


def closure(start: str, step: dict[str, set[str]]) -> set[str]:
    """Every id reachable from `start` by repeated `step`s (start itself excluded)."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        for nxt in step.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def select_muscles(terms: dict[str, OboTerm]) -> list[str]:
    """The ids of the terms that become lexicon entries (see the module docstring)."""
    is_a_children: dict[str, set[str]] = {}
    for term in terms.values():
        for parent in term.parents:
            is_a_children.setdefault(parent, set()).add(term.id)
    is_a_up = {t.id: set(t.parents) for t in terms.values()}
    below_all = children_of(terms)
    selected = []
    for term_id in sorted(closure(MUSCLE_ORGAN, is_a_children)):
        above = closure(term_id, is_a_up)
        human = terms[term_id].fma_id or any(terms[c].fma_id for c in closure(term_id, below_all) if c in terms)
        sphincter_ok = SPHINCTER not in above or PERINEAL_MUSCLE in above
        skeletal = not ({term_id} | above) & NOT_SKELETAL
        if human and sphincter_ok and skeletal and term_id not in BY_SHAPE_OR_ACTION:
            selected.append(term_id)
    return selected


def region(term_id: str, terms: dict[str, OboTerm]) -> str:
    """The term's or its nearest ancestor's region (breadth first over is_a and part_of), else the Latin name's."""
    frontier, seen = [term_id], {term_id}
    while frontier:
        found = sorted({REGION_BY_ANCESTOR[t] for t in frontier if t in REGION_BY_ANCESTOR})
        if found:
            return found[0]
        parents = [p for t in frontier if t in terms for p in (*terms[t].parents, *terms[t].part_of)]
        frontier = [p for p in dict.fromkeys(parents) if p not in seen]
        seen.update(frontier)
    words = terms[term_id].name.split()
    return next((REGION_BY_LATIN_WORD[w] for w in words if w in REGION_BY_LATIN_WORD), "unspecified")


def _core_words(form: str) -> list[str]:
    return [w for w in form.lower().replace("-", " ").split() if w not in MUSCLE_WORDS]


def _rewords(related: str, names: list[str]) -> bool:
    """Whether a RELATED synonym only rewords one of the accepted names."""
    words = sorted(_core_words(related))
    for name in names:
        other = sorted(_core_words(name))
        if len(other) == len(words) and all(_close(a, b) for a, b in zip(words, other, strict=True)):
            return True
    return False


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_RESPELT_LENGTH or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _plain(form: str) -> str | None:
    """The form without a 'musculus'/'m.' prefix, or None if it is not plain words."""
    form = LATIN_PREFIX.sub("", form.strip())
    if not PLAIN_FORM.match(form) or " organ" in form or form.lower().startswith("organ"):
        return None
    return form


def names_of(term: OboTerm) -> list[str]:
    """The name and the synonyms kept for a term, in a fixed order, without duplicates."""
    usable = [s for s in term.synonym_list if s.type not in LEFT_OUT_SYNONYM_TYPES]
    exact = [_plain(s.text) for s in usable if s.scope == "EXACT"]
    names = [n for n in [_plain(term.name) or term.name, *exact] if n]
    related = [_plain(s.text) for s in usable if s.scope == "RELATED"]
    names += [r for r in related if r and _rewords(r, names)]
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.lower(), name)
    return list(seen.values())


def slug(name: str) -> str:
    """'teres major muscle' -> 'teres_major'; 'chest muscle' keeps its 'muscle' (one word is too little)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    if len(words) > 2 and words[-1] == "muscle":
        words = words[:-1]
    return "_".join(words)


def build_entries(terms: dict[str, OboTerm]) -> list[dict]:
    selected = select_muscles(terms)
    chosen = set(selected)
    below = children_of(terms)
    ids: dict[str, str] = {}
    for term_id in selected:
        base = slug(terms[term_id].name)
        ids[term_id] = base if base not in ids.values() else f"{base}_{term_id.split(':')[1]}"
    entries = []
    for term_id in selected:
        term = terms[term_id]
        members = sorted(ids[c] for c in below.get(term_id, ()) if c in chosen)
        kind = "group" if members else "muscle"
        names = names_of(term)
        entry = {"id": ids[term_id], "name": names[0], "kind": kind, "region": region(term_id, terms)}
        entry["uberon_id"] = term_id
        if term.fma_id:
            entry["fma_id"] = term.fma_id
        entry["synonyms"] = names[1:]
        if kind == "group":
            entry["members"] = members
        entries.append(entry)
    return sorted(entries, key=lambda e: e["id"])


def render(entries: list[dict], obo: Path) -> str:
    header = {
        "generated_by": "tools/uberon_lexicon.py",
        "source": f"UBERON musculoskeletal module ({obo.name}), CC BY 3.0",
        "regenerate": "python tools/uberon_lexicon.py path/to/uberon-musculoskeletal.obo",
        "caution": "generated: do not edit; hand curation goes in muscles.jsonl, whose entries win",
        "entries": len(entries),
        # Judged with wordfreq here, so that loading the lexicon needs no frequency list.
        EVERYDAY_KEY: everyday_words(name for e in entries for name in (e["name"], *e.get("synonyms", []))),
    }
    lines = [header, *entries]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("obo", type=Path)
    parser.add_argument("--check", action="store_true", help="report whether the file is current, change nothing")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    terms = {t.id: t for t in read_obo(args.obo)}
    entries = build_entries(terms)
    text = render(entries, args.obo)
    kinds = {k: sum(e["kind"] == k for e in entries) for k in ("muscle", "group", "structure")}
    print(f"{len(entries)} entries from {len(terms)} terms: {kinds}")
    current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if args.check:
        print("up to date" if current == text else f"{args.out.name} differs from the ontology")
        return 0 if current == text else 1
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
