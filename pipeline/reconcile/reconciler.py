"""Stage 4, reconcile: claims merge into facts, conflicts are flagged, reviewer decisions applied.

Claims in, facts and conflicts out. A fact is one distinct (muscle, relation, object) with the
claims behind it; copies of one article (a source group, see `pipeline/reconcile/dedupe.py`) count once.
Conflicts come in four kinds:

- naming: a muscle written in a non-standard way (misspelling, transposed abbreviation,
  spelling variant, reordered or superseded name);
- category: a structure such as the iliotibial band called a muscle;
- reference: a fact that standard references contradict, or hold only for part of a group;
- disagreement: sources giving incompatible values for a single-valued slot (how many members
  a group has; whether a muscle is a primary or a supporting one).

Every conflict id is a hash of its kind and the values involved, so a decision keyed by it
still applies after a rebuild reorders or extends everything else.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.common.sentences import sentence_span, sentence_starts
from pipeline.extract.claims import RELATION_MEMBER, RELATION_MEMBER_COUNT, RELATION_PROMINENCE
from pipeline.extract.lexicon import ABBREVIATION_FORMAT, MUSCLE_HEADS, Lexicon
from pipeline.reconcile.reference import CONTRADICTS, PARTIAL, Judgement, ReferenceKnowledge
from pipeline.records import FLAG_CATEGORY_ERROR, FLAG_NONSTANDARD_ABBREVIATION, Block, Claim, Document, Mention
from pipeline.review.decisions import ACCEPT, REJECT, RESOLVING, Decision, latest

NAMING, CATEGORY, REFERENCE, DISAGREEMENT = "naming", "category", "reference", "disagreement"
CONFLICT_KINDS = {
    NAMING: "the same muscle written differently across sources",
    CATEGORY: "a structure or bone called a muscle",
    REFERENCE: "a fact that standard anatomy or exercise references contradict",
    DISAGREEMENT: "sources giving incompatible values for the same slot",
}
FACT_STATUSES = ("accepted", "flagged", "rejected")
CONFLICT_STATUSES = ("open", "resolved")
SUGGESTED_ACTIONS = ("keep", "reject")
# Relations where a claim about a member supports the same claim about its group: an exercise
# that trains the soleus trains the calves. Support rolls up only to group facts some source
# states directly, so no fact is invented from members alone.
ROLL_UP_RELATIONS = ("exercise", "stretch")
# Relations checked against the reference tables; the others have no reference yet.
REFERENCE_RELATIONS = ("action", "exercise", "stretch")
# Why a non-standard form is flagged, in the order they are tested.
NAMING_REASONS = ("nonstandard abbreviation", "misspelling", "spelling variant", "older name", "word order")
# Evidence shown per side of a conflict: enough to judge, few enough to read.
MAX_EVIDENCE_PER_SIDE = 5
# Cluster methods, as in OpenRefine: key collision on a fingerprint or character n-grams, then
# edit distance; "lexicon" when only the lexicon links the forms (a definition, an older name).
MAX_EDIT_DISTANCE = 2
CLUSTER_METHODS = ("fingerprint", "ngram-fingerprint", "levenshtein", "lexicon")


@dataclass(frozen=True)
class Evidence:
    side: str
    doc_id: str | None
    source_path: str | None  # the raw file, or the reference's citation
    quote: str
    claim_id: str | None = None
    line_start: int | None = None
    line_end: int | None = None


@dataclass
class Conflict:
    conflict_id: str
    kind: str
    summary: str
    muscle_ids: list[str]
    values: dict[str, Any]
    evidence: list[Evidence]
    suggested_resolution: str
    suggested_action: str  # "keep" or "reject" the facts in `suggested_fact_ids`
    fact_ids: list[str] = field(default_factory=list)
    suggested_fact_ids: list[str] = field(default_factory=list)
    relation: str | None = None
    object_ids: list[str] = field(default_factory=list)
    surface: str | None = None
    cluster_method: str | None = None
    forms: list[dict[str, Any]] = field(default_factory=list)
    decision: Decision | None = None

    @property
    def status(self) -> str:
        return "resolved" if self.decision and self.decision.action in RESOLVING else "open"


@dataclass
class Fact:
    fact_id: str
    muscle_id: str
    relation: str
    object_id: str
    object_label: str
    claims: list[Claim]
    groups: dict[str, str]  # doc_id -> source group
    judgement: Judgement
    member_claims: list[Claim] = field(default_factory=list)  # the same claim about a member (roll-up)
    status: str = "accepted"
    conflict_ids: list[str] = field(default_factory=list)
    all_claims_rejected: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.muscle_id, self.relation, self.object_id)

    @property
    def evidence(self) -> list[Claim]:
        return self.claims + self.member_claims

    @property
    def source_groups(self) -> list[str]:
        return sorted({self.groups[c.doc_id] for c in self.evidence})

    @property
    def support(self) -> float:
        """Sum over independent source groups of the group's best claim confidence.

        Confidence already carries the attribution rule and the modality (hedged claims keep
        a share of it), so a hedged claim from one site adds less than an asserted one.
        """
        best: dict[str, float] = {}
        for claim in self.evidence:
            group = self.groups[claim.doc_id]
            best[group] = max(best.get(group, 0.0), claim.confidence)
        return round(sum(best.values()), 3)


@dataclass
class Reconciled:
    facts: list[Fact]
    conflicts: list[Conflict]
    stale: list[Decision]  # decisions whose conflict no longer exists (kept in the file)
    rejected_claims: set[str]


def stable_id(*values: str) -> str:
    return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]


def fact_id(muscle_id: str, relation: str, object_id: str) -> str:
    return stable_id(muscle_id, relation, object_id)


# --------------------------------------------------------------------------- OpenRefine keys


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def fingerprint(text: str) -> str:
    """OpenRefine's fingerprint key: case, punctuation, accents and word order ignored."""
    words = re.findall(r"[a-z0-9]+", _ascii(text).lower())
    return " ".join(sorted(set(words)))


