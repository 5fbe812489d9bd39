"""Fill the lexicon's UBERON and FMA IDs from the UBERON OBO file.

    python tools/lexicon_ids.py ../shared/reference/uberon-musculoskeletal.obo [--check]

An entry is looked up by its `uberon_label` if it has one, else by its name and then its
synonyms, against each UBERON term's name and EXACT synonyms. An entry the ontology lacks keeps
the IDs it has (an FMA ID entered by hand, say). The OBO file itself is not part of
the project; the IDs it gives are written into `pipeline/data/muscles.jsonl`. With --check the
file is left alone and the command fails if any stored ID differs from the ontology's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from obo import OboTerm, read_obo  # noqa: E402

LEXICON = Path(__file__).resolve().parents[1] / "pipeline" / "data" / "muscles.jsonl"
KEY_ORDER = ("id", "name", "kind", "region", "uberon_id", "fma_id")


def index_terms(terms: list[OboTerm]) -> dict[str, OboTerm]:
    index: dict[str, OboTerm] = {}
    for term in terms:
        index.setdefault(term.name.lower(), term)
    for term in terms:
        for text, scope in term.synonyms:
            if scope == "EXACT":
                index.setdefault(text.lower(), term)
    return index


def lookup(entry: dict, index: dict[str, OboTerm]) -> OboTerm | None:
    labels = [entry["uberon_label"]] if "uberon_label" in entry else [entry["name"], *entry.get("synonyms", [])]
    for label in labels:
        if label.lower() in index:
            return index[label.lower()]
    return None


def with_ids(entry: dict, term: OboTerm | None) -> dict:
    """The entry with the term's IDs; without a term, the IDs it has (from FMA, say) stay."""
    if term is None:
        ids = {k: entry[k] for k in ("uberon_id", "fma_id") if k in entry}
    else:
        ids = {"uberon_id": term.id, "fma_id": term.fma_id}
    merged = {k: v for k, v in entry.items() if k not in ("uberon_id", "fma_id")}
    merged.update({k: v for k, v in ids.items() if v})
    ordered = {k: merged[k] for k in KEY_ORDER if k in merged}
    ordered.update({k: v for k, v in merged.items() if k not in ordered})
    return ordered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("obo", type=Path)
    parser.add_argument("--check", action="store_true", help="report differences, change nothing")
    args = parser.parse_args()
    index = index_terms(read_obo(args.obo))
    entries = [json.loads(line) for line in LEXICON.read_text(encoding="utf-8").splitlines() if line.strip()]
    updated = [with_ids(e, lookup(e, index)) for e in entries]
    changed = [e["id"] for e, u in zip(entries, updated, strict=True) if e != u]
    missing = [u["id"] for u in updated if "uberon_id" not in u]
    if not args.check:  # written before the report, so that a closed stdout cannot lose it
        LEXICON.write_text("".join(json.dumps(u, ensure_ascii=False) + "\n" for u in updated), encoding="utf-8")
    print(f"{len(updated)} entries, {len(updated) - len(missing)} with UBERON IDs, {len(changed)} changed")
    print("without an UBERON term:", ", ".join(missing))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
