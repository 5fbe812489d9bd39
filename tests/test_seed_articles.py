"""Acceptance on the five source articles in raw/: boilerplate gone, article text all kept."""

from __future__ import annotations

import re

import pytest

from pipeline.ingest.read import discover, ingest
from pipeline.strip.html import strip_boilerplate

BOILERPLATE_MARKERS = [
    r"ArtsAutosBooks",
    r"^HomeRunning",
    r"uses cookies|Privacy Policy|consent",
    r"years ago|profile image|Post Comment|characters used|Leave a Reply|email address will not be published",
    r"is a sports science graduate|editorial team|Editorial Team",
    r"^Related (posts|Posts|Video)",
    r"Newsletter|Signup to get",
    r" \| .* \| ",
    r"\| Source$",
    r"Mins read|Incredible offer|Additional resource",
]

MUST_KEEP = {
    "needtorace-6-key-muscles-engaged.txt": [
        "Frequently Asked Questions",
        "Are There Any Recommended Stretching Exercises for the Core Muscles After a Run?",
        "After a run, it’s important to stretch your core muscles",
        "Hip Flexor StretchesHip Flexor Exercises",
        "Kneeling hip flexor stretchLeg raises",
        "Standing hip flexor stretchMountain climbers",
        "Lunge with a twistBicycle crunch",
        "Key Takeaways",
        "Gluteus Minimus: Situated beneath the gluteus medius",
        "Deadlifts: Incorporate deadlifts",
    ],
    "runners-blog-what-muscles-does-running-work-2023.txt": [
        "Quadriceps: The mighty front thigh muscles",
        "The Scalene Muscles",
        "Pushups,",
        "What Muscles Does Running Work – The Conclusion",
        "In the meantime, thank you for dropping by.",
        "To keep your anterior tibialis in prime condition",
        "Your biceps branchii, better known as the biceps",
    ],
    "hubpages-leg-muscles-used-when-running.txt": [
        "It's not just simply about running!",
        "Hip Flexors (often referred to as the iliopsoas)",
        "iliacus",
        "The vastus intermedius",
        "Contraction of the calf muscles pulls on the calcaneum",
    ],
    "science-of-running-what-muscles-does-running-work.txt": [
        "TLF Muscles",
        "The TLF muscle, which stands for tensor fascia latae",
        "ITB Muscle",
        "Good luck and happy running!",
        "Upper Body",
    ],
    "does-running-work-out-your-legs.txt": [
        "The Primary Muscle Groups Engaged",
        "Single-leg squats and clamshells are useful",
    ],
}


@pytest.fixture(scope="module")
def cleaned(request):
    raw = request.config.rootpath / "raw"
    out = {}
    for doc in ingest(discover(raw)):
        doc, blocks = strip_boilerplate(doc)
        out[doc.source_path] = (doc, blocks)
    return out


def test_all_five_articles_are_present(cleaned):
    assert sorted(cleaned) == sorted(MUST_KEEP)
    assert all(doc.status == "ok" for doc, _ in cleaned.values())


@pytest.mark.parametrize("marker", BOILERPLATE_MARKERS)
def test_no_kept_block_contains_boilerplate(cleaned, marker):
    offenders = [
        (path, b.text[:60])
        for path, (_, blocks) in cleaned.items()
        for b in blocks
        if b.kept and re.search(marker, b.text)
    ]
    assert offenders == []


@pytest.mark.parametrize("path", sorted(MUST_KEEP))
def test_article_text_is_kept(cleaned, path):
    _, blocks = cleaned[path]
    kept = [b.text for b in blocks if b.kept]
    missing = [needle for needle in MUST_KEEP[path] if not any(needle in t for t in kept)]
    assert missing == []


def test_every_block_between_title_and_end_matter_is_kept_or_named(cleaned):
    for _, blocks in cleaned.values():
        assert all(b.kept or b.removal_reason for b in blocks)


def test_titles_and_dates_recovered(cleaned):
    doc, _ = cleaned["hubpages-leg-muscles-used-when-running.txt"]
    assert doc.title == "What Leg Muscles Are Used When Running"
    assert doc.published == "2013-09-26"
    assert doc.author == "Liam Hallam"
    doc, _ = cleaned["runners-blog-what-muscles-does-running-work-2023.txt"]
    assert doc.title == "What Muscles Does Running Work? (2023 Update)"


