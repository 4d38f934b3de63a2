"""An athlete's position in a request body: fields, the spec's constraint, and parsing."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from app.api.catalog_facts import ladder_exercises
from app.api.problems import Problem, validation_problem
from app.api.schemas import JsonBoolean
from app.domain.ladder import BANDS, BandTension, DomainError, Ladder, Position

NOT_ON_THE_LADDER = (
    "Not a ladder exercise: use one of {choices}. Complementary lifts "
    "(deep-lunge, high-box-step-up) are not on the ladder."
)


def ladder_exercise_field(error: str = NOT_ON_THE_LADDER) -> fields.String:
    return fields.String(
        required=True,
        validate=validate.OneOf(ladder_exercises(), error=error),
        metadata={
            "description": "A ladder exercise's slug (levels 1-5). Complementary lifts are "
            "not on the ladder: a 422.",
            "example": "half-kneeling-banded-psoas-hold",
        },
    )


def band_field(**kwargs: Any) -> fields.Enum:
    return fields.Enum(
        BandTension,
        by_value=True,
        metadata={"description": "Band tension: `none` on levels 1-2, a band on levels 3-5."},
        **kwargs,
    )


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
    """The ladder level of an exercise; 422 for anything off the ladder."""
    level = ladder.level_of(slug)
    if level is None:
        raise validation_problem(
            [{"location": "body", "field": "exercise", "message": "Not a ladder exercise."}]
        )
    return level


def position_from(body: dict[str, Any], ladder: Ladder) -> Position:
    """The domain's Position for a body's exercise, band and add-on; 422 when it cannot be."""
    level = ladder_level(body["exercise"], ladder)
    try:
        return Position(level, body["band_tension"], body.get("shoulder_flexion", False))
    except DomainError as error:
        raise domain_problem(error) from None


def domain_problem(error: DomainError) -> Problem:
    return validation_problem(
        [{"location": "body", "field": error.field, "message": error.message}],
        detail=error.message,
    )
