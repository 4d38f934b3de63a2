"""The programming rules' values, in one place: the engine uses them and /v1/rules serves them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.domain.ladder import BAND_ORDER, BANDED_LEVELS, UNBANDED_LEVELS


class Context(StrEnum):
    ACTIVATION = "activation"
    RECOVERY_DAY = "recovery_day"
    FILLER = "filler"


@dataclass(frozen=True)
class Range:
    min: int
    max: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and self.min <= value <= self.max

    def clamp(self, value: int) -> int:
        return max(self.min, min(self.max, value))


# The article's rules.
HOLD_SECONDS = Range(2, 5)
REPS = Range(3, 5)
HIP_FLEXION_PAST_COMFORT_DEGREES = Range(20, 30)

# The project's decisions (served with decided_by "project").
SETS_BY_CONTEXT: dict[Context, Range] = {
    Context.ACTIVATION: Range(1, 2),
    Context.RECOVERY_DAY: Range(1, 2),
    Context.FILLER: Range(1, 1),
}
COUNTING_MIN_HOLD = HOLD_SECONDS.min  # a rep counts from 2 s, with strict form and high flexion
MASTERY_REPS = REPS.max  # a set is mastered with 5 counting reps ...
MASTERY_HOLD = HOLD_SECONDS.max  # ... each held at least 5 s, and no rep broke form
FALLS_SHORT_BELOW_REPS = REPS.min  # fewer than 3 counting reps falls short ...
BROKEN_REPS_TO_FALL_SHORT = 2  # ... and so do 2 broken reps; one only keeps it from mastery


@dataclass(frozen=True)
class Targets:
    reps: int
    hold_seconds: int


# Restart lower after a change of position. A band notch is the smallest change: one rep
# and one second below mastery, so a set done to the letter is mastered two workouts on.
# A new exercise or the add-on changes the movement itself: start at the low middle.
RESTART_AFTER_BAND_NOTCH = Targets(REPS.max - 1, HOLD_SECONDS.max - 1)
RESTART_AFTER_NEW_MOVEMENT = Targets(REPS.min, HOLD_SECONDS.min + 1)
NEXT_SETS = 1  # the engine prescribes the next set (per side)
MAX_REPS_PER_SET = 30  # more is not a set a person did: refused as input
MAX_HOLD_SECONDS = 60

# Decisions from workouts (domain.md section 6).
MASTERED_WORKOUTS_TO_STEP_UP = 2
PAIR_MIN_HOURS_APART = 20  # two different training days ...
PAIR_MAX_DAYS_APART = 14  # ... close enough to show the same capacity
LAYOFF_DAYS = 28  # a longer break steps down one notch
PLATEAU_WORKOUTS = 6  # this many counting workouts at one position without mastery ...
PLATEAU_SETS = 2  # ... add a set per side (volume), never a change of position
# After falling short (or pain) at a position, it is tried again only after a block of
# counting workouts: a second fall there within the window makes it a month of training
# days, a third four months, so an athlete stuck between two positions tries again less
# and less often (at most 3 reversals in any 30 workouts: bench/simulate.py).
RETRY_BLOCKS = (6, 30, 120)
FALLS_WINDOW_DAYS = 365


@dataclass(frozen=True)
class RuleValues:
    """The machine-readable part of a catalog rule."""

    min: int | None = None
    max: int | None = None
    unit: str | None = None
    values: list[str] | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


def rule_values() -> dict[str, RuleValues]:
    """Every rule's values by slug; the catalog loader takes them from here."""
    return {
        "hold-duration": RuleValues(
            HOLD_SECONDS.min, HOLD_SECONDS.max, "s", None, {"applies_to": "rep"}
        ),
        "repetitions": RuleValues(
            REPS.min, REPS.max, "reps", None, {"applies_to": "set", "per_side": True}
        ),
        "usage-context": RuleValues(values=[c.value for c in Context]),
        "band-tension": RuleValues(
            values=[b.value for b in BAND_ORDER],
            parameters={
                "order": "lightest first",
                "unbanded_levels": list(UNBANDED_LEVELS),
                "banded_levels": list(BANDED_LEVELS),
            },
        ),
        "shoulder-flexion": RuleValues(
            parameters={
                "type": "boolean",
                "effect": "raises demand",
                "requires": ["strict-form"],
                "engine_adds_it_at": "extra_heavy on levels 3-5",
                "left_out_in": [Context.FILLER.value, Context.RECOVERY_DAY.value],
            },
        ),
        "strict-form": RuleValues(parameters={"type": "boolean", "rep_counts_only_if": True}),
        "high-hip-flexion": RuleValues(
            HIP_FLEXION_PAST_COMFORT_DEGREES.min,
            HIP_FLEXION_PAST_COMFORT_DEGREES.max,
            "deg",
            parameters={
                "measured_from": "end of the comfortable range of hip flexion",
                "type": "boolean",
                "rep_counts_only_if": True,
            },
        ),
        "sets-per-context": RuleValues(
            min=min(r.min for r in SETS_BY_CONTEXT.values()),
            max=max(r.max for r in SETS_BY_CONTEXT.values()),
            unit="sets",
            parameters={c.value: {"min": r.min, "max": r.max} for c, r in SETS_BY_CONTEXT.items()},
        ),
        "counting-rep": RuleValues(
            min=COUNTING_MIN_HOLD,
            unit="s",
            parameters={
                "min_hold_seconds": COUNTING_MIN_HOLD,
                "strict_form": True,
                "high_flexion": True,
            },
        ),
        "mastered-set": RuleValues(
            parameters={
                "min_counting_reps": MASTERY_REPS,
                "min_hold_seconds": MASTERY_HOLD,
                "max_broken_reps": 0,
            },
        ),
        "falling-short": RuleValues(
            parameters={
                "counting_reps_below": FALLS_SHORT_BELOW_REPS,
                "broken_reps_at_least": BROKEN_REPS_TO_FALL_SHORT,
            },
        ),
        "in-range-targets": RuleValues(
            parameters={
                "reps": "counting reps + 1",
                "hold_seconds": "median counting hold, rounded down, + 1",
                "reps_range": [REPS.min, REPS.max],
                "hold_seconds_range": [HOLD_SECONDS.min, HOLD_SECONDS.max],
            },
        ),
        "step-up": RuleValues(
            parameters={
                "order": [
                    "next level (levels 1-2, add-on dropped)",
                    "band one notch heavier (levels 3-5)",
                    "add shoulder flexion at extra_heavy",
                    "next level at light, without the add-on",
                ]
            },
        ),
        "step-down": RuleValues(
            parameters={
                "order": [
                    "drop the add-on (same band)",
                    "band one notch lighter (levels 3-5)",
                    "from light: previous level at extra_heavy (or none on level 2)",
                    "level 2 to level 1",
                ]
            },
        ),
        "restart-after-change": RuleValues(
            parameters={
                "band_notch": _targets(RESTART_AFTER_BAND_NOTCH),
                "new_movement": _targets(RESTART_AFTER_NEW_MOVEMENT),
                "sets": NEXT_SETS,
            },
        ),
        "ladder-ends": RuleValues(
            parameters={
                "top": {"level": 5, "band_tension": "extra_heavy", "shoulder_flexion": True},
                "bottom": {"level": 1, "band_tension": "none", "shoulder_flexion": False},
            },
        ),
        "history": RuleValues(
            parameters={
                "mastered_workouts_to_step_up": MASTERED_WORKOUTS_TO_STEP_UP,
                "min_hours_apart": PAIR_MIN_HOURS_APART,
                "max_days_apart": PAIR_MAX_DAYS_APART,
                "no_history": {"level": 1, **_targets(RESTART_AFTER_NEW_MOVEMENT)},
            },
        ),
        "workout-verdict": RuleValues(
            parameters={
                "counting_sets": "the sets at the workout's highest position",
                "per_side": "the best counting set",
                "workout": "the worse of the two sides",
                "one_side_only": "in_range at best",
                "never_counting_contexts": [Context.RECOVERY_DAY.value, Context.FILLER.value],
            },
        ),
        "pain": RuleValues(
            parameters={
                "in_a_counting_workout": "step down, whatever the verdict",
                "in_recovery_work_after_it": "stay, no step up",
                "in_an_assessment": "the climb ends below it",
                "counts_as_a_fall": True,
            }
        ),
        "layoff": RuleValues(parameters={"days": LAYOFF_DAYS}),
        "plateau": RuleValues(
            parameters={
                "workouts_without_mastery": PLATEAU_WORKOUTS,
                "sets": PLATEAU_SETS,
                "retry_after_fall": list(RETRY_BLOCKS),
                "falls_window_days": FALLS_WINDOW_DAYS,
            },
        ),
        "assessment": RuleValues(
            parameters={
                "becomes": "the step above the highest position mastered on both sides",
                "none_mastered": "judged at the lowest position tried",
            },
        ),
    }


def _targets(targets: Targets) -> dict[str, int]:
    return {"reps": targets.reps, "hold_seconds": targets.hold_seconds}
