"""An athlete's position and reps in a body: fields, the spec's constraint, and parsing.

The enums (band tensions, levels) are the domain's."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from app.api.shared.catalog_facts import ladder_exercises
from app.domain.ladder import (
    BAND_ORDER,
    BANDS,
    LOWEST_LEVEL,
    TOP_LEVEL,
    BandTension,
    DomainError,
    Ladder,
    Position,
)
from app.domain.rules import MAX_HOLD_SECONDS, MAX_REPS_PER_SET
from app.web.enums import shared_enum
from app.web.schemas import JsonBoolean, JsonNumber, StrictSchema

BAND_TENSIONS = [band.value for band in BAND_ORDER]
LEVEL = validate.Range(LOWEST_LEVEL, TOP_LEVEL)
NOT_ON_THE_LADDER = (
    "Not a ladder exercise: use one of {choices}. Complementary lifts "
    "(deep-lunge, high-box-step-up) are not on the ladder."
)


def ladder_exercise_field(error: str = NOT_ON_THE_LADDER) -> fields.String:
    return ladder_exercise(
        required=True,
        validate=validate.OneOf(ladder_exercises(), error=error),
        metadata={
            "description": "A ladder exercise's slug (levels 1-5). Complementary lifts are "
            "not on the ladder: a 422.",
            "example": "half-kneeling-banded-psoas-hold",
        },
    )


def band_field(**kwargs: Any) -> fields.Enum:
    return shared_enum(
        fields.Enum(
            BandTension,
            by_value=True,
            metadata={"description": "Band tension: `none` on levels 1-2, a band on levels 3-5."},
            **kwargs,
        ),
        "BandTension",
    )


def stored_band(**kwargs: Any) -> fields.String:
    """A band tension in an answer (the `BandTension` enum), from a stored value."""
    return shared_enum(
        fields.String(validate=validate.OneOf(BAND_TENSIONS), **kwargs), "BandTension"
    )


def ladder_exercise(**kwargs: Any) -> fields.String:
    """A ladder exercise's slug, in a request or an answer (the `LadderExercise` enum)."""
    kwargs.setdefault("validate", validate.OneOf(ladder_exercises()))
    return shared_enum(fields.String(**kwargs), "LadderExercise")


def shoulder_flexion_field() -> JsonBoolean:
    return JsonBoolean(
        load_default=False,
        metadata={"description": "The shoulder-flexion add-on (arms overhead)."},
    )


# JSON Schema for "the band fits the level", so that the spec states what the
# engine enforces: levels 1-2 take `none`, levels 3-5 a band.
BAND_FITS_LEVEL: dict[str, Any] = {
    "if": {
        "properties": {"exercise": {"enum": ladder_exercises(banded=False)}},
        "required": ["exercise"],
    },
    "then": {"properties": {"band_tension": {"const": BandTension.NONE.value}}},
    "else": {"properties": {"band_tension": {"enum": [b.value for b in BANDS]}}},
}


def ladder_level(slug: str, ladder: Ladder) -> int:
    """The ladder level of an exercise; a 422 for anything off the ladder."""
    level = ladder.level_of(slug)
    if level is None:
        raise DomainError("exercise", "Not a ladder exercise.")
    return level


def position_from(body: dict[str, Any], ladder: Ladder) -> Position:
    """The domain's Position for a body's exercise, band and add-on (a 422 when it cannot be)."""
    level = ladder_level(body["exercise"], ladder)
    return Position(level, body["band_tension"], body.get("shoulder_flexion", False))


class RepSchema(StrictSchema):
    hold_seconds = JsonNumber(
        required=True,
        validate=validate.Range(0, MAX_HOLD_SECONDS),
        metadata={"description": f"How long the rep was held, 0-{MAX_HOLD_SECONDS} s."},
    )
    strict_form = JsonBoolean(required=True, metadata={"description": "Form stayed strict."})
    high_flexion = JsonBoolean(
        required=True,
        metadata={"description": "The leg reached the final 20-30 degrees of hip flexion."},
    )


class RepOutSchema(StrictSchema):
    hold_seconds = fields.Float(required=True)
    strict_form = fields.Boolean(required=True)
    high_flexion = fields.Boolean(required=True)


def reps_field() -> fields.List:
    return fields.List(
        fields.Nested(RepSchema),
        required=True,
        validate=validate.Length(1, MAX_REPS_PER_SET),
        metadata={"description": f"The set's reps, in order: 1-{MAX_REPS_PER_SET}."},
    )
