"""`curate evaluate`: gold loading and validation, key mapping, object matching, line scoring,
and end to end on two short articles built with the real pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.evaluate import BuildError, GoldError, evaluate
from pipeline.evaluate.gold import GoldClaim, load_gold, load_key_map
from pipeline.evaluate.keys import BY_ID, BY_NAME, UNMAPPED, KeyMapping, LexiconEntry, map_keys
from pipeline.evaluate.lines import boilerplate_lines, line_fates, score_lines
from pipeline.evaluate.report import format_report, format_summary
from pipeline.evaluate.score import ACCEPTABLE, EXTRA, GOLD, ClaimMatcher, PredictedClaim
from pipeline.evaluate.text import normalise

CALVES = """Strong Calves for Runners

The calf muscles consist of the gastrocnemius and the soleus. Together they lift your heel off the ground on every stride.

The soleus is responsible for plantar flexion of the ankle. It also keeps you going late in a long race, when tired legs start to sag.

Calf raises strengthen the soleus and the gastrocnemius, so add three sets to your weekly routine and progress slowly.

Photo by a club member, used with permission.

Share on Facebook Share on Twitter Share on Pinterest
"""

HAMSTRINGS = """Why Hamstrings Matter

The hamstrings flex the knee and extend the hip, so they pull your leg back under your body before each landing.

Weak hamstrings are a common cause of hamstring strain in sprinters and in runners who add speed work too quickly.

Nordic curls strengthen the hamstrings, and a few slow repetitions twice a week are enough to start. Your quads and glutes get a rest on those days. Lunges strengthen the quads.
"""

# Keys of our own: calf_group is tied to the lexicon's calves by its UBERON id, soleus_key and
# butt by name only, so both mapping routes are exercised end to end.
KEY_MAP = """
muscles:
  calf_group: {names: [calf muscles], ids: ['UBERON:0001665']}
  gastroc: {names: [gastrocnemius], ids: ['FMA:22541']}
  soleus_key: {names: [soleus], ids: []}
  hams: {names: [hamstrings], ids: ['UBERON:0002463']}
  butt: {names: [glutes], ids: []}
  shin_front: {names: [tibialis anterior], ids: []}
  front_of_thigh_region: {names: [front of the thigh], ids: []}
"""

GOLD_YAML = """
# Two articles written for the tests.
calves:
  muscles: [calf_group, gastroc, soleus_key, shin_front]
  claims:
  - [calf_group, member, gastroc]
  - [calf_group, member, soleus_key]
  - [soleus_key, action, plantar flexion]
  - [soleus_key, exercise, calf raises]
  - [soleus_key, running_role, endurance]
  acceptable:
  - [calf_group, action, ankle plantarflexion]
  boilerplate: [Photo by a club member, Share on Facebook]