# --------------------------------------------------------------------------- muscle recognition

SCIENCE = "science-of-running-what-muscles-does-running-work.txt"
BLOG = "runners-blog-what-muscles-does-running-work-2023.txt"
LEGS = "does-running-work-out-your-legs.txt"
HUBPAGES = "hubpages-leg-muscles-used-when-running.txt"
NEEDTORACE = "needtorace-6-key-muscles-engaged.txt"


@pytest.fixture(scope="module")
def recognised(cleaned):
    from pipeline.extract.lexicon import cached_lexicon
    from pipeline.extract.muscles import build_muscle_nlp, recognise_muscles

    blocks = [b for _, doc_blocks in cleaned.values() for b in doc_blocks]
    mentions, _ = recognise_muscles(blocks, build_muscle_nlp(cached_lexicon()), cached_lexicon())
    by_path = {path: [m for m in mentions if m.doc_id == doc.doc_id] for path, (doc, _) in cleaned.items()}
    return blocks, mentions, by_path


def _found(recognised, path):
    return {m.muscle_id for m in recognised[2][path]}


def test_tlf_tensor_fascia_latae_and_tfl_are_one_muscle(recognised):
    science = [m for m in recognised[2][SCIENCE] if m.muscle_id == "tensor_fasciae_latae"]
    assert {m.surface for m in science} >= {"TLF Muscles", "TLF muscle", "tensor fascia latae"}
    assert all("nonstandard_abbreviation" in m.flags for m in science if m.surface.startswith("TLF"))
    blog = {m.surface for m in recognised[2][BLOG] if m.muscle_id == "tensor_fasciae_latae"}
    assert {"Tensor Fascia Latae", "TFL", "tensor fascia latae (TFL)"} <= blog
    assert "tensor fasciae latae (TFL)" in {m.surface for m in recognised[2][LEGS]}


@pytest.mark.parametrize(
    "surface, muscle_id",
    [
        ("biceps branchii", "biceps_brachii"),
        ("anterior tibialis", "tibialis_anterior"),
        ("Thoracic Diaphragm", "diaphragm"),
        ("Scalene Muscles", "scalenes"),
        ("Peroneals", "fibularis_group"),
        ("fibularis muscles", "fibularis_group"),
        ("scalenus medius", "scalenus_medius"),
    ],
)
def test_runners_blog_names_resolve(recognised, surface, muscle_id):
    assert (surface, muscle_id) in {(m.surface, m.muscle_id) for m in recognised[2][BLOG]}


def test_peroneals_and_their_three_members(recognised):
    assert {"fibularis_group", "fibularis_longus", "fibularis_brevis", "fibularis_tertius"} <= _found(recognised, BLOG)


def test_quadraceps_is_the_quadriceps(recognised):
    (typo,) = [m for m in recognised[2][HUBPAGES] if m.match_type == "misspelling"]
    assert typo.surface.startswith("quadraceps") and typo.muscle_id == "quadriceps"


def test_the_itb_muscle_is_the_iliotibial_band_with_a_category_note(recognised):
    itb = [m for m in recognised[2][SCIENCE] if m.muscle_id == "iliotibial_band"]
    called_muscle = [m for m in itb if "muscle" in m.surface.lower()]
    assert {m.surface for m in called_muscle} == {"ITB Muscle", "iliotibial (ITB) muscle", "ITB muscle"}
    assert all(m.category_note and m.match_type == "category_error" for m in called_muscle)


