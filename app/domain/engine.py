"""The progression engine: judge a set, decide the next position and prescription."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.ladder import BOTTOM, TOP, Position, step_down, step_up
from app.domain.messages import Text, text
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
    """A rule behind a decision, and what it says here: one or more sentences, each a
    `Text` the API says in the client's language."""

    rule: str
    sentences: tuple[Text, ...]

    @classmethod
    def of(cls, rule: str, *sentences: Text) -> Reason:
        return cls(rule, sentences)

    @property
    def message(self) -> str:
        """In English."""
        return " ".join(str(sentence) for sentence in self.sentences)


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
        return Verdict.FALLS_SHORT, Reason.of(
            "falling-short", text("set.broken-form", broken=broken)
        )
    if len(counting) < FALLS_SHORT_BELOW_REPS:
        return Verdict.FALLS_SHORT, Reason.of(
            "falling-short",
            text("set.too-few", counting=len(counting), minimum=FALLS_SHORT_BELOW_REPS),
        )
    long_holds = sum(1 for rep in counting if rep.hold_seconds >= MASTERY_HOLD)
    if long_holds >= MASTERY_REPS and broken == 0:
        return Verdict.MASTERED, Reason.of(
            "mastered-set", text("set.mastered", long_holds=long_holds, hold=MASTERY_HOLD)
        )
    in_range = text(
        "set.in-range", counting=len(counting), long_holds=long_holds, hold=MASTERY_HOLD
    )
    if broken:
        return Verdict.IN_RANGE, Reason.of(
            "in-range-targets", in_range, text("set.one-rep-broke-form")
        )
    return Verdict.IN_RANGE, Reason.of("in-range-targets", in_range)


def counting_reason(reps: Sequence[Rep]) -> Reason:
    counting = sum(1 for rep in reps if rep.counts)
    return Reason.of(
        "counting-rep",
        text("set.counted", counting=counting, reps=len(reps), hold=COUNTING_MIN_HOLD),
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
    kind = "band-notch" if targets == RESTART_AFTER_BAND_NOTCH else "new-movement"
    return Reason.of(
        "restart-after-change",
        text(f"restart.{kind}", reps=targets.reps, hold=targets.hold_seconds),
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
        return Decision.UP, higher, Reason.of("step-up", describe_step(position, higher))
    if verdict is Verdict.FALLS_SHORT:
        lower = step_down(position)
        if lower is None:
            return Decision.STAY, position, AT_THE_BOTTOM
        return Decision.DOWN, lower, Reason.of("step-down", describe_step(position, lower))
    return Decision.STAY, position, None


TOP_REACHED = Reason.of("ladder-ends", text("ladder.top", level=TOP.level, band=TOP.band.value))
AT_THE_BOTTOM = Reason.of("ladder-ends", text("ladder.bottom", level=BOTTOM.level))


def describe_step(before: Position, after: Position) -> Text:
    if after.level != before.level:
        key = "step.level-with-add-on" if after.shoulder_flexion else "step.level"
        return text(key, before=before.level, after=after.level, band=after.band.value)
    if after.band != before.band:
        return text("step.band", before=before.band.value, after=after.band.value)
    return text("step.add-on-added" if after.shoulder_flexion else "step.add-on-dropped")


def where(position: Position) -> Text:
    """A position, as messages name it."""
    key = "position.with-add-on" if position.shoulder_flexion else "position"
    return text(key, level=position.level, band=position.band.value)


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
        aim = text("set.next-aim", reps=targets.reps, hold=targets.hold_seconds)
        reasons[1] = Reason(verdict_reason.rule, (*verdict_reason.sentences, aim))
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
