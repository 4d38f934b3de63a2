"""Routine schemas."""

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from app.api.positions import (
    BAND_FITS_LEVEL,
    band_field,
    ladder_exercise_field,
    shoulder_flexion_field,
)
from app.api.schemas import NOT_ONLY_SPACES, JsonBoolean, StrictSchema, not_only_spaces
from app.domain.rules import Context


class RoutineRequestSchema(StrictSchema):
    context = fields.Enum(Context, by_value=True, required=True)
    exercise = ladder_exercise_field()
    band_tension = band_field(required=True)
    shoulder_flexion = shoulder_flexion_field()
    include_complementary = JsonBoolean(
        load_default=False,
        metadata={"description": "Add the complementary scissor work (deep lunge, step-up)."},
    )
    pair_with = fields.String(
        validate=[validate.Length(1, 100), not_only_spaces],
        metadata={
            "description": "For `filler` only: the hip-dominant lift the filler goes between.",
            "pattern": NOT_ONLY_SPACES,
            "example": "Romanian deadlift",
        },
    )

    @validates_schema
    def pair_with_only_for_filler(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "pair_with" in data and data.get("context") is not Context.FILLER:
            raise ValidationError("Only a `filler` routine pairs with a lift.", "pair_with")


# What the spec states besides the fields: the band fits the level; pair_with is for fillers.
ROUTINE_REQUEST_CONSTRAINTS = [
    BAND_FITS_LEVEL,
    {
        "if": {"properties": {"context": {"const": Context.FILLER.value}}, "required": ["context"]},
        "else": {"not": {"required": ["pair_with"]}},
    },
]


class BlockSchema(StrictSchema):
    exercise = fields.String(required=True)
    sets = fields.Integer(required=True)
    reps = fields.Integer(required=True)
    hold_seconds = fields.Integer(required=True)
    per_side = fields.Boolean(required=True)
    band_tension = band_field(required=True, attribute="band")
    shoulder_flexion = fields.Boolean(required=True)
    notes = fields.String(required=True)


class RoutineSchema(StrictSchema):
    context = fields.Enum(Context, by_value=True, required=True)
    blocks = fields.List(fields.Nested(BlockSchema), required=True)
