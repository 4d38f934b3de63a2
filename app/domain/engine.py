"""The progression engine: judge a set, decide the next position and prescription."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.ladder import Position, step_down, step_up
from app.domain.rules import (
    BROKEN_REPS_TO_FALL_SHORT,
    COUNTING_MIN_HOLD,
    FALLS_SHORT_BELOW_REPS,
    HOLD_SECONDS,
    MASTERY_HOLD,
    MASTERY_REPS,
    NEXT_SETS,
    REPS,
    RESTART_AFTER_BAND_NOTCH,
    RESTART_AFTER_NEW_MOVEMENT,
    Targets,
)


@dataclass(frozen=True)
class Rep:
    hold_seconds: float
    strict_form: bool
    high_flexion: bool

    @property
    def counts(self) -> bool:
        return self.strict_form and self.high_flexion and self.hold_seconds >= COUNTING_MIN_HOLD


class Verdict(StrEnum):
    """How a set went."""

    FALLS_SHORT = "falls_short"
    IN_RANGE = "in_range"
    MASTERED = "mastered"


# Worst first: a workout takes the worse of its two sides.
VERDICT_RANK = {Verdict.FALLS_SHORT: 0, Verdict.IN_RANGE: 1, Verdict.MASTERED: 2}


class Decision(StrEnum):
    DOWN = "down"
    STAY = "stay"
    UP = "up"


DECISION_RANK = {Decision.DOWN: 0, Decision.STAY: 1, Decision.UP: 2}


@dataclass(frozen=True)
class Reason:
    rule: str
    message: str


@dataclass(frozen=True)
class Prescription:
    position: Position
    sets: int
    reps: int
    hold_seconds: int


@dataclass(frozen=True)
class Evaluation:
    verdict: Verdict
    decision: Decision
    next: Prescription
    reasons: tuple[Reason, ...]


def judge(reps: Sequence[Rep]) -> tuple[Verdict, Reason]:
    """Mastered, in range, or falls short; with the reason in words."""
    counting = [rep for rep in reps if rep.counts]
    broken = sum(1 for rep in reps if not rep.strict_form)
    if broken >= BROKEN_REPS_TO_FALL_SHORT:
        return Verdict.FALLS_SHORT, Reason(
            "falling-short", f"{broken} reps broke form: the set falls short."
        )
    if len(counting) < FALLS_SHORT_BELOW_REPS:
        return Verdict.FALLS_SHORT, Reason(
            "falling-short",
            f"{len(counting)} counting rep(s), fewer than {FALLS_SHORT_BELOW_REPS}: "
            "the set falls short.",
        )
    long_holds = sum(1 for rep in counting if rep.hold_seconds >= MASTERY_HOLD)
    if long_holds >= MASTERY_REPS and broken == 0:
        return Verdict.MASTERED, Reason(
            "mastered-set",
            f"{long_holds} counting reps held at least {MASTERY_HOLD} s: the set is mastered.",
        )
    message = (
        f"{len(counting)} counting rep(s), {long_holds} held {MASTERY_HOLD} s or more: "
        "in range, stay."
    )
    if broken:
        message += " One rep broke form: it does not count, and the set cannot be mastered."
    return Verdict.IN_RANGE, Reason("in-range-targets", message)


def counting_reason(reps: Sequence[Rep]) -> Reason:
    counting = sum(1 for rep in reps if rep.counts)
    return Reason(
        "counting-rep",
        f"{counting} of {len(reps)} rep(s) counted (held at least {COUNTING_MIN_HOLD} s, "
        "strict form, high hip flexion).",
    )


def in_range_targets(reps: Sequence[Rep]) -> Targets:
    """One more rep than the counting reps, one second more than their median hold.

    The median, not the shortest: one tired last rep does not lower the target.
    """
    holds = [rep.hold_seconds for rep in reps if rep.counts]
    typical = statistics.median(holds) if holds else HOLD_SECONDS.min
    return Targets(REPS.clamp(len(holds) + 1), HOLD_SECONDS.clamp(math.floor(typical) + 1))


def restart_targets(before: Position, after: Position) -> Targets:
    """Where the next prescription starts after a change of position (rule restart-after-change)."""
    band_notch_only = (
        after.level == before.level and after.shoulder_flexion == before.shoulder_flexion
    )
    return RESTART_AFTER_BAND_NOTCH if band_notch_only else RESTART_AFTER_NEW_MOVEMENT


def restart_reason(before: Position, after: Position) -> Reason:
    targets = restart_targets(before, after)
    kind = "a band notch" if targets == RESTART_AFTER_BAND_NOTCH else "a new exercise or the add-on"
    return Reason(
        "restart-after-change",
        f"New position ({kind}): start at {targets.reps} reps x {targets.hold_seconds} s.",
    )


def moved_to(before: Position, after: Position, sets: int = NEXT_SETS) -> Prescription:
    targets = restart_targets(before, after)
    return Prescription(after, sets, targets.reps, targets.hold_seconds)


def decide(position: Position, verdict: Verdict) -> tuple[Decision, Position, Reason | None]:
    """Move on the ladder for a verdict; `up`/`down` only when the position changes."""
    if verdict is Verdict.MASTERED:
        higher = step_up(position)
        if higher is None:
            return Decision.STAY, position, TOP_REACHED
        return Decision.UP, higher, Reason("step-up", describe_step(position, higher))
    if verdict is Verdict.FALLS_SHORT:
        lower = step_down(position)
        if lower is None:
            return Decision.STAY, position, AT_THE_BOTTOM
        return Decision.DOWN, lower, Reason("step-down", describe_step(position, lower))
    return Decision.STAY, position, None


TOP_REACHED = Reason(
    "ladder-ends", "The ladder is complete: level 5, extra_heavy band, with the add-on."
)
AT_THE_BOTTOM = Reason(
    "ladder-ends", "Already at the bottom of the ladder (level 1, no add-on): stay."
)


def describe_step(before: Position, after: Position) -> str:
    if after.level != before.level:
        return f"Level {before.level} to level {after.level}, band {after.band.value}" + (
            ", with shoulder flexion." if after.shoulder_flexion else ", no add-on."
        )
    if after.band != before.band:
        return f"Band {before.band.value} to {after.band.value}, same level."
    return "Shoulder flexion added." if after.shoulder_flexion else "Shoulder flexion dropped."


def evaluate(position: Position, reps: Sequence[Rep]) -> Evaluation:
    """The engine's answer to one logged set at `position`."""
    verdict, verdict_reason = judge(reps)
    decision, after, move_reason = decide(position, verdict)
    reasons = [counting_reason(reps), verdict_reason]
    if move_reason is not None:
        reasons.append(move_reason)
    if after != position:
        reasons.append(restart_reason(position, after))
        return Evaluation(verdict, decision, moved_to(position, after), tuple(reasons))
    targets = stay_targets(verdict, reps)
    if verdict is Verdict.IN_RANGE:
        reasons[1] = Reason(
            verdict_reason.rule,
            f"{verdict_reason.message} Next: aim for {targets.reps} reps x "
            f"{targets.hold_seconds} s.",
        )
    prescription = Prescription(after, NEXT_SETS, targets.reps, targets.hold_seconds)
    return Evaluation(verdict, decision, prescription, tuple(reasons))


FULL_SET = Targets(REPS.max, HOLD_SECONDS.max)


def stay_targets(verdict: Verdict, reps: Sequence[Rep]) -> Targets:
    if verdict is Verdict.IN_RANGE:
        return in_range_targets(reps)
    # Staying at an end of the ladder: the top keeps the full set; the bottom restarts.
    if verdict is Verdict.MASTERED:
        return FULL_SET
    return RESTART_AFTER_NEW_MOVEMENT
