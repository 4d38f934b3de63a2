"""Judging a workout (domain.md 6.1, 6.2, 6.4): which sets count and the workout's verdict."""

import pytest

from app.domain.engine import Rep, Verdict
from app.domain.ladder import BandTension as B
from app.domain.ladder import Position
from app.domain.rules import Targets
from app.domain.workouts import LadderSet, Side, WorkoutContext, judge_workout

L3_MEDIUM, L3_HEAVY, L1 = Position(3, B.MEDIUM), Position(3, B.HEAVY), Position(1, B.NONE)
ACTIVATION = WorkoutContext.ACTIVATION


def reps(*holds: float, strict: bool = True) -> tuple[Rep, ...]:
    return tuple(Rep(h, strict, True) for h in holds)


MASTERED, IN_RANGE, SHORT = reps(5, 5, 5, 5, 5), reps(4, 4, 4, 4), reps(5)


def sides(position: Position, left: tuple[Rep, ...], right: tuple[Rep, ...], **kw):
    return [
        LadderSet(position, Side.LEFT, left, **kw),
        LadderSet(position, Side.RIGHT, right, **kw),
    ]


def test_only_the_sets_at_the_highest_position_count():
    warm_up = sides(L1, SHORT, SHORT)
    judgement = judge_workout(ACTIVATION, [*warm_up, *sides(L3_MEDIUM, MASTERED, MASTERED)])
    assert judgement.position == L3_MEDIUM
    assert judgement.verdict is Verdict.MASTERED
    assert judgement.counted == (False, False, True, True)
    assert judgement.set_verdicts[:2] == (Verdict.FALLS_SHORT, Verdict.FALLS_SHORT)


def test_a_warm_up_logged_last_does_not_set_the_position():
    judgement = judge_workout(
        ACTIVATION, [*sides(L3_MEDIUM, MASTERED, MASTERED), *sides(L1, IN_RANGE, IN_RANGE)]
    )
    assert (judgement.position, judgement.verdict) == (L3_MEDIUM, Verdict.MASTERED)


def test_the_weaker_side_decides():
    judgement = judge_workout(ACTIVATION, sides(L3_MEDIUM, MASTERED, IN_RANGE))
    assert judgement.verdict is Verdict.IN_RANGE
    assert judgement.targets == Targets(5, 5)  # from the right side's 4 x 4 s


def test_each_side_takes_its_best_set():
    sets = [
        LadderSet(L3_MEDIUM, Side.LEFT, SHORT),
        LadderSet(L3_MEDIUM, Side.LEFT, MASTERED),
        LadderSet(L3_MEDIUM, Side.RIGHT, MASTERED),
    ]
    assert judge_workout(ACTIVATION, sets).verdict is Verdict.MASTERED


def test_one_side_only_is_in_range_at_best():
    judgement = judge_workout(ACTIVATION, [LadderSet(L3_MEDIUM, Side.LEFT, MASTERED)])
    assert (judgement.verdict, judgement.one_side_only) == (Verdict.IN_RANGE, True)


def test_short_on_one_side_and_mastered_on_the_other_falls_short_in_any_order():
    right_first = judge_workout(ACTIVATION, sides(L3_MEDIUM, MASTERED, SHORT)[::-1])
    left_first = judge_workout(ACTIVATION, sides(L3_MEDIUM, MASTERED, SHORT))
    assert right_first.verdict is left_first.verdict is Verdict.FALLS_SHORT


@pytest.mark.parametrize("context", [WorkoutContext.RECOVERY_DAY, WorkoutContext.FILLER])
def test_recovery_work_never_counts(context):
    judgement = judge_workout(context, sides(L3_MEDIUM, MASTERED, MASTERED))
    assert (judgement.position, judgement.verdict) == (None, None)
    assert judgement.counted == (False, False)
    assert judgement.set_verdicts == (Verdict.MASTERED, Verdict.MASTERED)


def test_pain_anywhere_in_the_workout_is_reported():
    assert judge_workout(ACTIVATION, sides(L3_MEDIUM, MASTERED, MASTERED, pain=True)).pain
    warm_up_pain = [LadderSet(L1, Side.LEFT, MASTERED, pain=True)]
    assert judge_workout(ACTIVATION, [*warm_up_pain, *sides(L3_MEDIUM, MASTERED, MASTERED)]).pain
    for context in (WorkoutContext.RECOVERY_DAY, WorkoutContext.FILLER):
        assert judge_workout(context, warm_up_pain).pain


def test_a_set_for_both_sides_stands_for_left_and_right():
    judgement = judge_workout(ACTIVATION, [LadderSet(L3_MEDIUM, Side.BOTH, MASTERED)])
    assert (judgement.verdict, judgement.one_side_only) == (Verdict.MASTERED, False)


def test_an_assessment_is_placed_by_its_highest_position_mastered_on_both_sides():
    climb = [
        *sides(L1, MASTERED, MASTERED),
        *sides(L3_MEDIUM, MASTERED, MASTERED),
        *sides(L3_HEAVY, MASTERED, IN_RANGE),
    ]
    judgement = judge_workout(WorkoutContext.ASSESSMENT, climb)
    assert (judgement.position, judgement.verdict) == (L3_MEDIUM, Verdict.MASTERED)
    assert judgement.counted == (False, False, True, True, False, False)


def test_an_assessment_without_mastery_is_judged_at_the_lowest_position_tried():
    climb = [*sides(L3_HEAVY, SHORT, SHORT), *sides(L3_MEDIUM, IN_RANGE, IN_RANGE)]
    judgement = judge_workout(WorkoutContext.ASSESSMENT, climb)
    assert (judgement.position, judgement.verdict) == (L3_MEDIUM, Verdict.IN_RANGE)


def test_an_assessment_does_not_count_a_painful_position_as_mastered():
    climb = [*sides(L1, MASTERED, MASTERED), *sides(L3_MEDIUM, MASTERED, MASTERED, pain=True)]
    assert judge_workout(WorkoutContext.ASSESSMENT, climb).position == L1


def test_pain_ends_an_assessments_climb():
    climb = [
        *sides(L1, MASTERED, MASTERED),
        *sides(L3_MEDIUM, MASTERED, MASTERED, pain=True),
        *sides(L3_HEAVY, MASTERED, MASTERED),
    ]
    judgement = judge_workout(WorkoutContext.ASSESSMENT, climb)
    assert (judgement.position, judgement.verdict, judgement.pain) == (L1, Verdict.MASTERED, True)


def test_an_assessment_mastered_only_with_pain_places_nothing():
    judgement = judge_workout(
        WorkoutContext.ASSESSMENT, sides(L3_MEDIUM, MASTERED, MASTERED, pain=True)
    )
    assert (judgement.position, judgement.verdict) == (L3_MEDIUM, Verdict.IN_RANGE)