@pytest.mark.parametrize(
    "path, expected",
    [
        (
            LEGS,
            {
                "gluteus_maximus",
                "gluteus_medius",
                "gluteus_minimus",
                "hamstrings",
                "quadriceps",
                "calves",
                "gastrocnemius",
                "soleus",
                "hip_abductors",
                "hip_adductors",
                "tensor_fasciae_latae",
                "iliotibial_band",
            },
        ),
        (
            HUBPAGES,
            {
                "quadriceps",
                "hamstrings",
                "gluteus_maximus",
                "iliopsoas",
                "calves",
                "biceps_brachii",
                "abdominals",
                "hip_flexors",
                "iliacus",
                "psoas_major",
                "semitendinosus",
                "semimembranosus",
                "biceps_femoris",
                "rectus_femoris",
                "vastus_medialis",
                "vastus_lateralis",
                "vastus_intermedius",
                "gastrocnemius",
                "soleus",
                "achilles_tendon",
            },
        ),
        (
            NEEDTORACE,
            {
                "quadriceps",
                "hamstrings",
                "calves",
                "gluteals",
                "hip_flexors",
                "core",
                "soleus",
                "gastrocnemius",
                "gluteus_maximus",
                "gluteus_medius",
                "gluteus_minimus",
                "abdominals",
            },
        ),
        (
            SCIENCE,
            {
                "quadriceps",
                "calves",
                "hamstrings",
                "gluteals",
                "tensor_fasciae_latae",
                "iliotibial_band",
                "core",
                "transversus_abdominis",
                "hip_abductors",
            },
        ),
        (
            BLOG,
            {
                "flexor_hallucis_brevis",
                "flexor_hallucis_longus",
                "latissimus_dorsi",
                "pectorals",
                "erector_spinae",
                "multifidus",
                "obliques",
                "pelvic_floor",
                "rectus_abdominis",
                "iliopsoas",
                "achilles_tendon",
            },
        ),
    ],
)
def test_every_muscle_the_article_discusses_is_found(recognised, path, expected):
    assert expected <= _found(recognised, path)


def test_nothing_is_found_in_removed_boilerplate(recognised):
    blocks, mentions, _ = recognised
    kept = {(b.doc_id, b.block_idx) for b in blocks if b.kept}
    assert mentions and all((m.doc_id, m.block_idx) in kept for m in mentions)


# --------------------------------------------------------------------------- claims


def _extracted(blocks, mentions):
    from pipeline.extract.claims import ClaimExtractor, extract_claims
    from pipeline.extract.lexicon import cached_lexicon
    from pipeline.extract.vocabulary import cached_vocabulary

    return extract_claims(blocks, mentions, ClaimExtractor(cached_lexicon(), cached_vocabulary()))


@pytest.fixture(scope="module")
def claimed(recognised):
    blocks, mentions, by_path = recognised
    claims, _ = _extracted(blocks, mentions)
    doc_ids = {path: ms[0].doc_id for path, ms in by_path.items() if ms}
    return {
        path: {(c.muscle_id, c.relation, c.object_id) for c in claims if c.doc_id == doc_id}
        for path, doc_id in doc_ids.items()
    }


@pytest.mark.parametrize(
    "path, triple",
    [
        (NEEDTORACE, ("quadriceps", "action", "knee_extension")),
        (BLOG, ("quadriceps", "action", "knee_extension")),
        (BLOG, ("hamstrings", "action", "knee_flexion")),
        (BLOG, ("hamstrings", "action", "hip_extension")),
        (BLOG, ("quadriceps", "member", "vastus_medialis")),
        (BLOG, ("quadriceps", "member", "vastus_intermedius")),
        (BLOG, ("quadriceps", "member", "vastus_lateralis")),
        (BLOG, ("quadriceps", "member", "rectus_femoris")),
        (NEEDTORACE, ("soleus", "exercise", "calf_raise")),
        (NEEDTORACE, ("soleus", "exercise", "heel_drop")),
        (BLOG, ("tensor_fasciae_latae", "action", "hip_abduction")),
        (BLOG, ("tensor_fasciae_latae", "running_role", "pelvic_stability")),
        (BLOG, ("tibialis_anterior", "action", "ankle_dorsiflexion")),
        (BLOG, ("tibialis_anterior", "action", "foot_inversion")),
        (BLOG, ("tibialis_anterior", "injury", "shin_splints")),
        (BLOG, ("gluteus_medius", "exercise", "clamshell")),
        (LEGS, ("gluteus_medius", "exercise", "clamshell")),
        (NEEDTORACE, ("hip_flexors", "stretch", "kneeling_hip_flexor_stretch")),
        (NEEDTORACE, ("hip_flexors", "exercise", "leg_raise")),
        (BLOG, ("diaphragm", "action", "breathing")),
        (NEEDTORACE, ("gluteals", "exercise", "hip_thrust")),
        (BLOG, ("hip_flexors", "exercise", "glute_bridge")),
        (BLOG, ("hip_flexors", "exercise", "weighted_hip_extension")),
        (SCIENCE, ("hamstrings", "action", "hip_extension")),
        (HUBPAGES, ("hip_flexors", "member", "iliacus")),
    ],
)
def test_seed_claims_include(claimed, path, triple):
    assert triple in claimed[path]


