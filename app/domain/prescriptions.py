"""Checking a prescription against the programming rules: every violation at once."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.ladder import BandTension, band_fits, takes_band
from app.domain.rules import HOLD_SECONDS, REPS, SETS_BY_CONTEXT, Context


@dataclass(frozen=True)
class PrescriptionRequest:
    level: int
    sets: int
    reps: int
    hold_seconds: float
    band: BandTension
    shoulder_flexion: bool
    context: Context


@dataclass(frozen=True)
class Violation:
    rule: str
    field: str
    message: str


def check_prescription(p: PrescriptionRequest) -> list[Violation]:
    """Every rule the prescription breaks, each naming its rule and field."""
    violations: list[Violation] = []
    if p.hold_seconds not in HOLD_SECONDS:
        violations.append(
            Violation(
                "hold-duration",
                "hold_seconds",
                f"Hold each rep {HOLD_SECONDS.min}-{HOLD_SECONDS.max} s; {p.hold_seconds:g} s is "
                f"{'too short' if p.hold_seconds < HOLD_SECONDS.min else 'too long'}.",
            )
        )
    if p.reps not in REPS:
        violations.append(
            Violation(
                "repetitions",
                "reps",
                f"Do {REPS.min}-{REPS.max} reps per set and side; {p.reps} is "
                f"{'too few' if p.reps < REPS.min else 'too many'}.",
            )
        )
    sets = SETS_BY_CONTEXT[p.context]
    if p.sets not in sets:
        allowed = f"{sets.min}" if sets.min == sets.max else f"{sets.min}-{sets.max}"
        violations.append(
            Violation(
                "sets-per-context",
                "sets",
                f"{p.context.value} takes {allowed} set(s); {p.sets} is not that.",
            )
        )
    if not band_fits(p.level, p.band):
        violations.append(
            Violation(
                "band-tension",
                "band_tension",
                f"Level {p.level} takes no band: use `none`."
                if not takes_band(p.level)
                else f"Level {p.level} needs a band (light to extra_heavy), not `none`.",
            )
        )
    violations += _shoulder_flexion_violations(p)
    return violations


def _shoulder_flexion_violations(p: PrescriptionRequest) -> list[Violation]:
    # The add-on raises demand: for activation work, not for recovery.
    if not p.shoulder_flexion:
        return []
    if p.context is Context.FILLER:
        return [
            Violation(
                "shoulder-flexion",
                "shoulder_flexion",
                "A filler is recovery between working sets: leave out the shoulder-flexion add-on.",
            )
        ]
    if p.context is Context.RECOVERY_DAY:
        return [
            Violation(
                "usage-context",
                "context",
                "A recovery day is lighter: leave out the shoulder-flexion add-on, or plan "
                "activation instead.",
            )
        ]
    return []
