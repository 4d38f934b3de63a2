"""The catalog data file says what domain.md and the API contract say."""

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
