"""The catalog data file says what domain.md and the API contract say."""

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from app.catalog.data import (
    DATA_FILE,
    CatalogDataError,
    check_catalog,
    parse_catalog,
    read_data_file,
)
from app.domain.rules import rule_values

ARTICLE = Path(__file__).resolve().parents[2] / "app" / "catalog" / "source-article.txt"
DATA = read_data_file()


ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")


def test_exercises_are_the_contract_slugs_at_their_levels():
    levels = {e.slug: e.level for e in DATA.exercises}
    assert levels == {
        "supine-psoas-activation": 1,
        "standing-psoas-activation": 2,
        "half-kneeling-banded-psoas-hold": 3,
        "side-plank-banded-psoas-hold": 4,
        "standing-banded-psoas-hold": 5,
        "deep-lunge": None,
        "high-box-step-up": None,
    }


def test_only_levels_three_to_five_take_a_band():
    assert {e.level for e in DATA.exercises if e.takes_band} == {3, 4, 5}


def test_side_plank_adds_the_frontal_plane():
    planes = {e.slug: e.planes for e in DATA.exercises}
    assert planes["side-plank-banded-psoas-hold"] == ["sagittal", "frontal"]
    assert all(p == ["sagittal"] for s, p in planes.items() if s != "side-plank-banded-psoas-hold")


def test_complementary_lifts_train_the_opposing_glute():
    for exercise in DATA.exercises:
        if exercise.role == "complementary":
            assert "gluteus-maximus" in exercise.muscles


def test_muscles_are_the_contract_slugs():
    assert {m.slug for m in DATA.muscles} == {
        "psoas-major",
        "psoas-minor",
        "iliacus",
        "gluteus-maximus",
    }


def test_muscles_carry_textbook_attachments_not_the_articles():
    muscles = {m.slug: m for m in DATA.muscles}
    assert "T12-L4" in muscles["psoas-major"].origin
    assert "L1-L5" in muscles["psoas-major"].origin
    assert "lesser trochanter" in muscles["psoas-major"].insertion.lower()
    assert "T12-L1" in muscles["psoas-minor"].origin
    assert "pectineal line" in muscles["psoas-minor"].insertion.lower()
    assert "iliac fossa" in muscles["iliacus"].origin.lower()
    assert "lesser trochanter" in muscles["iliacus"].insertion.lower()
    for muscle in DATA.muscles:
        assert "pelvic crest" not in muscle.insertion
        assert muscle.source_note and muscle.source_note.startswith("Project decision")


CONTRACT_RULES = {
    "hold-duration",
    "repetitions",
    "usage-context",
    "band-tension",
    "shoulder-flexion",
    "strict-form",
    "high-hip-flexion",
}
ENGINE_RULES = {
    "sets-per-context",
    "counting-rep",
    "mastered-set",
    "falling-short",
    "in-range-targets",
    "step-up",
    "step-down",
    "restart-after-change",
    "workout-verdict",
    "pain",
    "layoff",
    "plateau",
    "assessment",
    "ladder-ends",
    "history",
}


def test_rules_are_the_contract_slugs_and_the_engines_own():
    rules = {r.slug: r for r in DATA.rules}
    assert set(rules) == CONTRACT_RULES | ENGINE_RULES
    assert {s for s, r in rules.items() if r.decided_by == "article"} == CONTRACT_RULES
    assert {s for s, r in rules.items() if r.decided_by == "project"} == ENGINE_RULES


def test_rule_values_are_the_contracts():
    rules = {r.slug: r for r in DATA.rules}
    assert (rules["hold-duration"].min, rules["hold-duration"].max) == (2, 5)
    assert rules["hold-duration"].unit == "s"
    assert (rules["repetitions"].min, rules["repetitions"].max) == (3, 5)
    assert rules["band-tension"].values == ["none", "light", "medium", "heavy", "extra_heavy"]
    assert rules["usage-context"].values == ["activation", "recovery_day", "filler"]
    assert (rules["high-hip-flexion"].min, rules["high-hip-flexion"].max) == (20, 30)


def test_rule_values_come_from_the_domain_not_the_data_file():
    rules = {r.slug: r for r in DATA.rules}
    for slug, values in rule_values().items():
        assert (rules[slug].min, rules[slug].max, rules[slug].unit) == (
            values.min,
            values.max,
            values.unit,
        )
        assert rules[slug].values == values.values
        assert rules[slug].parameters == values.parameters
    assert "{" not in "".join(r.statement for r in DATA.rules)  # every placeholder filled


def test_a_data_file_giving_a_rules_numbers_is_refused():
    document = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    document["rules"][0]["min"] = 1
    with pytest.raises(CatalogDataError, match="app/domain/rules.py"):
        parse_catalog(document)


@pytest.mark.parametrize(
    "record",
    [*DATA.exercises, *DATA.rules, *DATA.muscles, *DATA.ladders],
    ids=lambda record: record.slug,
)
def test_every_source_quotes_the_article_verbatim(record):
    assert record.source in ARTICLE_TEXT


def test_the_ladder_lists_the_five_levels_in_order():
    (ladder,) = DATA.ladders
    assert ladder.slug == "psoas"
    levels = {e.slug: e.level for e in DATA.exercises}
    assert [levels[slug] for slug in ladder.levels] == [1, 2, 3, 4, 5]


