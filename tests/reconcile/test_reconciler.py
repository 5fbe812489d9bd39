from __future__ import annotations

import pytest

from pipeline.extract.lexicon import cached_lexicon
from pipeline.reconcile import ReconcileInputs, reconcile
from pipeline.reconcile.evidence import texts_of
from pipeline.reconcile.facts import fact_id
from pipeline.reconcile.keys import (
    base_form,
    cluster_method,
    fingerprint,
    levenshtein,
    naming_reason,
    ngram_fingerprint,
)
from pipeline.reconcile.knowledge import cached_reference
from pipeline.records import Block, Claim, Document, Mention
from pipeline.review.decisions import Decision

DOCS = ("a", "b", "c")


def claim(doc, muscle, relation, obj, n=0, confidence=0.85, modality="asserted"):
    sentence = f"{muscle} {relation} {obj} sentence {n}"
    return Claim(
        claim_id=f"{doc}-{muscle}-{relation}-{obj}-{n}",
        doc_id=doc,
        muscle_id=muscle,
        relation=relation,
        object_id=obj,
        object_label=obj.replace("_", " "),
        modality=modality,
        sentence=sentence,
        block_idx=n,
        section_path=[],
        char_start=0,
        char_end=len(sentence),
        line_start=n + 1,
        line_end=n + 1,
        rule_id="clause_subject",
        confidence=confidence,
    )


def mention(doc, surface, muscle, match_type="exact", flags=(), block=0, start=0):
    return Mention(doc, block, 0, start, start + len(surface), surface, muscle, match_type, 1, 1, flags=tuple(flags))


def run(claims=(), mentions=(), blocks=(), groups=None, decisions=()):
    documents = [Document(doc_id=d, source_path=f"{d}.txt", format="text") for d in DOCS]
    groups = groups or {d: d for d in DOCS}
    inputs = ReconcileInputs(documents, texts_of(blocks), list(mentions), list(claims), groups)
    return reconcile(inputs, cached_lexicon(), cached_reference(), list(decisions))


def decision(conflict_id, action, **extra):
    return Decision(conflict_id=conflict_id, action=action, by="tester", at="2026-11-21T00:00:00+00:00", **extra)


def facts_by_key(result):
    return {f.key: f for f in result.facts}


# --------------------------------------------------------------------------- facts


def test_the_same_claim_from_two_sources_is_one_fact_with_both():
    result = run(
        [claim("a", "quadriceps", "action", "knee_extension"), claim("b", "quadriceps", "action", "knee_extension")]
    )
    (fact,) = result.facts
    assert fact.fact_id == fact_id("quadriceps", "action", "knee_extension")
    assert fact.source_groups == ["a", "b"]
    assert fact.support == pytest.approx(1.7)


def test_copies_of_one_article_count_once():
    claims = [
        claim("a", "quadriceps", "action", "knee_extension"),
        claim("b", "quadriceps", "action", "knee_extension"),
    ]
    (fact,) = run(claims, groups={"a": "a", "b": "a", "c": "c"}).facts
    assert len(fact.source_groups) == 1
    assert fact.support == pytest.approx(0.85)


def test_hedged_claims_weigh_less():
    asserted = run([claim("a", "soleus", "action", "ankle_plantarflexion", confidence=0.85)]).facts[0]
    hedged = run([claim("a", "soleus", "action", "ankle_plantarflexion", confidence=0.6, modality="hedged")])
    assert hedged.facts[0].support < asserted.support


def test_member_claims_support_a_group_fact_that_a_source_states():
    claims = [claim("a", "calves", "exercise", "calf_raise"), claim("b", "soleus", "exercise", "calf_raise")]
    facts = facts_by_key(run(claims))
    calves = facts[("calves", "exercise", "calf_raise")]
    assert calves.source_groups == ["a", "b"]
    assert [c.claim_id for c in calves.member_claims] == ["b-soleus-exercise-calf_raise-0"]
    # ... but no group fact is invented from a member claim alone
    alone = facts_by_key(run([claim("a", "gluteus_medius", "exercise", "clamshell")]))
    assert list(alone) == [("gluteus_medius", "exercise", "clamshell")]


# --------------------------------------------------------------------------- reference conflicts


def test_a_hip_flexor_bridge_contradicts_the_reference_and_is_flagged():
    result = run([claim("a", "hip_flexors", "exercise", "glute_bridge")])
    (conflict,) = result.conflicts
    assert conflict.kind == "reference"
    assert conflict.suggested_action == "reject"
    assert "gluteus maximus" in conflict.suggested_resolution
    assert [e.side for e in conflict.evidence] == ["claim", "reference"]
    assert "<https://" in conflict.evidence[-1].source_path  # the citation, with its address
    (fact,) = result.facts
    assert (fact.status, fact.judgement.agreement) == ("flagged", "contradicts")


