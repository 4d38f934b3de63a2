"""Routines for a context: activation, recovery day, filler; optional scissor work."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.ladder import LOWEST_LEVEL, BandTension, Ladder, Position, takes_band
from app.domain.rules import Context

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
    notes: str


def build_routine(
    context: Context,
    position: Position,
    ladder: Ladder,
    *,
    include_complementary: bool = False,
    pair_with: str | None = None,
) -> list[Block]:
    """The blocks of a routine, in the order they are done."""
    if context is Context.ACTIVATION:
        blocks = [_activation(position, ladder)]
    elif context is Context.RECOVERY_DAY:
        blocks = _recovery_day(position, ladder)
    else:
        blocks = [_filler(position, ladder, pair_with)]
    if include_complementary:
        blocks += [_scissor(slug, blocks[0].sets) for slug in COMPLEMENTARY]
    return blocks


def _activation(position: Position, ladder: Ladder) -> Block:
    return Block(
        ladder.exercise_at(position.level),
        ACTIVATION_SETS,
        ACTIVATION_REPS,
        ACTIVATION_HOLD,
        True,
        position.band,
        position.shoulder_flexion,
        "Prep work: do this before the main training, each side, to turn the psoas on.",
    )


def recovery_band(level: int, position: Position) -> BandTension:
    """Lighter than today: the current level one notch down (never below light), others light."""
    if not takes_band(level):
        return BandTension.NONE
    if level < position.level or position.band is BandTension.LIGHT:
        return BandTension.LIGHT
    order = list(BandTension)
    return order[order.index(position.band) - 1]


def _recovery_day(position: Position, ladder: Ladder) -> list[Block]:
    return [
        Block(
            ladder.exercise_at(level),
            RECOVERY_SETS,
            RECOVERY_REPS,
            RECOVERY_HOLD,
            True,
            recovery_band(level, position),
            False,
            f"Recovery day, level {level} of {position.level}: lighter, no add-on.",
        )
        for level in range(LOWEST_LEVEL, position.level + 1)
    ]


def _filler(position: Position, ladder: Ladder, pair_with: str | None) -> Block:
    partner = f"sets of {pair_with}" if pair_with else "sets of a non-competing, hip-dominant lift"
    return Block(
        ladder.exercise_at(position.level),
        FILLER_SETS,
        FILLER_REPS,
        FILLER_HOLD,
        True,
        position.band,
        False,
        f"Recovery filler: one set between {partner}; no add-on, it is recovery.",
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
        "Complementary scissor work: one leg rises, the other extends; pause 2 s in the "
        "scissor position (knee high, rear hip extended). Trains the glute that pairs with "
        "the psoas; load it as a strength lift on other days.",
    )