def ngram_fingerprint(text: str, n: int = 2) -> str:
    """OpenRefine's n-gram fingerprint: the sorted set of character n-grams, spaces removed."""
    letters = re.sub(r"[^a-z0-9]", "", _ascii(text).lower())
    return "".join(sorted({letters[i : i + n] for i in range(max(len(letters) - n + 1, 1))}))


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cluster_method(form: str, standard: Iterable[str]) -> str:
    """How OpenRefine's clustering would join a form to one of the standard forms."""
    standard = list(standard)
    if any(fingerprint(form) == fingerprint(s) for s in standard):
        return "fingerprint"
    # 1-grams for abbreviations (TLF ~ TFL), 2-grams for words.
    n = 1 if len(form) <= 6 and ABBREVIATION_FORMAT.match(form) else 2
    if any(ngram_fingerprint(form, n) == ngram_fingerprint(s, n) for s in standard):
        return "ngram-fingerprint"
    if any(levenshtein(form.lower(), s.lower()) <= MAX_EDIT_DISTANCE for s in standard):
        return "levenshtein"
    return "lexicon"


# --------------------------------------------------------------------------- surface forms


def base_form(surface: str) -> str:
    """'iliotibial (ITB) muscle' -> 'iliotibial'; 'TLF Muscles' -> 'TLF': the name without its head."""
    text = re.sub(r"\s*\([^)]*\)", "", surface).strip()
    words = text.split()
    while len(words) > 1 and words[-1].lower() in (*MUSCLE_HEADS, "group"):
        words = words[:-1]
    return " ".join(w if ABBREVIATION_FORMAT.match(w) else w.lower() for w in words)


def _folded(form: str) -> str:
    """Key that ignores plurals as well: 'Peroneals' and 'peroneal muscle' name one form."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in fingerprint(form).split())


def naming_reason(mention: Mention, lexicon: Lexicon) -> str | None:
    """Why a mention's written form is not the standard name of its entry, or None."""
    entry = lexicon[mention.muscle_id]
    form = base_form(mention.surface)
    if FLAG_NONSTANDARD_ABBREVIATION in mention.flags:
        return "nonstandard abbreviation"
    if mention.match_type == "misspelling":
        return "misspelling"
    if mention.match_type == "variant":
        return "spelling variant"
    if _folded(form) in {_folded(name) for name in entry.older_names}:
        return "older name"
    if fingerprint(form) == fingerprint(entry.name) and form.lower() != entry.name.lower():
        return "word order"
    return None


def _form_key(mention: Mention) -> str:
    form = base_form(mention.surface)
    if FLAG_NONSTANDARD_ABBREVIATION in mention.flags:
        return form.split()[0]
    return _folded(form)


# --------------------------------------------------------------------------- the stage