def test_quadriceps_hip_flexion_is_a_partial_finding_naming_the_rectus_femoris():
    result = run([claim("a", "quadriceps", "action", "hip_flexion")])
    (conflict,) = result.conflicts
    assert result.facts[0].judgement.agreement == "partial"
    assert "rectus femoris" in conflict.suggested_resolution


@pytest.mark.parametrize(
    ("action", "fact_status", "conflict_status"),
    [
        ("accept", "rejected", "resolved"),
        ("reject", "rejected", "resolved"),
        ("not_a_conflict", "accepted", "resolved"),
        ("defer", "flagged", "open"),
    ],
)
def test_decisions_set_fact_and_conflict_status(action, fact_status, conflict_status):
    claims = [claim("a", "hip_flexors", "exercise", "weighted_hip_extension")]
    conflict_id = run(claims).conflicts[0].conflict_id
    result = run(claims, decisions=[decision(conflict_id, action)])
    assert result.facts[0].status == fact_status
    assert result.conflicts[0].status == conflict_status
    assert result.conflicts[0].decision.action == action


def test_the_latest_decision_for_a_conflict_wins():
    claims = [claim("a", "hip_flexors", "exercise", "glute_bridge")]
    conflict_id = run(claims).conflicts[0].conflict_id
    result = run(claims, decisions=[decision(conflict_id, "accept"), decision(conflict_id, "not_a_conflict")])
    assert result.facts[0].status == "accepted"


def test_rejecting_claims_removes_them_from_the_fact():
    claims = [
        claim("a", "hip_flexors", "exercise", "glute_bridge"),
        claim("b", "hip_flexors", "exercise", "glute_bridge"),
    ]
    conflict_id = run(claims).conflicts[0].conflict_id
    one = run(claims, decisions=[decision(conflict_id, "reject", claims=(claims[0].claim_id,))])
    assert [c.claim_id for c in one.facts[0].claims] == [claims[1].claim_id]
    assert one.facts[0].status == "accepted"  # the conflict is resolved; the other claim stands
    both = run(claims, decisions=[decision(conflict_id, "reject", claims=tuple(c.claim_id for c in claims))])
    assert both.facts[0].status == "rejected"
    assert len(both.facts) == 1  # listed, not dropped


def test_a_decision_matching_no_conflict_is_reported_stale():
    result = run([claim("a", "soleus", "action", "ankle_plantarflexion")], decisions=[decision("0" * 16, "accept")])
    assert [d.conflict_id for d in result.stale] == ["0" * 16]


def test_conflict_ids_and_order_do_not_depend_on_claim_order():
    claims = [
        claim("a", "hip_flexors", "exercise", "glute_bridge"),
        claim("b", "quadriceps", "action", "hip_flexion"),
        claim("c", "hamstrings", "member_count", "4"),
    ]
    forward = [(c.conflict_id, c.kind) for c in run(claims).conflicts]
    backward = [(c.conflict_id, c.kind) for c in run(list(reversed(claims))).conflicts]
    assert forward == backward
    assert len(forward) == 3


# --------------------------------------------------------------------------- disagreements


def test_a_squad_of_four_hamstrings_disagrees_with_the_three_named():
    result = run([claim("a", "hamstrings", "member_count", "4"), claim("b", "quadriceps", "member_count", "4")])
    (conflict,) = result.conflicts
    assert conflict.kind == "disagreement"
    assert conflict.object_ids == ["4"]
    assert "semimembranosus" in conflict.suggested_resolution
    assert conflict.suggested_fact_ids == [fact_id("hamstrings", "member_count", "4")]


def test_primary_in_one_source_and_supporting_in_two_others():
    claims = [
        claim("a", "hamstrings", "prominence", "primary"),
        claim("b", "hamstrings", "prominence", "supporting"),
        claim("c", "hamstrings", "prominence", "supporting"),
    ]
    (conflict,) = run(claims).conflicts
    assert conflict.kind == "disagreement"
    assert conflict.suggested_fact_ids == [fact_id("hamstrings", "prominence", "primary")]
    assert {e.side for e in conflict.evidence} == {"primary", "supporting"}


# --------------------------------------------------------------------------- naming and category


def block(doc, text, idx=0):
    return Block(doc, idx, "paragraph", text, line_start=idx + 1, line_end=idx + 1)


