"""The recommendation from workouts (domain.md 6.3, 6.4), over an in-memory history."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.engine import Decision, Rep, Verdict
from app.domain.history import Recommendation, WorkoutLog, first_steps, recommend
from app.domain.ladder import BOTTOM, LEVELS, TOP, Position, allowed_bands, step_up
from app.domain.ladder import BandTension as B
from app.domain.prescriptions import PrescriptionRequest, check_prescription
from app.domain.rules import Context
from app.domain.workouts import LadderSet, Side, WorkoutContext, as_judged, judge_workout

START = datetime(2026, 11, 1, 7, tzinfo=UTC)
P, Q = Position(3, B.MEDIUM), Position(3, B.HEAVY)
MASTERED = tuple(Rep(5, True, True) for _ in range(5))
IN_RANGE = tuple(Rep(4, True, True) for _ in range(4))
SHORT = (Rep(5, True, True),)
ACTIVATION = WorkoutContext.ACTIVATION


class Athlete:
    """A WorkoutLog fed the way the API feeds the database: judged workouts, by time."""

    def __init__(self) -> None:
        self.log = WorkoutLog()
        self.refs = itertools.count(1)
        self.last = START

    def train(
        self,
        position: Position,
        reps: tuple[Rep, ...] = MASTERED,
        *,
        after: timedelta = timedelta(days=1),
        context: WorkoutContext = ACTIVATION,
        pain: bool = False,
        sets: list[LadderSet] | None = None,
    ) -> str:
        self.last += after
        logged = sets or [
            LadderSet(position, Side.LEFT, reps, pain),
            LadderSet(position, Side.RIGHT, reps, pain),
        ]
        ref = str(next(self.refs))
        judgement = judge_workout(context, logged)
        judged = as_judged(ref, self.last, context, judgement)
        if judged is not None:
            self.log.add(judged)
        elif judgement.pain:
            self.log.log_pain(self.last)
        return ref

    def advice(self, later: timedelta = timedelta(hours=1)) -> Recommendation:
        found = recommend(self.log, self.last + later)
        assert found is not None
        return found


def rules(found: Recommendation) -> list[str]:
    return [reason.rule for reason in found.evaluation.reasons]


def test_no_counting_workout_starts_at_level_one():
    assert recommend(WorkoutLog(), START) is None
    start = first_steps()
    assert (start.position, start.reps, start.hold_seconds) == (BOTTOM, 3, 3)


def test_two_mastered_workouts_on_two_days_step_up_and_name_both():
    athlete = Athlete()
    first, second = athlete.train(P), athlete.train(P)
    found = athlete.advice()
    assert found.evaluation.decision is Decision.UP
    assert found.evaluation.next.position == Q
    assert (found.evaluation.next.reps, found.evaluation.next.hold_seconds) == (4, 4)
    assert found.based_on == (second, first)
    assert rules(found) == ["workout-verdict", "history", "step-up", "restart-after-change"]


def test_one_mastered_workout_holds_the_position_at_the_full_set():
    athlete = Athlete()
    athlete.train(P, IN_RANGE)
    athlete.train(P)
    found = athlete.advice()
    assert found.evaluation.decision is Decision.STAY
    assert (found.evaluation.next.reps, found.evaluation.next.hold_seconds) == (5, 5)


@pytest.mark.parametrize("apart", [timedelta(minutes=1), timedelta(hours=19), timedelta(days=15)])
def test_a_pair_needs_two_training_days_at_most_two_weeks_apart(apart):
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P, after=apart)
    found = athlete.advice()
    assert found.evaluation.decision is Decision.STAY
    assert "history" in rules(found)


def test_twenty_hours_apart_is_two_training_days():
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P, after=timedelta(hours=20))
    assert athlete.advice().evaluation.decision is Decision.UP


def test_a_workout_that_falls_short_steps_down():
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P, SHORT)
    found = athlete.advice()
    assert (found.evaluation.decision, found.evaluation.next.position) == (
        Decision.DOWN,
        Position(3, B.LIGHT),
    )


def test_pain_steps_down_whatever_the_verdict():
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P, pain=True)
    found = athlete.advice()
    assert found.evaluation.decision is Decision.DOWN
    assert found.evaluation.verdict is Verdict.MASTERED
    assert "pain" in rules(found)


def test_a_layoff_steps_down_one_notch():
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P)
    found = athlete.advice(later=timedelta(days=29))
    assert (found.evaluation.decision, found.evaluation.next.position) == (
        Decision.DOWN,
        Position(3, B.LIGHT),
    )
    assert "layoff" in rules(found)
    assert athlete.advice(later=timedelta(days=28)).evaluation.decision is Decision.UP


def test_after_a_layoff_the_pair_counts_from_after_it():
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P, after=timedelta(days=35))  # back, at the old position, and mastered
    assert athlete.advice().evaluation.decision is Decision.STAY


@pytest.mark.parametrize("context", [WorkoutContext.RECOVERY_DAY, WorkoutContext.FILLER])
def test_recovery_work_between_a_pair_does_not_break_it(context):
    athlete = Athlete()
    athlete.train(P)
    athlete.train(Position(1, B.NONE), SHORT, context=context)
    athlete.train(P)
    assert athlete.advice().evaluation.decision is Decision.UP


def test_a_warm_up_at_a_lower_position_does_not_break_the_pair():
    athlete = Athlete()
    athlete.train(P)
    warm_up = LadderSet(Position(1, B.NONE), Side.LEFT, IN_RANGE)
    athlete.train(
        P, sets=[warm_up, LadderSet(P, Side.LEFT, MASTERED), LadderSet(P, Side.RIGHT, MASTERED)]
    )
    assert athlete.advice().evaluation.decision is Decision.UP


def test_an_assessment_places_the_athlete_one_step_above_its_best():
    athlete = Athlete()
    climb = [
        LadderSet(position, side, MASTERED)
        for position in (Position(1, B.NONE), Position(2, B.NONE), Position(3, B.LIGHT), P)
        for side in (Side.LEFT, Side.RIGHT)
    ] + [LadderSet(Q, Side.LEFT, IN_RANGE), LadderSet(Q, Side.RIGHT, IN_RANGE)]
    ref = athlete.train(P, context=WorkoutContext.ASSESSMENT, sets=climb)
    found = athlete.advice()
    assert (found.evaluation.decision, found.evaluation.next.position) == (Decision.UP, Q)
    assert found.based_on == (ref,)
    assert "assessment" in rules(found)
    # The assessment is no half of a pair: one mastered workout at Q is not enough.
    athlete.train(Q)
    assert athlete.advice().evaluation.decision is Decision.STAY


def test_a_plateau_stays_with_a_second_set_and_never_moves():
    athlete = Athlete()
    for _ in range(6):
        athlete.train(P, IN_RANGE)
    found = athlete.advice()
    assert found.evaluation.decision is Decision.STAY
    assert found.evaluation.next.sets == 2
    assert "plateau" in rules(found)
    assert len(found.based_on) == 6


def reversals(decisions: list[Decision], start: int = 0, length: int | None = None) -> int:
    """Direction changes in decisions[start:start + length], the move before it included."""
    end = len(decisions) if length is None else start + length
    before = [d for d in decisions[:start] if d is not Decision.STAY][-1:]
    moves = before + [d for d in decisions[start:end] if d is not Decision.STAY]
    return sum(1 for a, b in itertools.pairwise(moves) if a is not b)


@pytest.mark.parametrize("every", [timedelta(days=1), timedelta(hours=56)])  # 3 a week
def test_an_athlete_who_masters_p_but_fails_above_it_does_not_bounce(every):
    athlete, position, decisions = Athlete(), P, []
    for _ in range(120):
        athlete.train(position, MASTERED if position == P else SHORT, after=every)
        found = athlete.advice()
        decisions.append(found.evaluation.decision)
        position = found.evaluation.next.position
    # domain.md 6.5: at most 3 reversals in 30 workouts, in any 30 in a row.
    assert max(reversals(decisions, start, 30) for start in range(91)) <= 3
    # It does try again once it has built a block at P.
    assert decisions.count(Decision.UP) >= 2


def test_the_retry_block_is_counted_in_counting_workouts():
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P)
    athlete.train(Q, SHORT)  # the step up failed: back to P
    for done in range(1, 6):
        athlete.train(P)
        found = athlete.advice()
        assert found.evaluation.decision is Decision.STAY, done
        assert ("plateau" in rules(found)) == (done > 1)  # the first one is no pair yet
    athlete.train(P)  # the sixth counting workout since the fall
    assert athlete.advice().evaluation.decision is Decision.UP


def test_the_top_and_the_bottom_are_stays():
    athlete = Athlete()
    athlete.train(TOP)
    athlete.train(TOP)
    top = athlete.advice()
    assert (top.evaluation.decision, top.evaluation.next.position) == (Decision.STAY, TOP)
    assert rules(top)[-1] == "ladder-ends"
    bottom = Athlete()
    bottom.train(BOTTOM, SHORT)
    found = bottom.advice()
    assert (found.evaluation.decision, found.evaluation.next.position) == (Decision.STAY, BOTTOM)
    assert rules(found).count("ladder-ends") == 1
    assert "step-down" not in rules(found)


# --- invariants (hypothesis)

POSITIONS = [
    Position(level, band, add_on)
    for level in LEVELS
    for band in allowed_bands(level)
    for add_on in (False, True)
]
rep_lists = st.lists(
    st.builds(Rep, st.sampled_from([0, 1.5, 2, 3.2, 4, 4.9, 5, 6]), st.booleans(), st.booleans()),
    min_size=1,
    max_size=6,
)
ladder_sets = st.builds(
    LadderSet,
    st.sampled_from(POSITIONS),
    st.sampled_from([Side.LEFT, Side.RIGHT]),
    rep_lists.map(tuple),
    st.booleans(),
)
workouts = st.tuples(
    st.sampled_from(list(WorkoutContext)),
    st.lists(ladder_sets, min_size=1, max_size=6),
    st.integers(min_value=1, max_value=60),  # hours after the previous one
)
histories = st.lists(workouts, min_size=1, max_size=8)


def replay(history, order=lambda sets: sets) -> tuple[WorkoutLog, datetime]:
    log, when = WorkoutLog(), START
    for ref, (context, sets, hours) in enumerate(history):
        when += timedelta(hours=hours)
        judgement = judge_workout(context, order(sets))
        judged = as_judged(str(ref), when, context, judgement)
        if judged is not None:
            log.add(judged)
        elif judgement.pain:
            log.log_pain(when)
    return log, when


@settings(max_examples=150)
@given(histories, st.randoms(use_true_random=False))
def test_the_order_of_the_sets_never_changes_the_recommendation(history, random):
    def shuffled(sets):
        sets = list(sets)
        random.shuffle(sets)
        return sets

    log, when = replay(history)
    again, _ = replay(history, shuffled)
    assert recommend(log, when) == recommend(again, when)


@settings(max_examples=150)
@given(histories, st.lists(ladder_sets, min_size=1, max_size=6), st.integers(1, 48))
def test_recovery_days_and_fillers_never_move_the_position(history, sets, hours):
    """Without pain they change nothing; with pain they can only hold or lower it."""
    for context in (WorkoutContext.RECOVERY_DAY, WorkoutContext.FILLER):
        log, when = replay(history)
        later = when + timedelta(hours=hours)
        before = recommend(log, later)
        judgement = judge_workout(context, sets)
        assert as_judged("r", later, context, judgement) is None
        if not judgement.pain:
            assert recommend(log, later) == before
            continue
        log.log_pain(later)
        after = recommend(log, later)
        if after is not None and after != before:  # pain holds the position, never moves it
            assert after.evaluation.decision is Decision.STAY
            assert after.evaluation.next.position == log.latest(1)[0].position


@settings(max_examples=150)
@given(histories, st.integers(0, 40))
def test_next_always_validates_as_activation(history, days_later):
    log, when = replay(history)
    found = recommend(log, when + timedelta(days=days_later))
    nxt = found.evaluation.next if found else first_steps()
    request = PrescriptionRequest(
        nxt.position.level,
        nxt.sets,
        nxt.reps,
        nxt.hold_seconds,
        nxt.position.band,
        nxt.position.shoulder_flexion,
        Context.ACTIVATION,
    )
    assert check_prescription(request) == []


@settings(max_examples=150)
@given(histories)
def test_up_or_down_exactly_when_the_position_changes(history):
    log, when = replay(history)
    found = recommend(log, when)
    if found is None:
        return
    before = log.latest(1)[0].position  # for an assessment: its highest position mastered
    moved = found.evaluation.next.position != before
    assert (found.evaluation.decision is not Decision.STAY) == moved
    # No reason claims a step the decision does not take (domain.md 4.3).
    assert ("step-up" in rules(found)) == (found.evaluation.decision is Decision.UP)
    assert ("step-down" in rules(found)) == (found.evaluation.decision is Decision.DOWN)
    if found.evaluation.decision is Decision.UP:
        assert found.evaluation.next.position == step_up(before)


def test_pain_in_an_assessment_steps_down_rather_than_up():
    athlete = Athlete()
    climb = [LadderSet(P, side, MASTERED, pain=True) for side in (Side.LEFT, Side.RIGHT)]
    athlete.train(P, context=WorkoutContext.ASSESSMENT, sets=climb)
    found = athlete.advice()
    assert found.evaluation.decision is Decision.DOWN
    assert "pain" in rules(found)


def test_pain_above_an_assessments_placement_holds_it_there():
    athlete = Athlete()
    climb = [LadderSet(P, side, MASTERED) for side in (Side.LEFT, Side.RIGHT)]
    climb += [LadderSet(Q, side, MASTERED, pain=True) for side in (Side.LEFT, Side.RIGHT)]
    athlete.train(P, context=WorkoutContext.ASSESSMENT, sets=climb)
    found = athlete.advice()
    assert (found.evaluation.decision, found.evaluation.next.position) == (Decision.STAY, P)
    assert "pain" in rules(found)


@pytest.mark.parametrize("context", [WorkoutContext.FILLER, WorkoutContext.RECOVERY_DAY])
def test_pain_in_recovery_work_after_a_pair_holds_the_step_up(context):
    athlete = Athlete()
    athlete.train(P)
    athlete.train(P)
    athlete.train(P, IN_RANGE, context=context, pain=True)
    found = athlete.advice()
    assert (found.evaluation.decision, found.evaluation.next.position) == (Decision.STAY, P)
    assert "pain" in rules(found)
    athlete.train(P)  # a counting workout without pain: the pair counts again
    assert athlete.advice().evaluation.decision is Decision.UP


def test_pain_at_the_bottom_stays_without_claiming_a_step_down():
    athlete = Athlete()
    athlete.train(BOTTOM, pain=True)
    found = athlete.advice()
    assert found.evaluation.decision is Decision.STAY
    assert "step-down" not in rules(found)
    assert all("down" not in r.message for r in found.evaluation.reasons)


def test_pain_each_time_at_a_position_does_not_bounce():
    athlete, position, decisions = Athlete(), P, []
    for _ in range(30):
        athlete.train(position, pain=position == Q)
        found = athlete.advice()
        decisions.append(found.evaluation.decision)
        position = found.evaluation.next.position
    assert reversals(decisions) <= 3


def test_an_assessment_waits_for_the_retry_block_too():
    athlete = Athlete()
    athlete.train(Q, SHORT)  # fell short at Q
    climb = [LadderSet(P, side, MASTERED) for side in (Side.LEFT, Side.RIGHT)]
    athlete.train(P, context=WorkoutContext.ASSESSMENT, sets=climb)
    found = athlete.advice()
    assert (found.evaluation.decision, found.evaluation.next.position) == (Decision.STAY, P)
    assert "plateau" in rules(found)
    assert "start one step above" not in found.evaluation.reasons[0].message
    assert found.evaluation.next.sets == 2


def test_a_painful_workout_is_no_half_of_a_pair():
    athlete = Athlete()
    athlete.train(P, pain=True)
    athlete.train(P)
    assert athlete.advice().evaluation.decision is Decision.STAY


def test_a_pair_too_close_or_too_far_never_reads_as_its_own_limit():
    for apart, said in (
        (timedelta(hours=19, minutes=57), "19.9 h apart"),
        (timedelta(days=14, hours=5), "14.2 days apart"),
    ):
        athlete = Athlete()
        athlete.train(P)
        athlete.train(P, after=apart)
        message = " ".join(r.message for r in athlete.advice().evaluation.reasons)
        assert said in message, message
