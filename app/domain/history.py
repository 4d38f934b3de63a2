"""The recommendation from an athlete's workouts (domain.md 6.3, 6.4).

It reads a few of the latest counting workouts, never the whole history: the storage
behind `History` answers each question with an index seek.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from app.domain.engine import (
    AT_THE_BOTTOM,
    FULL_SET,
    TOP_REACHED,
    Decision,
    Evaluation,
    Prescription,
    Reason,
    Verdict,
    describe_step,
    moved_to,
    restart_reason,
    where,
)
from app.domain.ladder import BOTTOM, Position, step_down, step_up
from app.domain.messages import Value, text
from app.domain.rules import (
    FALLS_WINDOW_DAYS,
    LAYOFF_DAYS,
    MASTERED_WORKOUTS_TO_STEP_UP,
    NEXT_SETS,
    PAIR_MAX_DAYS_APART,
    PAIR_MIN_HOURS_APART,
    PLATEAU_SETS,
    PLATEAU_WORKOUTS,
    RESTART_AFTER_NEW_MOVEMENT,
    RETRY_BLOCKS,
    Targets,
)
from app.domain.workouts import JudgedWorkout, rank


class History(Protocol):
    """What the recommendation asks of an athlete's stored workouts."""

    def latest(self, count: int) -> Sequence[JudgedWorkout]:
        """Up to `count` counting workouts, newest first."""
        ...

    def falls_at(self, position: Position, since: datetime) -> Sequence[datetime]:
        """When counting workouts at `position` fell short or hurt since `since`: newest
        first, `len(RETRY_BLOCKS)` at most."""
        ...

    def pain_since(self, moment: datetime) -> datetime | None:
        """When the latest workout after `moment` had a set marked pain: recovery work,
        since the counting workouts after `moment` are read through `latest`."""
        ...

    def counting_since(self, moment: datetime, cap: int) -> int:
        """How many counting workouts came after `moment`, counted up to `cap`."""
        ...


@dataclass(frozen=True)
class Recommendation:
    evaluation: Evaluation
    based_on: tuple[str, ...]


def first_steps() -> Prescription:
    """Where an athlete with no history starts: the bottom of the ladder."""
    start = RESTART_AFTER_NEW_MOVEMENT
    return Prescription(BOTTOM, NEXT_SETS, start.reps, start.hold_seconds)


def first_steps_reason() -> Reason:
    start = first_steps()
    return Reason.of(
        "history",
        text("history.none", level=start.position.level, reps=start.reps, hold=start.hold_seconds),
    )


def recommend(history: History, now: datetime) -> Recommendation | None:
    """What to do next; None when no workout counts yet (start with `first_steps`)."""
    recent = history.latest(PLATEAU_WORKOUTS)
    if not recent:
        return None
    latest = recent[0]
    if now - latest.performed_at > timedelta(days=LAYOFF_DAYS):
        return _answer(_layoff(latest), latest)
    if latest.pain:
        return _answer(_after_pain(latest, latest.performed_at), latest)
    recovery_pain = history.pain_since(latest.performed_at)
    if recovery_pain is not None:
        return _answer(_hold_for_pain(latest, recovery_pain), latest)
    if latest.is_assessment and latest.verdict is Verdict.MASTERED:
        return _answer(_placed_by_assessment(history, latest, now), latest)
    if latest.verdict is Verdict.FALLS_SHORT:
        return _answer(_down(latest, _judged_reason(latest)), latest)
    if latest.verdict is Verdict.MASTERED:
        return _mastered(history, recent, now)
    return _in_range(recent)


def _answer(evaluation: Evaluation, *judged: JudgedWorkout) -> Recommendation:
    return Recommendation(evaluation, tuple(w.ref for w in judged))


def _judged_reason(workout: JudgedWorkout) -> Reason:
    judged = text(
        "assessment.judged" if workout.is_assessment else "workout.judged",
        date=workout.performed_at.date(),
        position=where(workout.position),
        verdict=text(f"verdict.{workout.verdict.value}"),
    )
    if workout.one_side_only:
        return Reason.of("workout-verdict", judged, text("workout.one-side-only"))
    return Reason.of("workout-verdict", judged)


def _moved(latest: JudgedWorkout, after: Position, *reasons: Reason) -> Evaluation:
    """Step to `after`, with the restart that goes with the kind of change."""
    before = latest.position
    decision = Decision.UP if _higher(after, before) else Decision.DOWN
    step = Reason.of(
        "step-up" if decision is Decision.UP else "step-down", describe_step(before, after)
    )
    return Evaluation(
        latest.verdict,
        decision,
        moved_to(before, after),
        (*reasons, step, restart_reason(before, after)),
    )


