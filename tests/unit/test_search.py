"""Exercise filters, search and order, without a database."""

from hypothesis import assume, given
from hypothesis import strategies as st

from app.catalog.data import read_data_file
from app.catalog.search import ExerciseFilters, filter_exercises, matches_query

DATA = read_data_file()
MUSCLES = {m.slug: m for m in DATA.muscles}


def slugs(filters: ExerciseFilters) -> list[str]:
    return [e.slug for e in filter_exercises(DATA.exercises, filters, MUSCLES)]


def test_order_is_level_then_slug_with_complementary_lifts_last():
    assert slugs(ExerciseFilters()) == [
        "supine-psoas-activation",
        "standing-psoas-activation",
        "half-kneeling-banded-psoas-hold",
        "side-plank-banded-psoas-hold",
        "standing-banded-psoas-hold",
        "deep-lunge",
        "high-box-step-up",
    ]


def test_each_filter_narrows_the_list():
    assert slugs(ExerciseFilters(level=4)) == ["side-plank-banded-psoas-hold"]
    assert slugs(ExerciseFilters(role="complementary")) == ["deep-lunge", "high-box-step-up"]
    assert slugs(ExerciseFilters(plane="frontal")) == ["side-plank-banded-psoas-hold"]
    assert slugs(ExerciseFilters(position="standing")) == [
        "standing-psoas-activation",
        "standing-banded-psoas-hold",
        "high-box-step-up",
    ]
    assert slugs(ExerciseFilters(equipment="box")) == ["high-box-step-up"]
    assert len(slugs(ExerciseFilters(equipment="resistance-band"))) == 3
    assert slugs(ExerciseFilters(muscle="gluteus-maximus")) == ["deep-lunge", "high-box-step-up"]


def test_equipment_none_means_body_weight_only():
    assert slugs(ExerciseFilters(equipment="none")) == [
        "supine-psoas-activation",
        "standing-psoas-activation",
        "deep-lunge",
    ]


def test_filters_combine_with_and():
    assert slugs(ExerciseFilters(position="standing", equipment="resistance-band")) == [
        "standing-banded-psoas-hold"
    ]


def test_q_searches_names_ignoring_case():
    assert slugs(ExerciseFilters(q="SIDE plank")) == ["side-plank-banded-psoas-hold"]


def test_q_searches_cues():
    # "knee towards your chest" only appears in the supine level's cues.
    assert slugs(ExerciseFilters(q="chest")) == ["supine-psoas-activation"]


def test_q_searches_muscle_names():
    assert slugs(ExerciseFilters(q="Gluteus Maximus")) == ["deep-lunge", "high-box-step-up"]


def test_q_with_no_match_is_empty():
    assert slugs(ExerciseFilters(q="bench press")) == []


@given(st.text(min_size=1, max_size=30))
def test_q_ignores_case(q):
    # A few characters change when upper-cased and folded back (e.g. "ı" -> "I" -> "i").
    assume(q.upper().casefold() == q.casefold())
    assert slugs(ExerciseFilters(q=q)) == slugs(ExerciseFilters(q=q.upper()))


@given(st.lists(st.sampled_from(["band", "hold", "psoas", "knee", "hip"]), min_size=1))
def test_more_terms_never_widen_the_result(terms):
    narrower = set(slugs(ExerciseFilters(q=" ".join(terms))))
    assert narrower <= set(slugs(ExerciseFilters(q=terms[0])))


def test_matches_query_needs_every_term():
    assert matches_query("standing banded psoas hold", "hold band")
    assert not matches_query("standing banded psoas hold", "hold supine")


def test_q_scissor_finds_the_two_complementary_scissor_lifts():
    # The article: "scissor" type positions (one leg up, one down) ... deep lunges and
    # high-box step-ups. The lifts' own cue says so; q keeps to names, cues and muscles.
    assert slugs(ExerciseFilters(q="scissor")) == ["deep-lunge", "high-box-step-up"]
    assert slugs(ExerciseFilters(q="SCISSOR pattern")) == ["deep-lunge", "high-box-step-up"]


def test_q_searches_only_names_cues_and_muscle_names():
    # Goals are not searched: "gravity" is only in level 2's goal.
    assert "gravity" in next(e for e in DATA.exercises if e.level == 2).goal
    assert slugs(ExerciseFilters(q="gravity")) == []