hamstrings:
  muscles: [hams]
  optional: [butt, front_of_thigh_region]
  claims:
  - [hams, action, knee flexion]
  - [hams, action, hip extension]
  - [hams, injury, pulled hamstring|hamstring strains]
  - [hams, exercise, nordic curls]
  boilerplate: []
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The two articles built with the real pipeline; the folder holds raw/, out/ and gold/."""
    root = tmp_path_factory.mktemp("evaluate")
    (root / "raw").mkdir()
    (root / "raw" / "calves.txt").write_text(CALVES, encoding="utf-8")
    (root / "raw" / "hamstrings.txt").write_text(HAMSTRINGS, encoding="utf-8")
    (root / "gold").mkdir()
    (root / "gold" / "gold.yaml").write_text(GOLD_YAML, encoding="utf-8")
    (root / "gold" / "muscle_keys.yaml").write_text(KEY_MAP, encoding="utf-8")
    argv = ["run", "--raw", str(root / "raw"), "--out", str(root / "out"), "-q"]
    argv += ["--cache-dir", str(root / "cache"), "--decisions", str(root / "decisions.yaml")]
    assert cli.main(argv) == cli.EXIT_OK
    return root


@pytest.fixture(scope="module")
def evaluation(built):
    return evaluate(built / "gold" / "gold.yaml", built / "out", built / "raw")


def _article(evaluation, key):
    return next(a for a in evaluation.articles if a.key == key)


# --------------------------------------------------------------------------- end to end


def test_the_key_map_beside_the_gold_is_used_and_unmapped_keys_are_reported(evaluation, built):
    assert evaluation.key_map_path == built / "gold" / "muscle_keys.yaml"
    assert evaluation.unmapped_keys == ["front_of_thigh_region"]


def test_muscles_found_missed_and_extra(evaluation):
    calves, hamstrings = _article(evaluation, "calves"), _article(evaluation, "hamstrings")
    assert calves.muscles.found == ["calf_group", "gastroc", "soleus_key"]
    assert calves.muscles.missed == ["shin_front"]
    # quads are named but not annotated: a false positive; glutes map to an optional key: ignored.
    assert hamstrings.muscles.extra == ["quadriceps"]
    precision, recall = evaluation.muscles()
    assert (precision.hits, precision.total, recall.hits, recall.total) == (4, 5, 4, 5)


def test_claims_found_missed_and_extra(evaluation):
    calves = _article(evaluation, "calves").claims
    assert [str(claim) for claim in calves.missed] == ["soleus_key running_role endurance"]
    verdicts = {(c.muscle_id, c.relation, c.object_id): c.verdict for c in calves.predicted}
    assert verdicts[("soleus", "action", "ankle_plantarflexion")] == GOLD  # "plantar flexion" is a vocabulary phrase
    assert verdicts[("calves", "action", "ankle_plantarflexion")] == ACCEPTABLE
    assert verdicts[("gastrocnemius", "exercise", "calf_raise")] == EXTRA
    assert (calves.precision.hits, calves.precision.total) == (5, 6)
    assert (calves.recall.hits, calves.recall.total) == (4, 5)
    hamstrings = _article(evaluation, "hamstrings").claims
    assert hamstrings.missed == []  # "nordic curls" matches a phrase of hamstring curl
    assert [(c.muscle_id, c.object_id) for c in hamstrings.predicted if c.verdict == EXTRA] == [("quadriceps", "lunge")]
    precision, recall = evaluation.claims()
    assert (precision.hits, precision.total, recall.hits, recall.total) == (9, 11, 8, 9)


def test_claims_per_relation(evaluation):
    relations = evaluation.relations()
    counts = {name: (p.hits, p.total, r.hits, r.total) for name, (p, r) in relations.items()}
    assert counts == {
        "action": (4, 4, 3, 3),
        "running_role": (0, 0, 0, 1),
        "exercise": (2, 4, 2, 2),
        "stretch": (0, 0, 0, 0),
        "injury": (1, 1, 1, 1),
        "member": (2, 2, 2, 2),
    }


def test_boilerplate_lines(evaluation):
    lines = _article(evaluation, "calves").lines
    assert (lines.boilerplate, lines.boilerplate_removed) == (2, 1)
    assert [(line.number, line.text) for line in lines.wrongly_kept] == [
        (9, "Photo by a club member, used with permission.")
    ]
    assert (lines.content, lines.content_kept) == (4, 4)  # the title line counts as kept
    kept, removed = evaluation.lines()
    assert (kept.hits, kept.total, removed.hits, removed.total) == (8, 8, 1, 2)


def test_text_report_lists_misses_and_extras_with_their_evidence(evaluation):
    report = format_report(evaluation)
    assert "calves: soleus_key running_role endurance" in report
    assert "gastrocnemius exercise calf raise [exercise_target]" in report
    assert '"Calf raises strengthen the soleus and the gastrocnemius' in report
    assert "calves:9  Photo by a club member" in report
    assert "claims    precision 0.82 (9/11)" in format_summary(evaluation, "test")


def test_cli_json_has_a_stable_key_order(built, capsys):
    argv = ["evaluate", str(built / "gold" / "gold.yaml"), "--out", str(built / "out"), "--raw", str(built / "raw")]
    assert cli.main([*argv, "--json", "--only", "hamstrings"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["gold", "key_map", "out", "raw", "totals", "unmapped_keys", "keys", "articles"]
    assert data["keys"]["butt"] == {"mapped_by": "name", "lexicon_ids": ["gluteals"]}
    assert data["keys"]["hams"] == {"mapped_by": "id", "lexicon_ids": ["hamstrings"]}
    assert [a["key"] for a in data["articles"]] == ["hamstrings"]
    assert data["totals"]["claims"]["precision"] == {"value": 0.8, "hits": 4, "total": 5}
    assert data["articles"][0]["claims"]["extra"][0]["rule_id"] == "exercise_target"


def test_cli_text_report(built, capsys):
    argv = ["evaluate", str(built / "gold" / "gold.yaml"), "--out", str(built / "out"), "--raw", str(built / "raw")]
    assert cli.main(argv) == cli.EXIT_OK
    assert "missed gold claims (1)" in capsys.readouterr().out
    saved = json.loads((built / "out" / "evaluation.json").read_text())  # for the report
    assert set(saved["totals"]) >= {"muscles", "claims"}


def test_without_a_key_map_gold_keys_are_lexicon_ids(built, tmp_path):
    gold = tmp_path / "gold.yaml"  # no muscle_keys.yaml beside it
    gold.write_text(
        "hams_article:\n  file: hamstrings.txt\n  muscles: [hamstrings, gluteals, no_such_muscle]\n"
        "  claims:\n  - [hamstrings, action, knee flexion]\n"
    )
    result = evaluate(gold, built / "out", built / "raw")
    (article,) = result.articles
    assert result.key_map_path is None and result.unmapped_keys == ["no_such_muscle"]
    assert article.muscles.found == ["gluteals", "hamstrings"] and article.muscles.extra == ["quadriceps"]
    assert article.lines is None  # the entry does not annotate boilerplate
    assert (article.claims.precision.hits, article.claims.precision.total) == (1, 5)


def test_a_raw_file_that_is_not_the_built_one_is_noted_not_scored(built, tmp_path):
    (tmp_path / "calves.txt").write_text(CALVES.replace("Strong", "Stronger"))
    result = evaluate(built / "gold" / "gold.yaml", built / "out", tmp_path, only=["calves"])
    assert result.articles[0].lines is None
    assert "not the file that was built" in result.articles[0].notes[0]


def test_missing_build_and_missing_document_exit_two(built, tmp_path, capsys):
    gold = str(built / "gold" / "gold.yaml")
    assert cli.main(["evaluate", gold, "--out", str(tmp_path)]) == cli.EXIT_CANNOT_RUN
    assert "holds no complete build" in capsys.readouterr().err
    other = tmp_path / "gold.yaml"
    other.write_text("elsewhere:\n  muscles: [soleus]\n")
    with pytest.raises(BuildError, match="no document 'elsewhere.txt'"):
        evaluate(other, built / "out", built / "raw")
    assert cli.main(["evaluate", str(tmp_path / "nope.yaml"), "--out", str(built / "out")]) == cli.EXIT_CANNOT_RUN
    assert "nope.yaml: no such file" in capsys.readouterr().err


def test_only_an_unknown_article_is_an_error(built):
    with pytest.raises(GoldError, match="no article 'shins'"):
        evaluate(built / "gold" / "gold.yaml", built / "out", built / "raw", only=["shins"])


# --------------------------------------------------------------------------- malformed gold


@pytest.mark.parametrize(
    "text, message",
    [
        ("a:\n  muscles: [x]\n  claims:\n  - [x, strengthens, y]\n", "article 'a', claims[0]: relation 'strengthens'"),
        (
            "a:\n  muscles: [x]\n  claims:\n  - [x, action]\n",
            "article 'a', claims[0]: expected [muscle, relation, object]",
        ),
        ("a:\n  muscles: [x]\n  acceptible: []\n", "article 'a': unknown field 'acceptible'"),
        ("a:\n  optional: [x]\n", "article 'a': missing field 'muscles'"),
        ("a:\n  muscles: x\n", "article 'a', muscles: expected a list"),
        ("a:\n  muscles: [x, '']\n", "article 'a', muscles[1]: expected a non-empty string"),
        ("a:\n  muscles: [x]\n  claims:\n  - [x, action, ' | ']\n", "must not be empty"),
        ("a:\n  muscles: [x]\na:\n  muscles: [y]\n", "gold.yaml:3: not valid YAML (duplicate key 'a')"),
        ("a:\n  muscles: [x\n", "gold.yaml:3: not valid YAML"),
        ("- a\n- b\n", "expected a mapping of article keys"),
    ],
)
def test_malformed_gold_names_the_file_and_the_entry(tmp_path, text, message):
    path = tmp_path / "gold.yaml"
    path.write_text(text)
    with pytest.raises(GoldError) as error:
        load_gold(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_malformed_gold_exits_two_with_the_message(built, tmp_path, capsys):
    path = tmp_path / "gold.yaml"
    path.write_text("a:\n  muscles: [x]\n  claims:\n  - [x, strengthens, y]\n")
    assert cli.main(["evaluate", str(path), "--out", str(built / "out")]) == cli.EXIT_CANNOT_RUN
    assert "relation 'strengthens' is not one of action" in capsys.readouterr().err


def test_a_gold_key_missing_from_the_key_map_is_an_error(built, tmp_path):
    (tmp_path / "muscle_keys.yaml").write_text(KEY_MAP)
    (tmp_path / "gold.yaml").write_text("calves:\n  muscles: [calf_group, solues_key]\n")
    with pytest.raises(GoldError, match="muscle key 'solues_key' is not in"):
        evaluate(tmp_path / "gold.yaml", built / "out", built / "raw")


@pytest.mark.parametrize(
    "text, message",
    [
        ("muscles:\n  a: {names: [x], ids: ['UBERON 1']}\n", "muscle 'a', ids[0]: 'UBERON 1' is not an ontology id"),
        ("muscles:\n  a: [x]\n", "muscle 'a': expected a mapping with 'names' and 'ids'"),
        ("keys:\n  a: {names: [x]}\n", "expected a mapping with a 'muscles' mapping"),
    ],
)
def test_malformed_key_map(tmp_path, text, message):
    path = tmp_path / "muscle_keys.yaml"
    path.write_text(text)
    with pytest.raises(GoldError, match=re.escape(message)):
        load_key_map(path)


# --------------------------------------------------------------------------- key mapping

LEXICON = [
    LexiconEntry.from_row(
        {"muscle_id": "calves", "name": "triceps surae", "uberon_id": "UBERON:0001665", "synonyms": ["calf muscles"]}
    ),
    LexiconEntry.from_row({"muscle_id": "soleus", "name": "soleus", "fma_id": "FMA:22542"}),
    LexiconEntry.from_row({"muscle_id": "hip_flexors", "name": "hip flexors", "synonyms": ["hip flexor"]}),
    LexiconEntry.from_row({"muscle_id": "back_muscles", "name": "back muscles", "synonyms": ["upper back muscles"]}),
]


def _key_map(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "muscle_keys.yaml"
    path.write_text(text)
    return load_key_map(path)


def test_keys_map_by_ontology_id_before_name(tmp_path):
    # Named "soleus" but carrying the calves' id: the id wins, the name is not consulted.
    keys = _key_map(tmp_path, "muscles:\n  odd: {names: [soleus], ids: ['uberon_0001665']}\n")
    mapping = map_keys(keys, LEXICON, [])
    assert mapping.ids("odd") == {"calves"} and mapping.method["odd"] == BY_ID


def test_keys_fall_back_to_names_folded_for_case_hyphens_and_plurals(tmp_path):
    text = (
        "muscles:\n  flexors: {names: [Hip-Flexor], ids: ['UBERON:0009999']}\n  calf: {names: [Calf Muscle], ids: []}\n"
    )
    mapping = map_keys(_key_map(tmp_path, text), LEXICON, [])
    assert mapping.ids("flexors") == {"hip_flexors"} and mapping.method["flexors"] == BY_NAME
    assert mapping.ids("calf") == {"calves"}


def test_a_key_may_map_to_several_ids_and_an_id_to_several_keys(tmp_path):
    text = "muscles:\n  back: {names: [back muscles, upper back muscles], ids: []}\n  upper_back: {names: [upper back muscles], ids: []}\n  legs: {names: [legs], ids: []}\n"
    mapping = map_keys(_key_map(tmp_path, text), LEXICON, ["legs"])
    assert mapping.keys("back_muscles") == {"back", "upper_back"}
    assert mapping.method["legs"] == UNMAPPED and mapping.unmapped(["legs", "back"]) == ["legs"]


def test_a_mention_of_a_multi_key_id_counts_for_the_gold_key(tmp_path):
    from pipeline.evaluate.gold import GoldArticle
    from pipeline.evaluate.score import score_muscles

    mapping = KeyMapping({"back": frozenset({"back_muscles"}), "upper_back": frozenset({"back_muscles"})}, {})
    article = GoldArticle("a", "a.txt", muscles=("upper_back",))
    score = score_muscles(article, {"back_muscles", "soleus"}, mapping)
    assert (score.found, score.missed, score.extra) == (["upper_back"], [], ["soleus"])


# --------------------------------------------------------------------------- object matching


@pytest.mark.parametrize(
    "a, b",
    [
        ("Runner’s Knee", "runners knee"),
        ("runners' knee", "runner's knee"),
        ("IT-band syndrome", "it band syndromes"),
        ("Single-Leg Calf Raises", "single leg calf raise"),
        ("crunches", "crunch"),
        ("calves", "calf"),
        ("shin splints", "shin-splint"),
    ],
)
def test_normalise_folds_case_punctuation_possessives_and_plurals(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize("a, b", [("gluteus medius", "gluteu mediu"), ("hip flexion", "hip extension"), ("abs", "ab")])
def test_normalise_keeps_distinct_words_apart(a, b):
    assert normalise(a) != normalise(b)


def _claim(relation: str, object_id: str, label: str, muscle_id: str = "soleus") -> PredictedClaim:
    return PredictedClaim(muscle_id, relation, object_id, label, "sentence", "rule")


@pytest.fixture
def matcher() -> ClaimMatcher:
    mapping = KeyMapping({"sol": frozenset({"soleus"}), "calf": frozenset({"calves"})}, {})
    phrases = {("exercise", "calf_raise"): ("calf raise", "heel raise"), ("injury", "shin_splints"): ("shin splints",)}
    return ClaimMatcher(mapping, phrases)


def test_objects_match_the_label_or_a_vocabulary_phrase(matcher):
    assert matcher.matches(
        _claim("exercise", "calf_raise", "calf raise"), GoldClaim("sol", "exercise", ("Heel Raises",))
    )
    assert matcher.matches(
        _claim("exercise", "calf_raise", "calf raise"), GoldClaim("sol", "exercise", ("squat", "calf-raise"))
    )
    assert not matcher.matches(_claim("exercise", "calf_raise", "calf raise"), GoldClaim("sol", "exercise", ("squat",)))


def test_subject_and_relation_must_agree(matcher):
    claim = _claim("exercise", "calf_raise", "calf raise")
    assert not matcher.matches(claim, GoldClaim("calf", "exercise", ("calf raise",)))
    assert not matcher.matches(claim, GoldClaim("sol", "stretch", ("calf raise",)))


def test_an_object_outside_the_vocabulary_matches_by_its_label(matcher):
    candidate = _claim("injury", "candidate:tennis_leg", "tennis leg")
    assert matcher.matches(candidate, GoldClaim("sol", "injury", ("Tennis Leg",)))


def test_member_objects_are_keys_mapped_like_subjects(matcher):
    member = _claim("member", "soleus", "soleus", muscle_id="calves")
    assert matcher.matches(member, GoldClaim("calf", "member", ("sol",)))
    assert not matcher.matches(member, GoldClaim("calf", "member", ("calf",)))


# --------------------------------------------------------------------------- boilerplate lines


def test_repeated_openings_mark_the_later_lines():
    lines = ["A Title", "", "Share this", "A Title", "Body text.", "Share this"]
    marked, unmatched = boilerplate_lines(lines, ("A Title", "share THIS", "share this", "Not there"))
    assert marked == {3, 4, 6} and unmatched == ["Not there"]


def test_a_longer_opening_chooses_its_line_first():
    lines = ["Read more about hills", "Read more"]
    marked, _ = boilerplate_lines(lines, ("Read more", "Read more about hills"))
    assert marked == {1, 2}
    marked, _ = boilerplate_lines(lines, ("Read more about hills",))
    assert marked == {1}


def test_a_title_removed_as_metadata_counts_as_kept():
    blocks = [
        {"kind": "title", "kept": False, "removal_reason": "metadata", "line_start": 1, "line_end": 1},
        {"kind": "paragraph", "kept": False, "removal_reason": "metadata", "line_start": 2, "line_end": 2},
        {"kind": "paragraph", "kept": True, "removal_reason": None, "line_start": 3, "line_end": 4},
    ]
    assert line_fates(blocks) == {1: None, 2: "metadata", 3: None, 4: None}
    score = score_lines(["Title", "By Someone", "Body", "more body", "", "stray"], ("By Someone",), blocks)
    assert (score.content, score.content_kept, score.boilerplate, score.boilerplate_removed) == (4, 3, 1, 1)
    assert [(line.number, line.removal_reason) for line in score.wrongly_removed] == [(6, "not in any block")]
