"""Routines for a context: activation, recovery day, filler; optional scissor work."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.engine import Prescription
from app.domain.ladder import LOWEST_LEVEL, BandTension, DomainError, Ladder, Position, takes_band
from app.domain.messages import Text, text
from app.domain.rules import SETS_BY_CONTEXT, Context, Targets

ACTIVATION_SETS, ACTIVATION_REPS, ACTIVATION_HOLD = 2, 5, 3
RECOVERY_SETS, RECOVERY_REPS, RECOVERY_HOLD = 1, 3, 3
FILLER_SETS, FILLER_REPS, FILLER_HOLD = 1, 5, 3
SCISSOR_REPS, SCISSOR_HOLD = 5, 2
COMPLEMENTARY = ("deep-lunge", "high-box-step-up")


@dataclass(frozen=True)
class Block:
    exercise: str
    sets: int
    reps: int
    hold_seconds: int
    per_side: bool
    band: BandTension
    shoulder_flexion: bool
    notes: Text


def build_routine(
    context: Context,
    position: Position,
    ladder: Ladder,
    *,
    include_complementary: bool = False,
    pair_with: str | None = None,
    prescription: Prescription | None = None,
) -> list[Block]:
    """The blocks of a routine, in the order they are done.

    With an athlete's `prescription`, the blocks take its reps and hold (and its position)
    instead of the context's fixed numbers, so logging them as given never demotes.
    """
    if context is Context.FILLER and include_complementary:
        raise DomainError(
            "include_complementary",
            "A filler takes no complementary work: the scissor lifts load the glutes, which "
            "compete with the hip-dominant lift the filler sits between.",
        )
    if prescription is not None:
        position = prescription.position
    if context is Context.ACTIVATION:
        blocks = [_activation(position, ladder, prescription)]
    elif context is Context.RECOVERY_DAY:
        blocks = _recovery_day(position, ladder, _targets(prescription, RECOVERY))
    else:
        blocks = [_filler(position, ladder, pair_with, _targets(prescription, FILLER))]
    if include_complementary:
        blocks += [_scissor(slug, blocks[0].sets) for slug in COMPLEMENTARY]
    return blocks


RECOVERY = Targets(RECOVERY_REPS, RECOVERY_HOLD)
FILLER = Targets(FILLER_REPS, FILLER_HOLD)


def _targets(prescription: Prescription | None, default: Targets) -> Targets:
    if prescription is None:
        return default
    return Targets(prescription.reps, prescription.hold_seconds)


def _activation(position: Position, ladder: Ladder, prescription: Prescription | None) -> Block:
    if prescription is None:
        sets, reps, hold = ACTIVATION_SETS, ACTIVATION_REPS, ACTIVATION_HOLD
    else:
        # At least the usual two sets of prep; a plateau's extra set is already two.
        sets = SETS_BY_CONTEXT[Context.ACTIVATION].clamp(max(prescription.sets, ACTIVATION_SETS))
        reps, hold = prescription.reps, prescription.hold_seconds
    return Block(
        ladder.exercise_at(position.level),
        sets,
        reps,
        hold,
        True,
        position.band,
        position.shoulder_flexion,
        text("routine.activation"),
    )


def recovery_band(level: int, position: Position) -> BandTension:
    """Lighter than today: the current level one notch down (never below light), others light."""
    if not takes_band(level):
        return BandTension.NONE
    if level < position.level or position.band is BandTension.LIGHT:
        return BandTension.LIGHT
    order = list(BandTension)
    return order[order.index(position.band) - 1]


def _recovery_day(position: Position, ladder: Ladder, targets: Targets) -> list[Block]:
    return [
        Block(
            ladder.exercise_at(level),
            RECOVERY_SETS,
            targets.reps,
            targets.hold_seconds,
            True,
            recovery_band(level, position),
            False,
            text("routine.recovery-day", level=level, top=position.level),
        )
        for level in range(LOWEST_LEVEL, position.level + 1)
    ]


def _filler(position: Position, ladder: Ladder, pair_with: str | None, targets: Targets) -> Block:
    notes = text("routine.filler-paired", lift=pair_with) if pair_with else text("routine.filler")
    return Block(
        ladder.exercise_at(position.level),
        FILLER_SETS,
        targets.reps,
        targets.hold_seconds,
        True,
        position.band,
        False,
        notes,
    )


def _scissor(slug: str, sets: int) -> Block:
    # As many sets as the context's drills take, so the routine keeps its context's rules.
    return Block(
        slug,
        sets,
        SCISSOR_REPS,
        SCISSOR_HOLD,
        True,
        BandTension.NONE,
        False,
        text("routine.scissor", hold=SCISSOR_HOLD),
    )
