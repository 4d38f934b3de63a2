"""The recommendation from an athlete's workouts (domain.md 6.3, 6.4).

It reads a few of the latest counting workouts, never the whole history: the storage
behind `History` answers each question with an index seek.
"""

from __future__ import annotations

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
)
from app.domain.ladder import BOTTOM, Position, step_down, step_up
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
    where = _where(workout.position)
    verdict = workout.verdict.value.replace("_", " ")
    side_note = (
        " Only one side counted at this position: in range at best."
        if workout.one_side_only
        else ""
    )
    kind = "assessment" if workout.is_assessment else "workout"
    return Reason(
        "workout-verdict",
        f"The latest {kind} ({workout.performed_at.date()}) at {where}: {verdict}, judged by "
        f"the weaker side's best set.{side_note}",
    )


def _where(position: Position) -> str:
    add_on = ", with shoulder flexion" if position.shoulder_flexion else ""
    return f"level {position.level}, band {position.band.value}{add_on}"


def _moved(latest: JudgedWorkout, after: Position, *reasons: Reason) -> Evaluation:
    """Step to `after`, with the restart that goes with the kind of change."""
    before = latest.position
    decision = Decision.UP if _higher(after, before) else Decision.DOWN
    step = Reason(
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
    reason = Reason(
        "layoff",
        f"The latest counting workout ({latest.performed_at.date()}) is more than "
        f"{LAYOFF_DAYS} days old: a layoff. The pair for the next step up counts from after "
        "it.",
    )
    return _down(latest, reason)


def _placed_by_assessment(history: History, latest: JudgedWorkout, now: datetime) -> Evaluation:
    placed = (
        f"Assessment ({latest.performed_at.date()}): both sides mastered up to "
        f"{_where(latest.position)}"
    )
    higher = step_up(latest.position)
    block = None if higher is None else _retry_block(history, higher, now)
    if block is not None:  # a position the athlete just fell from waits for its block
        reason = Reason("assessment", f"{placed}; the step above it waits for its block.")
        return _stay(latest, FULL_SET, reason, block, sets=PLATEAU_SETS)
    return _up(latest, Reason("assessment", f"{placed}: the athlete is placed from there."))


def _hold_for_pain(latest: JudgedWorkout, pain_at: datetime) -> Evaluation:
    """Pain in a recovery day or a filler: recovery never moves the position, but no step
    up either until a counting workout without pain."""
    reason = Reason(
        "pain",
        f"A set was marked pain on {pain_at.date()}, in recovery work: stay at "
        f"{_where(latest.position)}, no step up until a counting workout without pain.",
    )
    targets = FULL_SET if latest.verdict is Verdict.MASTERED else latest.targets
    return _stay(latest, targets, reason)


def _after_pain(latest: JudgedWorkout, pain_at: datetime) -> Evaluation:
    """Pain is never progressed through: no step up, and one notch down where there is one.

    An assessment that placed below the pain keeps its pain-free position: the pain
    was at a higher position tried.
    """
    marked = f"A set was marked pain on {pain_at.date()}"
    if latest.is_assessment and latest.verdict is Verdict.MASTERED:
        reason = Reason(
            "pain",
            f"{marked}, above {_where(latest.position)} in the assessment: stay at the highest "
            "position mastered without pain.",
        )
        return _stay(latest, latest.targets, reason)
    return _down(latest, Reason("pain", f"{marked}: no step up, whatever the verdict."))


def _mastered(history: History, recent: Sequence[JudgedWorkout], now: datetime) -> Recommendation:
    latest = recent[0]
    previous = recent[1] if len(recent) > 1 else None
    missing = ONCE_MASTERED if previous is None else _pair_missing(latest, previous)
    if missing is not None or previous is None:
        return _answer(
            _stay(latest, FULL_SET, _judged_reason(latest), missing or ONCE_MASTERED), latest
        )
    pair_reason = Reason(
        "history",
        f"The last {MASTERED_WORKOUTS_TO_STEP_UP} counting workouts at {_where(latest.position)} "
        "were mastered, on two training days.",
    )
    higher = step_up(latest.position)
    block = None if higher is None else _retry_block(history, higher, now)
    if block is not None:
        evaluation = _stay(latest, FULL_SET, _judged_reason(latest), block, sets=PLATEAU_SETS)
        return _answer(evaluation, latest, previous)
    return _answer(_up(latest, _judged_reason(latest), pair_reason), latest, previous)


ONCE_MASTERED = Reason(
    "history",
    f"Mastered once at this position: master it in {MASTERED_WORKOUTS_TO_STEP_UP} counting "
    "workouts in a row, on different days, to step up.",
)


def _pair_missing(latest: JudgedWorkout, previous: JudgedWorkout) -> Reason | None:
    """Why the two latest counting workouts are not yet a pair that steps up (None: they are)."""

    def history(message: str) -> Reason:
        return Reason("history", message)

    if previous.is_assessment or previous.position != latest.position:
        return ONCE_MASTERED
    if previous.verdict is not Verdict.MASTERED or previous.pain:
        return history(
            "The workout before this one was not mastered without pain: master the next one too."
        )
    apart = latest.performed_at - previous.performed_at
    if apart < timedelta(hours=PAIR_MIN_HOURS_APART):
        return history(
            f"Both mastered, but {apart.total_seconds() / 3600:.0f} h apart: a step up needs "
            f"two training days (at least {PAIR_MIN_HOURS_APART} h apart)."
        )
    if apart > timedelta(days=PAIR_MAX_DAYS_APART):
        return history(
            f"Both mastered, but {apart.days} days apart (more than {PAIR_MAX_DAYS_APART}): "
            "master it once more to step up."
        )
    return None


def _retry_block(history: History, target: Position, now: datetime) -> Reason | None:
    """A position the athlete fell from is tried again only after a block at the one below."""
    falls = history.falls_at(target, now - timedelta(days=FALLS_WINDOW_DAYS))
    if not falls:
        return None
    needed = RETRY_BLOCKS[min(len(falls), len(RETRY_BLOCKS)) - 1]
    done = history.counting_since(falls[0], needed)
    if done >= needed:
        return None
    return Reason(
        "plateau",
        f"Mastered, but the athlete fell short or felt pain at {_where(target)} on "
        f"{falls[0].date()}"
        + (f" ({len(falls)} times in {FALLS_WINDOW_DAYS} days)" if len(falls) > 1 else "")
        + f": build here, {PLATEAU_SETS} sets per side, for {needed} counting workouts before "
        f"trying it again ({needed - done} to go).",
    )


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
    aim = Reason(
        "in-range-targets",
        f"Stay and aim for {targets.reps} reps x {targets.hold_seconds} s on each side.",
    )
    stuck = len(recent) == PLATEAU_WORKOUTS and all(
        w.position == latest.position and w.verdict is not Verdict.MASTERED for w in recent
    )
    if not stuck:
        return _answer(_stay(latest, targets, _judged_reason(latest), aim), latest)
    plateau = Reason(
        "plateau",
        f"{PLATEAU_WORKOUTS} counting workouts at this position without mastery: a plateau. "
        f"Stay (no change of position), and do {PLATEAU_SETS} sets per side to build capacity.",
    )
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
