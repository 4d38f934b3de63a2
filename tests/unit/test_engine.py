"""The progression engine, rule by rule (domain.md section 4), with no database."""

import pytest

from app.domain.engine import Decision, Rep, Verdict, evaluate, in_range_targets, judge
from app.domain.ladder import BandTension as B
from app.domain.ladder import Position
from app.domain.rules import Targets

GOOD = Rep(5, True, True)


def reps(*holds: float, strict: bool = True, high: bool = True) -> list[Rep]:
    return [Rep(h, strict, high) for h in holds]


def rules_of(evaluation) -> list[str]:
    return [reason.rule for reason in evaluation.reasons]


# --- what counts, and the three verdicts


def test_a_rep_counts_from_two_seconds_with_strict_form_and_high_flexion():
    assert Rep(2, True, True).counts
    assert not Rep(1.99, True, True).counts
    assert not Rep(5, False, True).counts
    assert not Rep(5, True, False).counts


def test_five_counting_reps_of_five_seconds_are_mastered():
    assert judge(reps(5, 5, 5, 5, 5))[0] is Verdict.MASTERED


def test_four_reps_of_five_seconds_are_only_in_range():
    assert judge(reps(5, 5, 5, 5))[0] is Verdict.IN_RANGE


def test_five_reps_with_one_under_five_seconds_are_in_range():
    assert judge(reps(5, 5, 5, 5, 4.9))[0] is Verdict.IN_RANGE


def test_reps_without_high_flexion_do_not_count_towards_mastery():
    assert judge(reps(5, 5, 5, 5) + reps(5, high=False))[0] is Verdict.IN_RANGE


def test_fewer_than_three_counting_reps_fall_short():
    assert judge(reps(5, 5) + reps(1, 1, 1))[0] is Verdict.FALLS_SHORT
    assert judge(reps(2, 2, 2))[0] is Verdict.IN_RANGE


def test_one_broken_rep_keeps_a_set_from_mastery_but_does_not_sink_it():
    verdict, reason = judge(reps(5, 5, 5, 5, 5) + reps(5, strict=False))
    assert verdict is Verdict.IN_RANGE
    assert "broke form" in reason.message


def test_two_broken_reps_fall_short_whatever_else_the_set_did():
    assert judge(reps(5, 5, 5, 5, 5) + reps(5, 5, strict=False))[0] is Verdict.FALLS_SHORT


# --- stepping up


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Position(1, B.NONE), Position(2, B.NONE)),
        (Position(1, B.NONE, True), Position(2, B.NONE)),  # the add-on is dropped
        (Position(2, B.NONE), Position(3, B.LIGHT)),
        (Position(3, B.LIGHT), Position(3, B.MEDIUM)),
        (Position(4, B.HEAVY, True), Position(4, B.EXTRA_HEAVY, True)),
        (Position(3, B.EXTRA_HEAVY), Position(3, B.EXTRA_HEAVY, True)),
        (Position(3, B.EXTRA_HEAVY, True), Position(4, B.LIGHT)),
        (Position(4, B.EXTRA_HEAVY, True), Position(5, B.LIGHT)),
    ],
)
def test_a_mastered_set_steps_up_in_the_ladders_order(before, after):
    evaluation = evaluate(before, reps(5, 5, 5, 5, 5))
    assert evaluation.decision is Decision.UP
    assert evaluation.next.position == after
    assert "step-up" in rules_of(evaluation)


def test_at_the_very_top_a_mastered_set_stays_and_says_the_ladder_is_complete():
    evaluation = evaluate(Position(5, B.EXTRA_HEAVY, True), reps(5, 5, 5, 5, 5))
    assert evaluation.decision is Decision.STAY
    assert evaluation.next.position == Position(5, B.EXTRA_HEAVY, True)
    (end,) = [r for r in evaluation.reasons if r.rule == "ladder-ends"]
    assert "complete" in end.message


