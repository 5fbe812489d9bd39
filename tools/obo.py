"""A small reader for OBO 1.4 term stanzas: ids, names, synonyms, cross-references and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# synonym: "text" SCOPE [TYPE] [xrefs]; the text may hold escaped quotes.
SYNONYM = re.compile(r'^synonym: "(?P<text>(?:[^"\\]|\\.)+)" (?P<scope>[A-Z]+)(?: (?P<type>[A-Za-z_]+))? \[')
# is_a: UBERON:0001630 {source="FMA"} ! muscle organ
LINK_TARGET = re.compile(r"^(?P<target>[A-Za-z]+:[\w-]+)")


@dataclass(frozen=True)
class Synonym:
    text: str
    scope: str  # EXACT, RELATED, BROAD or NARROW
    type: str | None = None  # the synonymtypedef, such as PLURAL or INCONSISTENT


@dataclass
class OboTerm:
    id: str
    name: str = ""
    synonym_list: list[Synonym] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # is_a targets
    part_of: list[str] = field(default_factory=list)  # relationship: part_of targets
    obsolete: bool = False

    @property
    def synonyms(self) -> list[tuple[str, str]]:
        """(text, scope) pairs, the form tools/lexicon_ids.py indexes."""
        return [(s.text, s.scope) for s in self.synonym_list]

    @property
    def fma_id(self) -> str | None:
        fma = sorted(x for x in self.xrefs if re.fullmatch(r"FMA:\d+", x))
        return fma[0] if fma else None


def read_obo(path: Path) -> list[OboTerm]:
    """The non-obsolete UBERON terms of an OBO file, in file order."""
    terms: list[OboTerm] = []
    current: OboTerm | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            current = None
            if line == "[Term]":
                current = OboTerm(id="")
                terms.append(current)
            continue
        if current is None or ": " not in line:
            continue
        _read_tag(current, line)
    return [t for t in terms if t.id.startswith("UBERON:") and not t.obsolete]


def _read_tag(term: OboTerm, line: str) -> None:
    tag, value = line.split(": ", 1)
    if tag == "id":
        term.id = value
    elif tag == "name":
        term.name = value
    elif tag == "synonym" and (m := SYNONYM.match(line)):
        term.synonym_list.append(Synonym(m["text"].replace('\\"', '"'), m["scope"], m["type"]))
    elif tag == "xref":
        term.xrefs.append(value.split(" ", 1)[0])
    elif tag == "is_a" and (m := LINK_TARGET.match(value)):
        term.parents.append(m["target"])
    elif tag == "relationship" and value.startswith("part_of ") and (m := LINK_TARGET.match(value[8:])):
        term.part_of.append(m["target"])
    elif tag == "is_obsolete" and value == "true":
        term.obsolete = True
