"""Muscle recognition: every match type, every sense guard, and the data files' validation."""

from __future__ import annotations

import json

import pytest

from pipeline.common.rules import PatternError
from pipeline.extract.lexicon import cached_lexicon
from pipeline.extract.muscles import RecognitionStats, build_muscle_nlp, recognise_document, recognise_muscles
from pipeline.extract.muscles.abbreviations import spells_short_form
from pipeline.records import Block


@pytest.fixture(scope="module")
def nlp():
    return build_muscle_nlp(cached_lexicon())


@pytest.fixture(scope="module")
def find(nlp):
    """Mentions in a document made of the given blocks, as (surface, muscle_id, match_type) and full rows."""

    def run(*texts: str, kept: bool = True):
        blocks = [Block("doc", i, "paragraph", text, kept=kept) for i, text in enumerate(texts)]
        stats = RecognitionStats()
        mentions = recognise_document(nlp, cached_lexicon(), blocks, stats)
        run.stats = stats
        return mentions

    return run


def triples(mentions):
    return [(m.surface, m.muscle_id, m.match_type) for m in mentions]


# --------------------------------------------------------------------------- the ruler


def test_exact_synonym_variant_and_abbreviation_matches(find):
    mentions = find("The gluteus medius, the quads, the Tensor Fascia Latae and the TFL all help.")
    assert triples(mentions) == [
        ("gluteus medius", "gluteus_medius", "exact"),
        ("quads", "quadriceps", "synonym"),
        ("Tensor Fascia Latae", "tensor_fasciae_latae", "variant"),
        ("TFL", "tensor_fasciae_latae", "abbreviation"),
    ]


def test_matching_ignores_case_and_handles_plurals_and_hyphens(find):
    mentions = find("Leg day: GLUTEUS MAXIMUS. Tight hip-flexors and calves. One hip flexor.")
    assert [m.muscle_id for m in mentions] == ["gluteus_maximus", "hip_flexors", "calves", "hip_flexors"]


def test_longest_match_wins(find):
    mentions = find("The biceps femoris is a hamstring; the biceps is in the arm; the triceps surae is in the leg.")
    ids = [m.muscle_id for m in mentions]
    assert ids[:2] == ["biceps_femoris", "hamstrings"]
    assert "biceps_brachii" in ids and "calves" in ids
    assert ("biceps femoris", "biceps_femoris") in [(m.surface, m.muscle_id) for m in mentions]


def test_abbreviations_match_only_in_capitals(find):
    assert find("The tfl and the itb.") == []
    assert [m.muscle_id for m in find("The TFL and the ITB.")] == ["tensor_fasciae_latae", "iliotibial_band"]


def test_a_following_muscle_head_is_part_of_the_mention(find):
    (mention,) = find("Stretch the soleus muscle daily.")
    assert mention.surface == "soleus muscle"


def test_offsets_sentences_and_lines_point_at_the_mention(nlp):
    block = Block("doc", 3, "paragraph", "Run daily. Then train the glutes.", line_start=7, line_end=7)
    (mention,) = recognise_document(nlp, cached_lexicon(), [block], RecognitionStats())
    assert block.text[mention.char_start : mention.char_end] == mention.surface == "glutes"
    assert (mention.block_idx, mention.sentence_idx, mention.line_start, mention.line_end) == (3, 1, 7, 7)


def test_removed_blocks_are_never_searched(find):
    assert find("Related posts: 10 best hamstring stretches for tight glutes", kept=False) == []


# --------------------------------------------------------------------------- abbreviations defined in the text


@pytest.mark.parametrize(
    "text",
    [
        "The tibialis posterior (TP) holds the arch. A weak TP lets it drop.",
        "The TP (tibialis posterior) holds the arch. A weak TP lets it drop.",
    ],
)
def test_schwartz_hearst_definitions(find, text):
    mentions = find(text)
    assert {m.muscle_id for m in mentions} == {"tibialis_posterior"}
    last = mentions[-1]
    assert (last.surface, last.match_type) == ("TP", "defined_abbreviation")
    assert "tibialis posterior" in last.note and not last.flags  # TP is a standard abbreviation


