"""A small reader for OBO 1.4 term stanzas: ids, names, synonyms and cross-references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SYNONYM = re.compile(r'^synonym: "(?P<text>[^"]+)" (?P<scope>[A-Z]+)')


@dataclass
class OboTerm:
    id: str
    name: str = ""
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def fma_id(self) -> str | None:
        fma = sorted(x for x in self.xrefs if re.fullmatch(r"FMA:\d+", x))
        return fma[0] if fma else None


def read_obo(path: Path) -> list[OboTerm]:
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
        tag, value = line.split(": ", 1)
        if tag == "id":
            current.id = value
        elif tag == "name":
            current.name = value
        elif tag == "synonym" and (m := SYNONYM.match(line)):
            current.synonyms.append((m["text"], m["scope"]))
        elif tag == "xref":
            current.xrefs.append(value.split(" ", 1)[0])
        elif tag == "is_obsolete" and value == "true":
            current.obsolete = True
    return [t for t in terms if t.id.startswith("UBERON:") and not t.obsolete]
