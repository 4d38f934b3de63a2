"""Checking a prescription against the programming rules: every violation at once."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.ladder import BandTension, band_fits, takes_band
from app.domain.messages import Text, text
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
    text: Text

    @property
    def message(self) -> str:
        """In English."""
        return str(self.text)


def check_prescription(p: PrescriptionRequest) -> list[Violation]:
    """Every rule the prescription breaks, each naming its rule and field."""
    violations: list[Violation] = []
    if p.hold_seconds not in HOLD_SECONDS:
        violations.append(
            Violation(
                "hold-duration",
                "hold_seconds",
                text(
                    "hold.too-short" if p.hold_seconds < HOLD_SECONDS.min else "hold.too-long",
                    min=HOLD_SECONDS.min,
                    max=HOLD_SECONDS.max,
                    hold=p.hold_seconds,
                ),
            )
        )
    if p.reps not in REPS:
        violations.append(
            Violation(
                "repetitions",
                "reps",
                text(
                    "reps.too-few" if p.reps < REPS.min else "reps.too-many",
                    min=REPS.min,
                    max=REPS.max,
                    reps=p.reps,
                ),
            )
        )
    sets = SETS_BY_CONTEXT[p.context]
    if p.sets not in sets:
        said = (
            text("sets.exactly", context=p.context.value, allowed=sets.min, sets=p.sets)
            if sets.min == sets.max
            else text(
                "sets.between", context=p.context.value, min=sets.min, max=sets.max, sets=p.sets
            )
        )
        violations.append(Violation("sets-per-context", "sets", said))
    if not band_fits(p.level, p.band):
        violations.append(
            Violation(
                "band-tension",
                "band_tension",
                text(
                    "band.needed-at-level" if takes_band(p.level) else "band.none-at-level",
                    level=p.level,
                ),
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
                text("add-on.filler"),
            )
        ]
    if p.context is Context.RECOVERY_DAY:
        return [
            Violation(
                "usage-context",
                "context",
                text("add-on.recovery-day"),
            )
        ]
    return []
