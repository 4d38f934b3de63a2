"""A workout: sets per side in a context, and how it is judged (domain.md 6.1, 6.2, 6.4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.engine import VERDICT_RANK, Rep, Verdict, in_range_targets, judge
from app.domain.ladder import BAND_ORDER, Position
from app.domain.rules import Targets


class WorkoutContext(StrEnum):
    ACTIVATION = "activation"
    RECOVERY_DAY = "recovery_day"
    FILLER = "filler"
    ASSESSMENT = "assessment"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    # Only for sets logged through the deprecated one-set `sessions` routes, which
    # recorded no side: such a set stands for both.
    BOTH = "both"


SIDES = (Side.LEFT, Side.RIGHT)
# Recovery work never moves the position: a recovery day, and a filler (one set done
# between working sets of another lift, without the add-on: the article's "recovery
# fillers"). Counting a filler would step an athlete at the add-on back down.
NEVER_COUNTING = frozenset({WorkoutContext.RECOVERY_DAY, WorkoutContext.FILLER})


@dataclass(frozen=True)
class LadderSet:
    position: Position
    side: Side
    reps: tuple[Rep, ...]
    pain: bool = False

    def covers(self, side: Side) -> bool:
        return self.side in (side, Side.BOTH)


@dataclass(frozen=True)
class WorkoutJudgement:
    """Each set's verdict and whether it counted, and the workout's verdict at its position.

    `position` is None for a workout that counts toward no decision (a recovery day, or
    one with no ladder set). For an assessment that mastered a position, `position` is the
    highest position mastered on both sides (below any pain) and `verdict` is mastered.
    `pain` is true when any ladder set of the workout was marked pain, counted or not:
    pain is never a thing to progress through.
    """

    set_verdicts: tuple[Verdict, ...]
    counted: tuple[bool, ...]
    position: Position | None
    verdict: Verdict | None
    pain: bool
    one_side_only: bool
    targets: Targets | None


def rank(position: Position) -> tuple[int, int, bool]:
    """Positions in ladder order: level, then band, then the add-on."""
    return position.level, BAND_ORDER.index(position.band), position.shoulder_flexion


def judge_workout(context: WorkoutContext, sets: Sequence[LadderSet]) -> WorkoutJudgement:
    set_verdicts = tuple(judge(s.reps)[0] for s in sets)
    pain = any(s.pain for s in sets)
    if context in NEVER_COUNTING or not sets:
        return WorkoutJudgement(set_verdicts, (False,) * len(sets), None, None, pain, False, None)
    position = _judged_position(context, sets, set_verdicts)
    counted = tuple(s.position == position for s in sets)
    at_position = [(s, v) for s, v, c in zip(sets, set_verdicts, counted, strict=True) if c]
    verdict, deciding, one_side_only = workout_verdict(at_position)
    if context is WorkoutContext.ASSESSMENT and any(s.pain for s, _ in at_position):
        # Placed at a painful position (none below it was mastered): that places nothing.
        verdict = min(verdict, Verdict.IN_RANGE, key=VERDICT_RANK.__getitem__)
    return WorkoutJudgement(
        set_verdicts,
        counted,
        position,
        verdict,
        pain,
        one_side_only,
        in_range_targets(deciding.reps),
    )


def _judged_position(
    context: WorkoutContext, sets: Sequence[LadderSet], verdicts: Sequence[Verdict]
) -> Position:
    """The highest position (lower ones are warm-ups); for an assessment, see 6.4."""
    tried = sorted({s.position for s in sets}, key=rank)
    if context is not WorkoutContext.ASSESSMENT:
        return tried[-1]
    # Pain ends the climb: only the positions below the first painful one can place.
    painful = [rank(s.position) for s in sets if s.pain]
    below_pain = [p for p in tried if not painful or rank(p) < min(painful)]
    mastered = [
        position
        for position in below_pain
        if _mastered_on_both_sides(
            [(s, v) for s, v in zip(sets, verdicts, strict=True) if s.position == position]
        )
    ]
    # None mastered: judged like any other workout, at the lowest position tried.
    return mastered[-1] if mastered else tried[0]


def _mastered_on_both_sides(sets: Sequence[tuple[LadderSet, Verdict]]) -> bool:
    verdict, _, _ = workout_verdict(sets)
    return verdict is Verdict.MASTERED


def workout_verdict(
    sets: Sequence[tuple[LadderSet, Verdict]],
) -> tuple[Verdict, LadderSet, bool]:
    """The worse side's best set decides; one side alone is in range at best.

    Returns the verdict, the set that decided it (its reps set the next targets) and
    whether only one side was logged. The order of the sets never matters: ties between
    equally good sets go to the one with more counting reps, then longer holds.
    """
    best = {}
    for side in SIDES:
        candidates = [(s, v) for s, v in sets if s.covers(side)]
        if candidates:
            best[side] = max(candidates, key=lambda sv: (VERDICT_RANK[sv[1]], _strength(sv[0])))
    deciding, verdict = min(best.values(), key=lambda sv: (VERDICT_RANK[sv[1]], _strength(sv[0])))
    one_side_only = len(best) == 1
    if one_side_only and verdict is Verdict.MASTERED:
        verdict = Verdict.IN_RANGE
    return verdict, deciding, one_side_only


def _strength(ladder_set: LadderSet) -> tuple[int, float, tuple[float, ...]]:
    counting = sorted(rep.hold_seconds for rep in ladder_set.reps if rep.counts)
    return len(counting), sum(counting), tuple(counting)


@dataclass(frozen=True)
class JudgedWorkout:
    """A counting workout as the recommendation reads it (the stored judgement)."""

    ref: str
    performed_at: datetime
    context: WorkoutContext
    position: Position
    verdict: Verdict
    pain: bool
    one_side_only: bool
    targets: Targets

    @property
    def is_assessment(self) -> bool:
        return self.context is WorkoutContext.ASSESSMENT


def as_judged(
    ref: str, performed_at: datetime, context: WorkoutContext, judgement: WorkoutJudgement
) -> JudgedWorkout | None:
    """The workout as the recommendation reads it; None when it counts toward nothing."""
    if judgement.position is None or judgement.verdict is None or judgement.targets is None:
        return None
    return JudgedWorkout(
        ref,
        performed_at,
        context,
        judgement.position,
        judgement.verdict,
        judgement.pain,
        judgement.one_side_only,
        judgement.targets,
    )