def test_an_undefined_context_abbreviation_is_not_a_mention(find):
    assert find("A weak TP lets the arch drop.") == []


@pytest.mark.parametrize(
    "definition",
    [
        "The GMX, which stands for gluteus maximus, is large.",
        "GMX, short for gluteus maximus, is large.",
        "The gluteus maximus, also known as the GMX, is large.",
        "The gluteus maximus aka GMX is large.",
        "The gluteus maximus, often referred to as GMX, is large.",
        "The gluteus maximus, better known as GMX, is large.",
    ],
)
def test_fitness_writers_definition_cues(find, definition):
    mentions = find(definition, "Squats load the GMX.")
    defined = [m for m in mentions if m.match_type == "defined_abbreviation"]
    assert defined and all(m.muscle_id == "gluteus_maximus" for m in defined)
    assert defined[-1].block_idx == 1


def test_a_definition_resolves_in_every_block_of_its_document_only(nlp):
    blocks = [
        Block("a", 0, "heading", "GMX Muscles"),
        Block("a", 1, "paragraph", "The GMX muscle, which stands for gluteus maximus, drives you."),
        Block("b", 0, "paragraph", "The GMX is something else here."),
    ]
    mentions, _ = recognise_muscles(blocks, nlp, cached_lexicon())
    assert [(m.doc_id, m.block_idx, m.surface) for m in mentions if m.match_type == "defined_abbreviation"] == [
        ("a", 0, "GMX Muscles"),
        ("a", 1, "GMX muscle"),
    ]


def test_nonstandard_abbreviation_resolves_with_a_note_and_a_flag(find):
    mentions = find("TLF Muscles", "The TLF muscle, which stands for tensor fascia latae, steadies the hip.")
    tlf = [m for m in mentions if m.surface.startswith("TLF")]
    assert len(tlf) == 2
    for mention in tlf:
        assert mention.muscle_id == "tensor_fasciae_latae"
        assert mention.match_type == "defined_abbreviation"
        assert "nonstandard_abbreviation" in mention.flags
        assert "TFL" in mention.note and "transposition" in mention.note


def test_a_weak_alias_cue_cannot_redefine_a_standard_abbreviation(find):
    mentions = find("The hamstrings, also known as TFL, are wrong here. The TFL is on the hip.")
    assert [m.muscle_id for m in mentions if m.surface == "TFL"] == ["tensor_fasciae_latae"] * 2


def test_schwartz_hearst_letter_check():
    assert spells_short_form("TFL", "tensor fasciae latae")
    assert spells_short_form("ITB", "iliotibial")
    assert not spells_short_form("QL", "tensor fasciae latae")


# --------------------------------------------------------------------------- misspellings


@pytest.mark.parametrize(
    "text, surface, muscle_id",
    [
        ("The quadraceps extend the knee.", "quadraceps", "quadriceps"),
        ("Your biceps branchii bends the elbow.", "biceps branchii", "biceps_brachii"),
        ("Work the poroneal muscles.", "poroneal muscles", "fibularis_group"),
        ("Tight hip fexors hurt.", "hip fexors", "hip_flexors"),
    ],
)
def test_one_edit_misspellings_are_recovered_and_recorded(find, text, surface, muscle_id):
    (mention,) = find(text)
    assert (mention.surface, mention.muscle_id, mention.match_type) == (surface, muscle_id, "misspelling")
    assert "fuzzy" in mention.flags and "edit distance 1" in mention.note


def test_short_tokens_and_common_words_are_never_fuzzy_matched(find):
    assert find("the tfl ran; the valves and halves of the pump; thw") == []


def test_a_common_word_inside_a_longer_name_is_recovered(find):
    (mention,) = find("The gluteus medium steadies the pelvis.")
    assert (mention.muscle_id, mention.match_type) == ("gluteus_medius", "misspelling")


# --------------------------------------------------------------------------- structure, ellipsis, coordination


