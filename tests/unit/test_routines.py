"""Routines (domain.md section 5), with no database."""

import pytest

from app.catalog.data import psoas_ladder, read_data_file
from app.domain.ladder import BandTension as B
from app.domain.ladder import Position
from app.domain.routines import build_routine
from app.domain.rules import HOLD_SECONDS, REPS, SETS_BY_CONTEXT, Context

LADDER = psoas_ladder(read_data_file())


def test_activation_is_the_current_level_before_the_main_work():
    (block,) = build_routine(Context.ACTIVATION, Position(4, B.HEAVY), LADDER)
    assert block.exercise == "side-plank-banded-psoas-hold"
    assert block.band is B.HEAVY
    assert block.sets in SETS_BY_CONTEXT[Context.ACTIVATION]
    assert "before the main training" in str(block.notes)


def test_recovery_day_climbs_from_level_one_to_the_current_level_lighter():
    blocks = build_routine(Context.RECOVERY_DAY, Position(5, B.MEDIUM, True), LADDER)
    assert [b.exercise for b in blocks] == list(LADDER.exercises)
    assert [b.band for b in blocks] == [B.NONE, B.NONE, B.LIGHT, B.LIGHT, B.LIGHT]
    assert not any(b.shoulder_flexion for b in blocks)


def test_recovery_day_lowers_the_current_level_one_notch():
    blocks = build_routine(Context.RECOVERY_DAY, Position(4, B.EXTRA_HEAVY), LADDER)
    assert [b.band for b in blocks] == [B.NONE, B.NONE, B.LIGHT, B.HEAVY]


def test_recovery_day_never_goes_below_light():
    blocks = build_routine(Context.RECOVERY_DAY, Position(3, B.LIGHT), LADDER)
    assert blocks[-1].band is B.LIGHT


def test_recovery_day_on_level_one_is_one_block():
    blocks = build_routine(Context.RECOVERY_DAY, Position(1, B.NONE), LADDER)
    assert [b.exercise for b in blocks] == ["supine-psoas-activation"]


def test_filler_is_one_set_of_the_current_level_between_sets_of_the_named_lift():
    (block,) = build_routine(
        Context.FILLER, Position(2, B.NONE), LADDER, pair_with="Romanian deadlift"
    )
    assert (block.exercise, block.sets) == ("standing-psoas-activation", 1)
    assert "Romanian deadlift" in str(block.notes)


def test_complementary_scissor_work_is_added_on_request():
    blocks = build_routine(
        Context.ACTIVATION, Position(1, B.NONE), LADDER, include_complementary=True
    )
    assert [b.exercise for b in blocks[1:]] == ["deep-lunge", "high-box-step-up"]
    assert build_routine(Context.ACTIVATION, Position(1, B.NONE), LADDER)[-1].exercise == (
        "supine-psoas-activation"
    )


@pytest.mark.parametrize("context", list(Context))
@pytest.mark.parametrize("position", [Position(1, B.NONE), Position(5, B.EXTRA_HEAVY, True)])
def test_every_block_is_per_side_and_within_the_rule_ranges(context, position):
    scissor_work = context is not Context.FILLER
    for block in build_routine(context, position, LADDER, include_complementary=scissor_work):
        assert block.per_side
        assert block.reps in REPS
        assert block.hold_seconds in HOLD_SECONDS
        assert block.sets in SETS_BY_CONTEXT[context]