def test_a_duplicate_slug_is_refused():
    broken = replace(DATA, muscles=[*DATA.muscles, DATA.muscles[0]])
    with pytest.raises(CatalogDataError, match="duplicate"):
        check_catalog(broken)


def test_an_exercise_naming_an_unknown_muscle_is_refused():
    exercise = replace(DATA.exercises[0], muscles=["quadriceps"])
    with pytest.raises(CatalogDataError, match="unknown muscles"):
        check_catalog(replace(DATA, exercises=[exercise, *DATA.exercises[1:]]))


def test_a_ladder_out_of_order_is_refused():
    ladder = replace(DATA.ladders[0], levels=list(reversed(DATA.ladders[0].levels)))
    with pytest.raises(CatalogDataError, match="level 1"):
        check_catalog(replace(DATA, ladders=[ladder]))


def words(text: str) -> list[str]:
    """The words of a text in order, folded, with the article's curly apostrophes made plain."""
    return re.findall(r"[a-z0-9'-]+", text.casefold().replace("’", "'"))


ARTICLE_WORDS = words(ARTICLE_TEXT)
ARTICLE_PHRASES = {tuple(ARTICLE_WORDS[i : i + 4]) for i in range(len(ARTICLE_WORDS) - 3)}


def test_the_psoas_pronunciation_is_the_articles():
    assert "“so-es,”" in ARTICLE_TEXT and "the “p” is silent" in ARTICLE_TEXT
    muscles = {m.slug: m for m in DATA.muscles}
    for slug in ("psoas-major", "psoas-minor"):
        assert muscles[slug].pronunciation == "so-es (the p is silent)"
    # The article gives no other pronunciation; nothing else may claim one.
    assert muscles["iliacus"].pronunciation is None
    assert muscles["gluteus-maximus"].pronunciation is None
    for muscle in DATA.muscles:
        assert "SO-az" not in " ".join([muscle.pronunciation or "", *muscle.notes])


def catalog_texts():
    for exercise in DATA.exercises:
        yield exercise.slug, [exercise.name, exercise.goal, *exercise.cues]
    for muscle in DATA.muscles:
        yield muscle.slug, [muscle.name, *muscle.notes, *muscle.actions]
    for ladder in DATA.ladders:
        yield ladder.slug, [ladder.name, ladder.description]


def test_no_catalog_text_calls_level_five_the_hardest():
    # The article: "arguably one of the toughest psoas variations", not the hardest.
    for slug, texts in catalog_texts():
        for text in texts:
            folded = text.casefold()
            assert "hardest" not in folded, (slug, text)
            assert "the toughest" not in folded.replace("one of the toughest", ""), (slug, text)
    level_five = next(e for e in DATA.exercises if e.level == 5)
    assert "arguably one of the toughest" in level_five.goal
    assert "arguably one of the toughest psoas variations" in level_five.source


@pytest.mark.parametrize("exercise", DATA.exercises, ids=lambda exercise: exercise.slug)
def test_every_cue_says_who_decided_it(exercise):
    assert len(exercise.cues_decided_by) == len(exercise.cues)
    assert set(exercise.cues_decided_by) <= {"article", "project"}


MARKED_CUES = [
    (exercise.slug, cue, by)
    for exercise in DATA.exercises
    for cue, by in zip(exercise.cues, exercise.cues_decided_by, strict=True)
]


@pytest.mark.parametrize("cue", sorted({cue for _s, cue, by in MARKED_CUES if by == "article"}))
def test_a_cue_marked_article_is_in_the_articles_words(cue):
    # Every word is the article's, and at least four in a row are as the article says them.
    cue_words = words(cue)
    assert set(cue_words) <= set(ARTICLE_WORDS), set(cue_words) - set(ARTICLE_WORDS)
    runs = {tuple(cue_words[i : i + 4]) for i in range(len(cue_words) - 3)}
    assert runs & ARTICLE_PHRASES, cue


def test_the_articles_own_cues_are_marked_as_the_articles():
    marked = {(slug, cue): by for slug, cue, by in MARKED_CUES}
    article = {key for key, by in marked.items() if by == "article"}
    assert ("standing-psoas-activation", "Drive the leg up past hip level.") in article
    assert any("final 20-30 degrees" in cue for _slug, cue in article)
    strict = {slug for slug, cue in article if cue == "Don't slack: keep your form strict."}
    assert strict == {e.slug for e in DATA.exercises if e.role == "ladder"}
    scissor = {slug for slug, cue in article if cue.startswith("Scissor pattern")}
    assert scissor == {"deep-lunge", "high-box-step-up"}
    # Most cues are the project's: the article gives almost none.
    assert sum(by == "project" for by in marked.values()) > len(article)


def test_cue_markers_must_match_the_cues():
    exercise = DATA.exercises[0]
    too_few = replace(exercise, cues_decided_by=exercise.cues_decided_by[:-1])
    with pytest.raises(CatalogDataError, match="one entry per cue"):
        check_catalog(replace(DATA, exercises=[too_few, *DATA.exercises[1:]]))
    unknown = replace(exercise, cues_decided_by=["coach"] * len(exercise.cues))
    with pytest.raises(CatalogDataError, match="unknown cues_decided_by"):
        check_catalog(replace(DATA, exercises=[unknown, *DATA.exercises[1:]]))


def test_a_data_file_without_cue_markers_is_refused():
    document = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    del document["exercises"][0]["cues_decided_by"]
    with pytest.raises(CatalogDataError, match="cues_decided_by"):
        parse_catalog(document)