def test_tlf_is_a_naming_conflict_clustered_with_tfl_by_character_ngrams():
    blocks = [block("a", "The TLF muscle abducts the hip."), block("b", "The TFL steadies the pelvis.")]
    mentions = [
        mention("a", "TLF muscle", "tensor_fasciae_latae", "defined_abbreviation", ["nonstandard_abbreviation"], 0, 4),
        mention("b", "TFL", "tensor_fasciae_latae", "abbreviation", (), 0, 4),
    ]
    (conflict,) = run(mentions=mentions, blocks=blocks).conflicts
    assert conflict.kind == "naming"
    assert conflict.surface == "TLF"
    assert conflict.cluster_method == "ngram-fingerprint"
    assert "tensor fasciae latae" in conflict.suggested_resolution
    assert {(f["form"], f["source_path"], f["n"]) for f in conflict.forms} == {("TLF", "a.txt", 1), ("TFL", "b.txt", 1)}
    assert [(e.side, e.quote) for e in conflict.evidence] == [
        ("as written", "The TLF muscle abducts the hip."),
        ("standard name", "The TFL steadies the pelvis."),
    ]


def test_the_itb_muscle_is_a_category_conflict():
    blocks = [block("a", "Stretch the ITB muscle after runs.")]
    mentions = [mention("a", "ITB muscle", "iliotibial_band", "category_error", ["category_error"], 0, 12)]
    (conflict,) = run(mentions=mentions, blocks=blocks).conflicts
    assert conflict.kind == "category"
    assert "structure" in conflict.summary


@pytest.mark.parametrize(
    ("surface", "muscle_id", "match_type", "reason"),
    [
        ("anterior tibialis", "tibialis_anterior", "synonym", "word order"),
        ("peroneals", "fibularis_group", "synonym", "older name"),
        ("Peroneal muscles", "fibularis_group", "synonym", "older name"),
        ("biceps branchii", "biceps_brachii", "misspelling", "misspelling"),
        ("Tensor Fascia Latae", "tensor_fasciae_latae", "variant", "spelling variant"),
        ("Tibialis Anterior", "tibialis_anterior", "exact", None),
        ("glutes", "gluteals", "synonym", None),
        ("TFL", "tensor_fasciae_latae", "abbreviation", None),
    ],
)
def test_naming_reasons(surface, muscle_id, match_type, reason):
    assert naming_reason(mention("a", surface, muscle_id, match_type), cached_lexicon()) == reason


def test_openrefine_keys():
    assert fingerprint("Tibialis  anterior!") == fingerprint("anterior tibialis") == "anterior tibialis"
    assert ngram_fingerprint("TLF", 1) == ngram_fingerprint("TFL", 1)
    assert ngram_fingerprint("TLF", 2) != ngram_fingerprint("TFL", 2)
    assert levenshtein("branchii", "brachii") == 1
    assert cluster_method("biceps branchii", ["biceps brachii"]) == "levenshtein"
    assert cluster_method("anterior tibialis", ["tibialis anterior"]) == "fingerprint"
    assert cluster_method("peroneals", ["fibularis muscles"]) == "lexicon"
    assert base_form("iliotibial (ITB) muscle") == "iliotibial"
    assert base_form("TLF Muscles") == "TLF"


# --------------------------------------------------------------------------- candidate terms


def candidate_claim(doc, muscle, n=0):
    base = claim(doc, muscle, "exercise", "towel_slide", n)
    base.candidate, base.object_text, base.object_label = True, "towel slides", "towel slide"
    return base


def test_a_candidate_term_is_one_conflict_whose_facts_wait_for_review():
    result = run([candidate_claim("a", "hamstrings"), candidate_claim("b", "gluteals", 1)])
    (conflict,) = result.conflicts
    assert (conflict.kind, conflict.surface, conflict.object_ids) == ("candidate", "towel slide", ["towel_slide"])
    assert conflict.muscle_ids == ["gluteals", "hamstrings"]
    assert {f.status for f in result.facts} == {"flagged"}
    assert result.accepted_candidates == set()


@pytest.mark.parametrize(
    ("action", "status", "accepted"), [("accept", "accepted", True), ("reject", "rejected", False)]
)
def test_accepting_a_candidate_makes_it_an_object_and_rejecting_it_rejects_its_facts(action, status, accepted):
    claims = [candidate_claim("a", "hamstrings")]
    (conflict,) = run(claims).conflicts
    result = run(claims, decisions=[decision(conflict.conflict_id, action, kind="candidate")])
    assert {f.status for f in result.facts} == {status}
    assert (("exercise", "towel_slide") in result.accepted_candidates) is accepted