@pytest.mark.parametrize("text", ["ITB Muscle", "The iliotibial (ITB) muscle steadies the knee."])
def test_a_structure_called_a_muscle_is_a_category_error(find, text):
    (mention,) = find(text)
    assert mention.muscle_id == "iliotibial_band"
    assert mention.match_type == "category_error" and "category_error" in mention.flags
    assert "not a muscle" in mention.category_note


def test_a_structure_named_as_such_has_no_category_note(find):
    (mention,) = find("The iliotibial band runs down the thigh.")
    assert mention.category_note is None and mention.match_type == "exact"


def test_elliptical_lists_of_latin_names(find):
    mentions = find("The Gluteus Maximus, medius, and minimus; the peroneus longus, brevis and tertius.")
    assert [(m.surface, m.muscle_id, m.match_type) for m in mentions] == [
        ("Gluteus Maximus", "gluteus_maximus", "exact"),
        ("medius", "gluteus_medius", "elliptical"),
        ("minimus", "gluteus_minimus", "elliptical"),
        ("peroneus longus", "fibularis_longus", "synonym"),
        ("brevis", "fibularis_brevis", "elliptical"),
        ("tertius", "fibularis_tertius", "elliptical"),
    ]


def test_flexor_hallucis_brevis_or_longus(find):
    assert [m.muscle_id for m in find("Flexor Hallucis Brevis or Longus: toe flexion.")] == [
        "flexor_hallucis_brevis",
        "flexor_hallucis_longus",
    ]


def test_coordinated_body_parts_after_muscles(find):
    mentions = find("Running strengthens the muscles in your core, back, and shoulders. Chest and back muscles too.")
    assert [(m.surface, m.muscle_id) for m in mentions] == [
        ("core", "core"),
        ("back", "back_muscles"),
        ("shoulders", "shoulder_muscles"),
        ("Chest", "pectorals"),
        ("back muscles", "back_muscles"),
    ]


# --------------------------------------------------------------------------- sense guards

FITNESS = "Strength work for runners: "


SENSE_EXAMPLES = [
    (FITNESS + "Bring the legs back to the start.", None),
    (FITNESS + "Balance comes from the core of your body.", "core-of-something"),
    (FITNESS + "It sits at the very core of training.", "at-the-core"),
    (FITNESS + "Our core values matter.", "core-compound-noun"),
    (FITNESS + "A quad-core watch tracks the run.", "multi-core"),
    (FITNESS + "Ride a quad bike to the gym.", "quad-vehicle"),
    (FITNESS + "Calf liver is a recipe rich in iron.", "calf-food"),
    (FITNESS + "The cow and her calf grazed by the farm.", "calf-animal"),
    (FITNESS + "Take abs (x) of the split difference.", "abs-absolute-function"),
    (FITNESS + "Compare the abs value of each lap.", "abs-absolute-value"),
    (FITNESS + "The car's ABS light came on.", "abs-absolute-caps"),
    (FITNESS + "Avoid these traps when you start.", "traps-snare"),
    (FITNESS + "Open the camera diaphragm wide for the race photo.", "diaphragm-device"),
    (FITNESS + "The common peroneal nerve runs by the knee.", "peroneal-nerve"),
    (FITNESS + "His Achilles heel is pacing.", "achilles-heel"),
    (FITNESS + "Buy calf leather shoes.", "calf-leather"),
    (FITNESS + "The quad at the college was full of students.", "quad-campus"),
    (FITNESS + "Log the lats and longs of the route.", "lats-geo"),
    (FITNESS + "Set obliques in italic font for the poster.", "obliques-typography"),
    (FITNESS + "The drummer plays traps on the album.", "traps-music"),
    (FITNESS + "Skip glutes and wheat flour bread.", "glute-food"),
    (FITNESS + "Read the pec sheets for the new shoe.", "pecs-specs"),
    (FITNESS + "Take the abs of the integer in python.", "abs-math-context"),
    ("The abs of each reading were logged.", "abs-outside-fitness"),
    ("Four quads raced on the lake.", "quad-outside-fitness"),
    ("The calves were sold at market.", "calf-outside-fitness"),
    ("Mice ran into traps overnight.", "traps-outside-fitness"),
    ("The pecs were on display.", "lats-pecs-outside-fitness"),
]


