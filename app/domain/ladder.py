"""The psoas ladder: band tensions, positions on it, and single steps up and down."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DomainError(ValueError):
    """Input the domain cannot work with; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class BandTension(StrEnum):
    NONE = "none"
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"
    EXTRA_HEAVY = "extra_heavy"


# Lightest first; the order the catalog's `band-tension` rule serves.
BAND_ORDER: tuple[BandTension, ...] = tuple(BandTension)
BANDS: tuple[BandTension, ...] = BAND_ORDER[1:]
LOWEST_LEVEL, TOP_LEVEL = 1, 5
LEVELS: tuple[int, ...] = tuple(range(LOWEST_LEVEL, TOP_LEVEL + 1))
UNBANDED_LEVELS: tuple[int, ...] = (1, 2)
BANDED_LEVELS: tuple[int, ...] = (3, 4, 5)


def takes_band(level: int) -> bool:
    return level in BANDED_LEVELS


def allowed_bands(level: int) -> tuple[BandTension, ...]:
    return BANDS if takes_band(level) else (BandTension.NONE,)


def band_fits(level: int, band: BandTension) -> bool:
    return band in allowed_bands(level)


@dataclass(frozen=True)
class Position:
    """Where an athlete stands: exercise level, band tension, shoulder-flexion add-on."""

    level: int
    band: BandTension
    shoulder_flexion: bool = False

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise DomainError("level", f"Levels run from {LOWEST_LEVEL} to {TOP_LEVEL}.")
        if not band_fits(self.level, self.band):
            needs = "a band (light to extra_heavy)" if takes_band(self.level) else "no band"
            raise DomainError(
                "band_tension",
                f"Level {self.level} takes {needs}; `{self.band.value}` does not fit it.",
            )

    @property
    def is_top(self) -> bool:
        return self == TOP

    @property
    def is_bottom(self) -> bool:
        return self == BOTTOM


TOP = Position(TOP_LEVEL, BandTension.EXTRA_HEAVY, True)
BOTTOM = Position(LOWEST_LEVEL, BandTension.NONE, False)


def _notch(band: BandTension, by: int) -> BandTension:
    return BAND_ORDER[BAND_ORDER.index(band) + by]


def step_up(position: Position) -> Position | None:
    """One step harder, in the ladder's order; None at the very top."""
    level, band, add_on = position.level, position.band, position.shoulder_flexion
    if not takes_band(level):
        # Levels 1-2 progress by level; the add-on is dropped.
        return Position(level + 1, BandTension.LIGHT if takes_band(level + 1) else band)
    if band is not BandTension.EXTRA_HEAVY:
        return Position(level, _notch(band, +1), add_on)
    if not add_on:
        return Position(level, band, True)
    if level == TOP_LEVEL:
        return None
    return Position(level + 1, BandTension.LIGHT)


def step_down(position: Position) -> Position | None:
    """One step easier, in the ladder's order; None at the very bottom."""
    level, band, add_on = position.level, position.band, position.shoulder_flexion
    if add_on:
        return Position(level, band)
    if takes_band(level):
        if band is not BandTension.LIGHT:
            return Position(level, _notch(band, -1))
        below = level - 1
        return Position(below, BandTension.EXTRA_HEAVY if takes_band(below) else BandTension.NONE)
    if level == LOWEST_LEVEL:
        return None
    return Position(level - 1, BandTension.NONE)


@dataclass(frozen=True)
class Ladder:
    """The ladder's exercises by level, as the catalog names them."""

    exercises: tuple[str, ...]

    def level_of(self, slug: str) -> int | None:
        return self.exercises.index(slug) + 1 if slug in self.exercises else None

    def exercise_at(self, level: int) -> str:
        return self.exercises[level - 1]