def _up(latest: JudgedWorkout, *reasons: Reason) -> Evaluation:
    higher = step_up(latest.position)
    if higher is None:
        return _stay(latest, FULL_SET, *reasons, TOP_REACHED)
    return _moved(latest, higher, *reasons)


def _down(latest: JudgedWorkout, *reasons: Reason) -> Evaluation:
    lower = step_down(latest.position)
    if lower is None:
        return _stay(latest, RESTART_AFTER_NEW_MOVEMENT, *reasons, AT_THE_BOTTOM)
    return _moved(latest, lower, *reasons)


def _higher(a: Position, b: Position) -> bool:
    return rank(a) > rank(b)


def _layoff(latest: JudgedWorkout) -> Evaluation:
    reason = Reason.of("layoff", text("layoff", date=latest.performed_at.date(), days=LAYOFF_DAYS))
    return _down(latest, reason)


def _placed_by_assessment(history: History, latest: JudgedWorkout, now: datetime) -> Evaluation:
    placed: dict[str, Value] = {
        "date": latest.performed_at.date(),
        "position": where(latest.position),
    }
    higher = step_up(latest.position)
    block = None if higher is None else _retry_block(history, higher, now)
    if block is not None:  # a position the athlete just fell from waits for its block
        reason = Reason.of("assessment", text("assessment.waits", **placed))
        return _stay(latest, FULL_SET, reason, block, sets=PLATEAU_SETS)
    return _up(latest, Reason.of("assessment", text("assessment.placed", **placed)))


def _hold_for_pain(latest: JudgedWorkout, pain_at: datetime) -> Evaluation:
    """Pain in a recovery day or a filler: recovery never moves the position, but no step
    up either until a counting workout without pain."""
    reason = Reason.of(
        "pain", text("pain.recovery", date=pain_at.date(), position=where(latest.position))
    )
    targets = FULL_SET if latest.verdict is Verdict.MASTERED else latest.targets
    return _stay(latest, targets, reason)


def _after_pain(latest: JudgedWorkout, pain_at: datetime) -> Evaluation:
    """Pain is never progressed through: no step up, and one notch down where there is one.

    An assessment that placed below the pain keeps its pain-free position: the pain
    was at a higher position tried.
    """
    if latest.is_assessment and latest.verdict is Verdict.MASTERED:
        reason = Reason.of(
            "pain", text("pain.assessment", date=pain_at.date(), position=where(latest.position))
        )
        return _stay(latest, latest.targets, reason)
    at_bottom = step_down(latest.position) is None
    said = text("pain.at-bottom" if at_bottom else "pain.step-down", date=pain_at.date())
    return _down(latest, Reason.of("pain", said))


def _mastered(history: History, recent: Sequence[JudgedWorkout], now: datetime) -> Recommendation:
    latest = recent[0]
    previous = recent[1] if len(recent) > 1 else None
    missing = ONCE_MASTERED if previous is None else _pair_missing(latest, previous)
    if missing is not None or previous is None:
        return _answer(
            _stay(latest, FULL_SET, _judged_reason(latest), missing or ONCE_MASTERED), latest
        )
    pair_reason = Reason.of(
        "history",
        text("history.pair", count=MASTERED_WORKOUTS_TO_STEP_UP, position=where(latest.position)),
    )
    higher = step_up(latest.position)
    block = None if higher is None else _retry_block(history, higher, now)
    if block is not None:
        evaluation = _stay(latest, FULL_SET, _judged_reason(latest), block, sets=PLATEAU_SETS)
        return _answer(evaluation, latest, previous)
    return _answer(_up(latest, _judged_reason(latest), pair_reason), latest, previous)


ONCE_MASTERED = Reason.of("history", text("history.once", count=MASTERED_WORKOUTS_TO_STEP_UP))