def test_seed_claims_exclude_what_the_text_denies(claimed):
    assert ("gluteals", "member", "quadriceps") not in claimed[NEEDTORACE]


def test_seed_statements_of_group_size_and_prominence(claimed):
    assert ("hamstrings", "member_count", "4") in claimed[BLOG]  # "a squad of four superheroes"
    assert ("quadriceps", "member_count", "4") in claimed[HUBPAGES]
    assert ("hamstrings", "prominence", "primary") in claimed[NEEDTORACE]
    assert ("biceps_brachii", "prominence", "supporting") in claimed[HUBPAGES]


# --------------------------------------------------------------------------- reconcile


@pytest.fixture(scope="module")
def reconciled(cleaned, recognised):
    from pipeline.extract.lexicon import cached_lexicon
    from pipeline.reconcile import ReconcileInputs, reconcile
    from pipeline.reconcile.dedupe import source_groups
    from pipeline.reconcile.evidence import texts_of
    from pipeline.reconcile.knowledge import cached_reference

    blocks, mentions, _ = recognised
    documents = [doc for doc, _ in cleaned.values()]
    claims, _ = _extracted(blocks, mentions)
    kept_text = {d.doc_id: "\n".join(b.text for b in blocks if b.kept and b.doc_id == d.doc_id) for d in documents}
    owners = sorted(documents, key=lambda d: d.source_path)
    groups = {
        doc_id: group for doc_id, (group, _) in source_groups((d.doc_id, kept_text[d.doc_id]) for d in owners).items()
    }
    inputs = ReconcileInputs(documents, texts_of(blocks), mentions, claims, groups)
    return reconcile(inputs, cached_lexicon(), cached_reference(), [])


def _conflicts(reconciled, kind):
    return [c for c in reconciled.conflicts if c.kind == kind]


def test_tlf_is_a_naming_conflict_resolved_to_tensor_fasciae_latae(reconciled):
    (tlf,) = [c for c in _conflicts(reconciled, "naming") if c.surface == "TLF"]
    assert "tensor fasciae latae" in tlf.suggested_resolution
    assert {e.source_path for e in tlf.evidence if e.side == "as written"} == {SCIENCE}
    assert {e.side for e in tlf.evidence} == {"as written", "standard name"}


@pytest.mark.parametrize(
    "surface", ["tensor fascia latae", "biceps branchii", "anterior tibialis", "peroneals", "quadraceps"]
)
def test_the_other_naming_conflicts_of_the_articles(reconciled, surface):
    assert surface in {c.surface for c in _conflicts(reconciled, "naming")}


def test_the_itb_muscle_is_a_category_conflict(reconciled):
    (itb,) = _conflicts(reconciled, "category")
    assert itb.muscle_ids == ["iliotibial_band"]
    assert {e.source_path for e in itb.evidence if e.side == "called a muscle"} == {SCIENCE}


def test_hip_flexor_exercises_that_train_the_hip_extensors_contradict_the_reference(reconciled):
    flagged = {(c.muscle_ids[0], c.object_ids[0]) for c in _conflicts(reconciled, "reference")}
    assert {("hip_flexors", "glute_bridge"), ("hip_flexors", "weighted_hip_extension")} <= flagged
    assert ("quadriceps", "hip_flexion") in flagged  # partial: only the rectus femoris flexes the hip


def test_the_squad_of_four_hamstrings_is_a_disagreement(reconciled):
    (count,) = [c for c in _conflicts(reconciled, "disagreement") if c.relation == "member_count"]
    assert count.muscle_ids == ["hamstrings"]
    assert any("squad of four" in e.quote for e in count.evidence)


@pytest.mark.parametrize("key", [("quadriceps", "action", "knee_extension"), ("calves", "exercise", "calf_raise")])
def test_duplicate_claims_across_articles_merge_into_facts(reconciled, key):
    fact = next(f for f in reconciled.facts if f.key == key)
    assert len(fact.source_groups) > 1


def test_every_muscle_the_articles_discuss_has_reference_actions(recognised):
    from pipeline.extract.lexicon import cached_lexicon
    from pipeline.reconcile.knowledge import cached_reference

    lexicon, reference = cached_lexicon(), cached_reference()
    discussed = {m.muscle_id for m in recognised[1] if lexicon[m.muscle_id].kind != "structure"}
    assert sorted(discussed - set(reference.actions)) == []