# --- stepping down


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Position(5, B.MEDIUM, True), Position(5, B.MEDIUM)),  # add-on first, same band
        (Position(2, B.NONE, True), Position(2, B.NONE)),
        (Position(1, B.NONE, True), Position(1, B.NONE)),
        (Position(4, B.HEAVY), Position(4, B.MEDIUM)),
        (Position(5, B.LIGHT), Position(4, B.EXTRA_HEAVY)),
        (Position(4, B.LIGHT), Position(3, B.EXTRA_HEAVY)),
        (Position(3, B.LIGHT), Position(2, B.NONE)),
        (Position(2, B.NONE), Position(1, B.NONE)),
    ],
)
def test_a_set_that_falls_short_steps_down_in_the_ladders_order(before, after):
    evaluation = evaluate(before, reps(5, 1, 1))
    assert evaluation.decision is Decision.DOWN
    assert evaluation.next.position == after
    assert "step-down" in rules_of(evaluation)


def test_at_the_very_bottom_a_short_set_stays_and_says_so():
    evaluation = evaluate(Position(1, B.NONE), reps(1))
    assert evaluation.decision is Decision.STAY
    assert evaluation.next.position == Position(1, B.NONE)
    (end,) = [r for r in evaluation.reasons if r.rule == "ladder-ends"]
    assert "bottom" in end.message


# --- prescriptions


@pytest.mark.parametrize(
    ("position", "holds", "restart"),
    [
        (Position(3, B.MEDIUM), (5, 5, 5, 5, 5), (4, 4)),  # a band notch up
        (Position(3, B.MEDIUM), (1,), (4, 4)),  # a band notch down
        (Position(3, B.EXTRA_HEAVY), (5, 5, 5, 5, 5), (3, 3)),  # the add-on
        (Position(2, B.NONE), (5, 5, 5, 5, 5), (3, 3)),  # a new exercise
        (Position(3, B.LIGHT), (1,), (3, 3)),  # back to level 2
    ],
)
def test_a_band_notch_restarts_higher_than_a_new_movement(position, holds, restart):
    evaluation = evaluate(position, reps(*holds))
    assert evaluation.next.position != position
    assert (evaluation.next.reps, evaluation.next.hold_seconds) == restart
    assert "restart-after-change" in rules_of(evaluation)


def test_in_range_stays_and_aims_one_rep_and_one_second_further():
    evaluation = evaluate(Position(2, B.NONE), reps(3.9, 4.5, 3.2))
    assert evaluation.decision is Decision.STAY
    assert evaluation.next.position == Position(2, B.NONE)
    # 3 counting reps -> 4; median counting hold 3.9 s -> 3 + 1 = 4 s.
    assert (evaluation.next.reps, evaluation.next.hold_seconds) == (4, 4)
    assert "in-range-targets" in rules_of(evaluation)


def test_in_range_targets_are_capped_at_five_reps_and_five_seconds():
    assert in_range_targets(reps(4.5, 4.9, 6, 7, 8, 9)) == Targets(5, 5)


def test_in_range_targets_ignore_reps_that_did_not_count():
    # Only the three 2.5 s reps count: 3 + 1 reps, 2 + 1 s.
    assert in_range_targets(reps(2.5, 2.5, 2.5) + reps(9, high=False)) == Targets(4, 3)


def test_the_weakest_set_in_range_aims_for_four_reps_of_three_seconds():
    assert in_range_targets(reps(2, 2, 2)) == Targets(4, 3)


def test_one_tired_last_rep_does_not_lower_the_hold_target():
    # The median of 5, 5, 5, 2.1 is 5: aim for 5 s, not 3 s.
    assert in_range_targets(reps(5, 5, 5, 2.1)) == Targets(5, 5)


def test_every_answer_says_how_many_reps_counted():
    evaluation = evaluate(Position(3, B.LIGHT), reps(5, 5) + reps(5, high=False))
    (counted,) = [r for r in evaluation.reasons if r.rule == "counting-rep"]
    assert counted.message.startswith("2 of 3")