class Reconciler:
    def __init__(
        self,
        documents: list[Document],
        blocks: list[Block],
        mentions: list[Mention],
        claims: list[Claim],
        groups: dict[str, str],
        lexicon: Lexicon,
        reference: ReferenceKnowledge,
    ) -> None:
        self.paths = {d.doc_id: d.source_path for d in documents if d.status in ("ok", "error")}
        self.blocks = {(b.doc_id, b.block_idx): b for b in blocks}
        self.mentions = sorted(mentions, key=lambda m: (self.paths.get(m.doc_id, ""), m.block_idx, m.char_start))
        self.claims = sorted(
            claims, key=lambda c: (self.paths.get(c.doc_id, ""), c.block_idx, c.char_start, c.claim_id)
        )
        self.groups = groups
        self.lexicon = lexicon
        self.reference = reference
        self._starts: dict[tuple[str, int], list[int]] = {}
        # Lookups by block and by muscle, so evidence gathering never scans every claim or mention.
        self._claims_by_block: dict[tuple[str, int], list[Claim]] = {}
        for claim in self.claims:
            self._claims_by_block.setdefault((claim.doc_id, claim.block_idx), []).append(claim)
        self._mentions_by_muscle: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            self._mentions_by_muscle.setdefault(mention.muscle_id, []).append(mention)

    def run(self, decisions: list[Decision]) -> Reconciled:
        applied = latest(decisions)
        all_facts = self._facts(self.claims)
        conflicts = self._conflicts(all_facts)
        for conflict in conflicts:
            conflict.decision = applied.get(conflict.conflict_id)
        rejected_claims = {c for conflict in conflicts for c in _rejected_claims(conflict)}
        for fact in all_facts:
            fact.member_claims = [c for c in fact.member_claims if c.claim_id not in rejected_claims]
            remaining = [c for c in fact.claims if c.claim_id not in rejected_claims]
            # A fact whose every claim is rejected stays listed, as rejected, with its evidence.
            fact.all_claims_rejected = not remaining
            fact.claims = remaining or fact.claims
        self._set_statuses(all_facts, conflicts)
        known = {c.conflict_id for c in conflicts}
        stale = [d for d in applied.values() if d.conflict_id not in known]
        return Reconciled(all_facts, conflicts, stale, rejected_claims)

    # ----------------------------------------------------------------------- facts

    def _facts(self, claims: list[Claim]) -> list[Fact]:
        by_key: dict[tuple[str, str, str], list[Claim]] = {}
        for claim in claims:
            by_key.setdefault((claim.muscle_id, claim.relation, claim.object_id), []).append(claim)
        facts = []
        by_object: dict[tuple[str, str], list[Claim]] = {}
        for claim in claims:
            if claim.relation in ROLL_UP_RELATIONS:
                by_object.setdefault((claim.relation, claim.object_id), []).append(claim)
        for (muscle_id, relation, object_id), fact_claims in sorted(by_key.items()):
            members = []
            if relation in ROLL_UP_RELATIONS and self.lexicon[muscle_id].members:
                leaves = self.lexicon.leaves(muscle_id)
                members = [
                    c
                    for c in by_object[(relation, object_id)]
                    if c.muscle_id != muscle_id and self.lexicon.leaves(c.muscle_id) <= leaves
                ]
            facts.append(
                Fact(
                    fact_id=fact_id(muscle_id, relation, object_id),
                    muscle_id=muscle_id,
                    relation=relation,
                    object_id=object_id,
                    object_label=fact_claims[0].object_label,
                    claims=fact_claims,
                    groups=self.groups,
                    judgement=self.reference.judge(muscle_id, relation, object_id, self.lexicon),
                    member_claims=members,
                )
            )
        return facts

    def _set_statuses(self, facts: list[Fact], conflicts: list[Conflict]) -> None:
        rejected: set[str] = set()
        under_open_conflict: set[str] = set()
        flagged: dict[str, list[str]] = {}
        for conflict in conflicts:
            for fid in conflict.fact_ids:
                flagged.setdefault(fid, []).append(conflict.conflict_id)
            if conflict.status == "open":
                under_open_conflict.update(conflict.fact_ids)
            rejected |= _rejected_facts(conflict)
        for fact in facts:
            fact.conflict_ids = sorted(flagged.get(fact.fact_id, []))
            is_rejected = fact.fact_id in rejected or fact.all_claims_rejected
            is_flagged = fact.fact_id in under_open_conflict
            fact.status = "rejected" if is_rejected else "flagged" if is_flagged else "accepted"

    # ----------------------------------------------------------------------- conflicts

    def _conflicts(self, facts: list[Fact]) -> list[Conflict]:
        conflicts = [
            *self._naming_conflicts(),
            *self._category_conflicts(),
            *self._reference_conflicts(facts),
            *self._count_disagreements(facts),
            *self._prominence_disagreements(facts),
        ]
        return sorted(conflicts, key=lambda c: (list(CONFLICT_KINDS).index(c.kind), c.summary, c.conflict_id))

    def _naming_conflicts(self) -> list[Conflict]:
        flagged: dict[tuple[str, str], list[tuple[Mention, str]]] = {}
        for mention in self.mentions:
            reason = naming_reason(mention, self.lexicon)
            if reason:
                flagged.setdefault((mention.muscle_id, _form_key(mention)), []).append((mention, reason))
        conflicts = []
        for (muscle_id, key), found in sorted(flagged.items()):
            entry = self.lexicon[muscle_id]
            written = base_form(found[0][0].surface)
            surface = key if FLAG_NONSTANDARD_ABBREVIATION in found[0][0].flags else written
            reasons = sorted({reason for _, reason in found}, key=NAMING_REASONS.index)
            entry_mentions = self._mentions_by_muscle[muscle_id]
            standard_mentions = [m for m in entry_mentions if naming_reason(m, self.lexicon) is None]
            standard = [entry.name, *entry.standard_abbreviations]
            abbreviation = f" ({', '.join(entry.standard_abbreviations)})" if entry.standard_abbreviations else ""
            docs = {m.doc_id for m, _ in found}
            others = [m for m in standard_mentions if m.doc_id not in docs] or standard_mentions
            evidence = [self._mention_evidence("as written", m) for m, _ in found[:MAX_EVIDENCE_PER_SIDE]]
            evidence += [self._mention_evidence("standard name", m) for m in _one_per_doc(others)]
            touched = self._facts_of_mentions([m for m, _ in found])
            conflicts.append(
                Conflict(
                    conflict_id=stable_id(NAMING, muscle_id, key),
                    kind=NAMING,
                    summary=f"'{surface}' ({', '.join(reasons)}) is written for {entry.name}{abbreviation}",
                    muscle_ids=[muscle_id],
                    values={"muscle_id": muscle_id, "surface": surface},
                    evidence=evidence,
                    suggested_resolution=f"merge '{surface}' into the canonical name '{entry.name}'{abbreviation}",
                    suggested_action="keep",
                    fact_ids=touched,
                    surface=surface,
                    cluster_method=cluster_method(surface, standard + list(entry.synonyms)),
                    forms=self._form_counts(entry_mentions),
                )
            )
        return conflicts

    def _category_conflicts(self) -> list[Conflict]:
        by_entry: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            if FLAG_CATEGORY_ERROR in mention.flags:
                by_entry.setdefault(mention.muscle_id, []).append(mention)
        conflicts = []
        for muscle_id, found in sorted(by_entry.items()):
            entry = self.lexicon[muscle_id]
            kind_note = found[0].category_note or f"the {entry.name} is a {entry.kind}, not a muscle"
            ids = f" ({entry.uberon_id})" if entry.uberon_id else ""
            evidence = [self._mention_evidence("called a muscle", m) for m in found[:MAX_EVIDENCE_PER_SIDE]]
            evidence.append(
                Evidence("lexicon", None, "pipeline/data/muscles.jsonl", f"{entry.name}{ids}: kind {entry.kind}")
            )
            conflicts.append(
                Conflict(
                    conflict_id=stable_id(CATEGORY, muscle_id),
                    kind=CATEGORY,
                    summary=f"the {entry.name} is called a muscle: {kind_note}",
                    muscle_ids=[muscle_id],
                    values={"muscle_id": muscle_id, "called": "muscle", "is": entry.kind},
                    evidence=evidence,
                    suggested_resolution=f"keep the {entry.name} as a {entry.kind}; its facts stay, as a {entry.kind}'s",
                    suggested_action="keep",
                    fact_ids=self._facts_of_mentions(found),
                    surface=base_form(found[0].surface),
                    forms=self._form_counts(found),
                )
            )
        return conflicts

    def _reference_conflicts(self, facts: list[Fact]) -> list[Conflict]:
        conflicts = []
        for fact in facts:
            judgement = fact.judgement
            if fact.relation not in REFERENCE_RELATIONS or judgement.agreement not in (CONTRADICTS, PARTIAL):
                continue
            name = self.lexicon[fact.muscle_id].name
            claim_side = [self._claim_evidence("claim", c) for c in _one_per_doc(fact.claims)]
            citation = str(judgement.citation) if judgement.citation else None
            reference_side = Evidence("reference", None, citation, judgement.explanation)
            if judgement.agreement == PARTIAL:
                narrower = ", ".join(self.lexicon[m].name for m in judgement.narrower)
                resolution = f"reject for the {name} as a whole; {fact.object_label} belongs to {narrower}"
            else:
                resolution = f"reject: {judgement.explanation}"
            conflicts.append(
                Conflict(
                    conflict_id=stable_id(REFERENCE, *fact.key),
                    kind=REFERENCE,
                    summary=f"{name} -> {fact.relation} -> {fact.object_label}: the reference "
                    f"{'only partly agrees' if judgement.agreement == PARTIAL else 'contradicts it'}",
                    muscle_ids=[fact.muscle_id],
                    values={"muscle_id": fact.muscle_id, "relation": fact.relation, "object_id": fact.object_id},
                    evidence=[*claim_side, reference_side],
                    suggested_resolution=resolution,
                    suggested_action="reject",
                    fact_ids=[fact.fact_id],
                    suggested_fact_ids=[fact.fact_id],
                    relation=fact.relation,
                    object_ids=[fact.object_id],
                )
            )
        return conflicts

    def _count_disagreements(self, facts: list[Fact]) -> list[Conflict]:
        """'A squad of four' hamstrings against the three members named and listed."""
        counts: dict[str, list[Fact]] = {}
        for fact in facts:
            if fact.relation == RELATION_MEMBER_COUNT:
                counts.setdefault(fact.muscle_id, []).append(fact)
        conflicts = []
        for muscle_id, stated in sorted(counts.items()):
            entry = self.lexicon[muscle_id]
            listed = len(entry.members)
            values = sorted({int(f.object_id) for f in stated})
            if values == [listed]:
                continue
            members = ", ".join(self.lexicon[m].name for m in entry.members)
            named = self._named_members(muscle_id, stated)
            evidence = [self._claim_evidence(f"says {f.object_id}", c) for f in stated for c in _one_per_doc(f.claims)]
            evidence += named or []
            evidence.append(
                Evidence(f"names {listed}", None, "pipeline/data/muscles.jsonl", f"the lexicon lists {members}")
            )
            wrong = [f.fact_id for f in stated if int(f.object_id) != listed]
            conflicts.append(
                Conflict(
                    conflict_id=stable_id(DISAGREEMENT, muscle_id, RELATION_MEMBER_COUNT, *map(str, values)),
                    kind=DISAGREEMENT,
                    summary=f"how many {entry.name}: sources say {' or '.join(map(str, values))}; "
                    f"{listed} are named ({members})",
                    muscle_ids=[muscle_id],
                    values={"muscle_id": muscle_id, "relation": RELATION_MEMBER_COUNT, "values": values},
                    evidence=evidence,
                    suggested_resolution=f"reject the count{'s' if len(wrong) > 1 else ''} other than {listed}: "
                    f"the {entry.name} are {members}",
                    suggested_action="reject",
                    fact_ids=[f.fact_id for f in stated],
                    suggested_fact_ids=wrong,
                    relation=RELATION_MEMBER_COUNT,
                    object_ids=[str(v) for v in values],
                )
            )
        return conflicts

    def _named_members(self, muscle_id: str, stated: list[Fact]) -> list[Evidence]:
        """Where the members are named: member claims, else member mentions near the count."""
        member_ids = self.lexicon.leaves(muscle_id) | set(self.lexicon[muscle_id].members)
        claims = [c for c in self.claims if c.relation == RELATION_MEMBER and c.muscle_id == muscle_id]
        if claims:
            return [self._claim_evidence("named", c) for c in _one_per_doc(claims)]
        docs = {c.doc_id for f in stated for c in f.claims}
        mentions = [m for m in self.mentions if m.doc_id in docs and m.muscle_id in member_ids]
        first = list({m.muscle_id: m for m in reversed(mentions)}.values())[::-1]
        return [self._mention_evidence("named", m) for m in first[:MAX_EVIDENCE_PER_SIDE]]

    def _prominence_disagreements(self, facts: list[Fact]) -> list[Conflict]:
        """A muscle called primary in one source and only supporting in another."""
        by_muscle: dict[str, list[Fact]] = {}
        for fact in facts:
            if fact.relation == RELATION_PROMINENCE:
                by_muscle.setdefault(fact.muscle_id, []).append(fact)
        conflicts = []
        for muscle_id, stated in sorted(by_muscle.items()):
            if len(stated) < 2:
                continue
            name = self.lexicon[muscle_id].name
            ranked = sorted(stated, key=lambda f: (-f.support, f.object_id))
            tie = ranked[0].support == ranked[1].support
            evidence = [self._claim_evidence(f.object_id, c) for f in ranked for c in _one_per_doc(f.claims)]
            resolution = (
                "the sources are evenly split: decide which view to keep"
                if tie
                else f"keep '{ranked[0].object_id}' (support {ranked[0].support}) and reject "
                f"'{ranked[1].object_id}' (support {ranked[1].support})"
            )
            conflicts.append(
                Conflict(
                    conflict_id=stable_id(DISAGREEMENT, muscle_id, RELATION_PROMINENCE),
                    kind=DISAGREEMENT,
                    summary=f"is the {name} a primary or a supporting muscle? the sources disagree",
                    muscle_ids=[muscle_id],
                    values={"muscle_id": muscle_id, "relation": RELATION_PROMINENCE},
                    evidence=evidence,
                    suggested_resolution=resolution,
                    suggested_action="keep" if tie else "reject",
                    fact_ids=[f.fact_id for f in stated],
                    suggested_fact_ids=[] if tie else [f.fact_id for f in ranked[1:]],
                    relation=RELATION_PROMINENCE,
                    object_ids=sorted(f.object_id for f in stated),
                )
            )
        return conflicts

    # ----------------------------------------------------------------------- evidence

    def _sentence(self, doc_id: str, block_idx: int, char: int) -> tuple[str, Block | None]:
        block = self.blocks.get((doc_id, block_idx))
        if block is None:
            return "", None
        key = (doc_id, block_idx)
        if key not in self._starts:
            self._starts[key] = sentence_starts(block.text)
        start, end = sentence_span(self._starts[key], block.text, char)
        return block.text[start:end].strip(), block

    def _mention_evidence(self, side: str, mention: Mention) -> Evidence:
        quote, _ = self._sentence(mention.doc_id, mention.block_idx, mention.char_start)
        claim = next(iter(self._claims_around(mention)), None)
        return Evidence(
            side,
            mention.doc_id,
            self.paths.get(mention.doc_id),
            quote,
            claim.claim_id if claim else None,
            mention.line_start,
            mention.line_end,
        )

    def _claim_evidence(self, side: str, claim: Claim) -> Evidence:
        return Evidence(
            side,
            claim.doc_id,
            self.paths.get(claim.doc_id),
            claim.sentence,
            claim.claim_id,
            claim.line_start,
            claim.line_end,
        )

    def _claims_around(self, mention: Mention) -> list[Claim]:
        """Claims made in the sentence a mention sits in, in claim order."""
        return [
            c
            for c in self._claims_by_block.get((mention.doc_id, mention.block_idx), [])
            if c.char_start <= mention.char_start < c.char_end
        ]

    def _facts_of_mentions(self, mentions: list[Mention]) -> list[str]:
        """Facts whose claims are made in the sentences these mentions sit in, about their entry."""
        return sorted(
            {
                fact_id(c.muscle_id, c.relation, c.object_id)
                for mention in mentions
                for c in self._claims_around(mention)
                if c.muscle_id == mention.muscle_id
            }
        )

    def _form_counts(self, mentions: list[Mention]) -> list[dict[str, Any]]:
        """Each written form with its count per source file: the cluster as a reviewer sees it."""
        counts = Counter((base_form(m.surface), m.doc_id) for m in mentions)
        return [
            {"form": form, "doc_id": doc_id, "source_path": self.paths.get(doc_id), "n": n}
            for (form, doc_id), n in sorted(
                counts.items(), key=lambda kv: (kv[0][0].lower(), self.paths.get(kv[0][1], ""))
            )
        ]


def _one_per_doc(items: list[Any]) -> list[Any]:
    """The first item from each document, up to MAX_EVIDENCE_PER_SIDE."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(item.doc_id, item)
    return list(seen.values())[:MAX_EVIDENCE_PER_SIDE]


def _rejected_facts(conflict: Conflict) -> set[str]:
    decision = conflict.decision
    if decision is None or decision.claims:
        return set()
    if decision.action == REJECT:
        return set(decision.facts or conflict.fact_ids) & set(conflict.fact_ids)
    if decision.action == ACCEPT and conflict.suggested_action == "reject":
        return set(conflict.suggested_fact_ids)
    return set()


def _rejected_claims(conflict: Conflict) -> set[str]:
    decision = conflict.decision
    if decision is None or decision.action != REJECT:
        return set()
    return set(decision.claims)