def _pair_missing(latest: JudgedWorkout, previous: JudgedWorkout) -> Reason | None:
    """Why the two latest counting workouts are not yet a pair that steps up (None: they are)."""

    if previous.is_assessment or previous.position != latest.position:
        return ONCE_MASTERED
    if previous.verdict is not Verdict.MASTERED or previous.pain:
        return Reason.of("history", text("history.previous-not-mastered"))
    apart = latest.performed_at - previous.performed_at
    if apart < timedelta(hours=PAIR_MIN_HOURS_APART):
        # Rounded down to a tenth, so it never reads as the limit itself ("20 h, needs 20").
        hours = _tenths(apart.total_seconds() / 3600)
        return Reason.of(
            "history", text("history.too-close", hours=hours, minimum=PAIR_MIN_HOURS_APART)
        )
    if apart > timedelta(days=PAIR_MAX_DAYS_APART):
        return Reason.of(
            "history",
            text(
                "history.too-far",
                days=_tenths(apart.total_seconds() / 86400),
                maximum=PAIR_MAX_DAYS_APART,
            ),
        )
    return None


def _tenths(value: float) -> float | int:
    tenths = math.floor(value * 10)
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def _retry_block(history: History, target: Position, now: datetime) -> Reason | None:
    """A position the athlete fell from is tried again only after a block at the one below."""
    falls = history.falls_at(target, now - timedelta(days=FALLS_WINDOW_DAYS))
    if not falls:
        return None
    needed = RETRY_BLOCKS[min(len(falls), len(RETRY_BLOCKS)) - 1]
    done = history.counting_since(falls[0], needed)
    if done >= needed:
        return None
    block: dict[str, Value] = {
        "position": where(target),
        "date": falls[0].date(),
        "sets": PLATEAU_SETS,
        "needed": needed,
        "left": needed - done,
    }
    if len(falls) == 1:
        return Reason.of("plateau", text("plateau.retry", **block))
    again = text("plateau.retry-again", falls=len(falls), days=FALLS_WINDOW_DAYS, **block)
    return Reason.of("plateau", again)


def _stay(
    latest: JudgedWorkout, targets: Targets, *reasons: Reason, sets: int = NEXT_SETS
) -> Evaluation:
    return Evaluation(
        latest.verdict,
        Decision.STAY,
        Prescription(latest.position, sets, targets.reps, targets.hold_seconds),
        reasons,
    )


def _in_range(recent: Sequence[JudgedWorkout]) -> Recommendation:
    latest = recent[0]
    targets = latest.targets
    aim = Reason.of(
        "in-range-targets", text("in-range.aim", reps=targets.reps, hold=targets.hold_seconds)
    )
    stuck = len(recent) == PLATEAU_WORKOUTS and all(
        w.position == latest.position and w.verdict is not Verdict.MASTERED for w in recent
    )
    if not stuck:
        return _answer(_stay(latest, targets, _judged_reason(latest), aim), latest)
    plateau = Reason.of("plateau", text("plateau.stuck", count=PLATEAU_WORKOUTS, sets=PLATEAU_SETS))
    evaluation = _stay(latest, targets, _judged_reason(latest), aim, plateau, sets=PLATEAU_SETS)
    return _answer(evaluation, *recent)


class WorkoutLog:
    """An athlete's counting workouts in memory: the `History` of the unit tests. The
    service answers the same questions from the database.
    """

    def __init__(self, workouts: Sequence[JudgedWorkout] = ()) -> None:
        self._workouts: list[JudgedWorkout] = []
        self._logged: dict[str, int] = {}
        self._pains: list[datetime] = []
        for workout in workouts:
            self.add(workout)

    def add(self, workout: JudgedWorkout) -> None:
        self._logged[workout.ref] = len(self._logged)
        self._workouts.append(workout)
        # Newest first; a tie in time goes to the later logged, as in the database.
        self._workouts.sort(key=lambda w: (w.performed_at, self._logged[w.ref]), reverse=True)

    def latest(self, count: int) -> Sequence[JudgedWorkout]:
        return self._workouts[:count]

    def falls_at(self, position: Position, since: datetime) -> Sequence[datetime]:
        falls = [
            w.performed_at
            for w in self._workouts
            if w.position == position
            and (w.verdict is Verdict.FALLS_SHORT or w.pain)
            and w.performed_at >= since
        ]
        return falls[: len(RETRY_BLOCKS)]

    def log_pain(self, performed_at: datetime) -> None:
        """A workout that counts for nothing but had a set marked pain (a recovery day...)."""
        self._pains.append(performed_at)

    def pain_since(self, moment: datetime) -> datetime | None:
        later = [when for when in self._pains if when > moment]
        return max(later, default=None)

    def counting_since(self, moment: datetime, cap: int) -> int:
        return min(cap, sum(1 for w in self._workouts if w.performed_at > moment))