@pytest.mark.parametrize("text, guard", SENSE_EXAMPLES)
def test_everyday_senses_are_not_muscles(find, text, guard):
    assert find(text) == []
    if guard:
        assert guard in find.stats.dropped_by_sense_guard


def test_every_sense_guard_in_the_data_file_has_an_example():
    from pipeline.common.rules import DATA_DIR
    from pipeline.extract.muscles.guards import load_sense_guards

    guards = {row["id"] for row in load_sense_guards(DATA_DIR / "muscle_sense_guards.jsonl", cached_lexicon())}
    exercised = {guard for _, guard in SENSE_EXAMPLES if guard} | {"core-outside-fitness"}  # tested below
    assert guards == exercised


def test_muscle_senses_of_the_same_words_still_match(find):
    text = (
        FITNESS + "Your core and back muscles, quads, calves, abs and traps all work. "
        "The diaphragm drives breathing and the peroneals steady the ankle."
    )
    assert {m.muscle_id for m in find(text)} == {
        "core",
        "back_muscles",
        "quadriceps",
        "calves",
        "abdominals",
        "trapezius",
        "diaphragm",
        "fibularis_group",
    }


def test_core_outside_writing_about_the_body_is_not_a_muscle(find):
    assert find("Core, peel and cube the pears.", "The deal fails to address core intellectual property.") == []
    assert find.stats.dropped_by_sense_guard["core-outside-fitness"] == 2


# --------------------------------------------------------------------------- data files


def _lines(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    "row, message",
    [
        ({"id": "g", "label": "not_a_muscle", "pattern": [{"LOWER": "x"}]}, "is not a lexicon id"),
        ({"id": "g", "label": "core", "pattern": [{"LOWER": "x"}], "context": ["x"]}, "exactly one of"),
        ({"id": "g", "label": "core", "context": ["Upper"]}, "lower-case words"),
        ({"id": "g", "label": "core", "pattern": [{"LOWERR": "x"}]}, "does not validate"),
    ],
)
def test_bad_sense_guards_name_the_file_and_guard(tmp_path, row, message):
    path = _lines(tmp_path / "guards.jsonl", [row])
    with pytest.raises(PatternError, match=message) as info:
        build_muscle_nlp(cached_lexicon(), guards_path=path)
    assert "guards.jsonl" in str(info.value)


def test_a_muscle_only_the_generated_lexicon_names_is_found_and_resolved(find):
    # Every component loads the same merged lexicon as the rulers, so an ontology-only name
    # resolves instead of failing on an id the components do not know.
    found = triples(find("Swinging poles works the coracobrachialis and the anconeus."))
    assert [m for _, m, _ in found] == ["coracobrachialis", "anconeus"]


def test_the_muscle_pipeline_finds_claim_objects_as_the_claim_pipeline_does(nlp):
    from pipeline.extract.claims import ClaimExtractor, objects_of
    from pipeline.extract.objects import add_object_pipes
    from pipeline.extract.vocabulary import cached_vocabulary

    shared = add_object_pipes(build_muscle_nlp(cached_lexicon()), cached_vocabulary())
    texts = ["Glute bridges and clamshells strengthen the gluteus medius.", "Tight calves cause shin splints."]
    blocks = [Block("doc", i, "paragraph", text) for i, text in enumerate(texts)]
    found: dict[int, list] = {}
    mentions = recognise_document(
        shared, cached_lexicon(), blocks, RecognitionStats(), lambda b, d: found.update({b.block_idx: objects_of(d)})
    )
    extractor = ClaimExtractor(cached_lexicon(), cached_vocabulary())
    separate = [objects_of(doc) for doc in extractor.nlp.pipe(texts)]
    assert [found[0], found[1]] == separate and separate[0]
    assert extractor.document(blocks, mentions, found)[0] == extractor.document(blocks, mentions)[0]
