"""Evaluation schemas."""

from marshmallow import fields, validate

from app.api.catalog_facts import ladder_exercises
from app.api.positions import (
    BAND_FITS_LEVEL,
    band_field,
    ladder_exercise_field,
    shoulder_flexion_field,
)
from app.api.schemas import JsonBoolean, JsonNumber, StrictSchema
from app.domain.engine import Decision, Verdict
from app.domain.rules import MAX_HOLD_SECONDS, MAX_REPS_PER_SET


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


class EvaluationRequestSchema(StrictSchema):
    exercise = ladder_exercise_field()
    band_tension = band_field(required=True)
    shoulder_flexion = shoulder_flexion_field()
    reps = reps_field()


# The spec states the engine's own constraint: the band must fit the level.
EVALUATION_REQUEST_CONSTRAINTS = [BAND_FITS_LEVEL]


class NextSchema(StrictSchema):
    # The ladder's slugs, as a set's `exercise` takes them: a client logs `next` back as is.
    exercise = fields.String(required=True, validate=validate.OneOf(ladder_exercises()))
    level = fields.Integer(required=True, validate=validate.Range(1, 5))
    band_tension = band_field(required=True)
    shoulder_flexion = fields.Boolean(required=True)
    sets = fields.Integer(required=True)
    reps = fields.Integer(required=True)
    hold_seconds = fields.Integer(required=True)


class ReasonSchema(StrictSchema):
    rule = fields.String(required=True, metadata={"description": "A slug of GET /v1/rules."})
    message = fields.String(required=True)


class EvaluationSchema(StrictSchema):
    decision = fields.Enum(
        Decision,
        by_value=True,
        required=True,
        metadata={"description": "`up` or `down` exactly when the position changes."},
    )
    verdict = fields.Enum(
        Verdict,
        by_value=True,
        required=True,
        metadata={"description": "How the set went (rules `mastered-set`, `falling-short`)."},
    )
    next = fields.Nested(NextSchema, required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
