"""Routine schemas, shared by `POST /v1/routines` and the athlete's routine."""

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from app.api.shared.positions import (
    BAND_FITS_LEVEL,
    band_field,
    ladder_exercise_field,
    shoulder_flexion_field,
)
from app.domain.rules import Context
from app.web.enums import shared_enum
from app.web.schemas import NOT_ONLY_SPACES, JsonBoolean, StrictSchema, not_only_spaces

FILLER_TAKES_NO_COMPLEMENTARY = (
    "A filler takes no complementary work: the scissor lifts load the glutes, which compete "
    "with the hip-dominant lift the filler sits between."
)


def pair_with_field() -> fields.String:
    return fields.String(
        validate=[validate.Length(1, 100), not_only_spaces],
        metadata={
            "description": "For `filler` only: the hip-dominant lift the filler goes between.",
            "pattern": NOT_ONLY_SPACES,
            "example": "Romanian deadlift",
        },
    )


def routine_context() -> fields.Enum:
    """What a routine or a prescription is for (the `RoutineContext` enum)."""
    return shared_enum(fields.Enum(Context, by_value=True, required=True), "RoutineContext")


class RoutineOptionsSchema(StrictSchema):
    """What a routine is for: its context, and what goes with it."""

    context = routine_context()
    include_complementary = JsonBoolean(
        load_default=False,
        metadata={
            "description": "Add the complementary scissor work (deep lunge, step-up); "
            "not to a filler (a 422)."
        },
    )
    pair_with = pair_with_field()

    @validates_schema
    def filler_rules(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "pair_with" in data and data.get("context") is not Context.FILLER:
            raise ValidationError("Only a `filler` routine pairs with a lift.", "pair_with")
        if data.get("include_complementary") and data.get("context") is Context.FILLER:
            raise ValidationError(FILLER_TAKES_NO_COMPLEMENTARY, "include_complementary")


class RoutineRequestSchema(RoutineOptionsSchema):
    exercise = ladder_exercise_field()
    band_tension = band_field(required=True)
    shoulder_flexion = shoulder_flexion_field()


# What the spec states besides the fields: a filler pairs with a lift and takes no
# complementary work; only a filler pairs; and the band fits the level.
FILLER_RULES = {
    "if": {"properties": {"context": {"const": Context.FILLER.value}}, "required": ["context"]},
    "then": {
        "not": {
            "properties": {"include_complementary": {"const": True}},
            "required": ["include_complementary"],
        }
    },
    # `false`: the property must be absent (a `not`/`required` pair says the same, but
    # linters read that `required` as naming an undefined property).
    "else": {"properties": {"pair_with": False}},
}
ROUTINE_OPTIONS_CONSTRAINTS = [FILLER_RULES]
ROUTINE_REQUEST_CONSTRAINTS = [BAND_FITS_LEVEL, FILLER_RULES]


class BlockSchema(StrictSchema):
    exercise = shared_enum(fields.String(required=True), "ExerciseSlug")
    sets = fields.Integer(required=True)
    reps = fields.Integer(required=True)
    hold_seconds = fields.Integer(required=True)
    per_side = fields.Boolean(required=True)
    band_tension = band_field(required=True, attribute="band")
    shoulder_flexion = fields.Boolean(required=True)
    notes = fields.String(
        required=True,
        metadata={"description": "How to do the block, in the answer's language."},
    )


class RoutineSchema(StrictSchema):
    context = routine_context()
    blocks = fields.List(fields.Nested(BlockSchema), required=True)
