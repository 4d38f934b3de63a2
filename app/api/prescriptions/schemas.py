"""Prescription schemas."""

from marshmallow import fields, validate

from app.api.shared.positions import band_field, ladder_exercise_field, shoulder_flexion_field
from app.api.shared.routines import routine_context
from app.domain.rules import MAX_HOLD_SECONDS, MAX_REPS_PER_SET
from app.web.enums import shared_enum
from app.web.schemas import JsonInteger, JsonNumber, StrictSchema

MAX_SETS = 20


class PrescriptionSchema(StrictSchema):
    exercise = ladder_exercise_field()
    sets = JsonInteger(
        required=True,
        validate=validate.Range(0, MAX_SETS),
        metadata={"description": f"Sets per side, 0-{MAX_SETS} (the rules allow fewer)."},
    )
    reps = JsonInteger(
        required=True,
        validate=validate.Range(0, MAX_REPS_PER_SET),
        metadata={"description": f"Reps per set and side, 0-{MAX_REPS_PER_SET}."},
    )
    hold_seconds = JsonNumber(
        required=True,
        validate=validate.Range(0, MAX_HOLD_SECONDS),
        metadata={"description": f"Seconds each rep is held, 0-{MAX_HOLD_SECONDS}."},
    )
    band_tension = band_field(required=True)
    shoulder_flexion = shoulder_flexion_field()
    context = routine_context()


class ViolationSchema(StrictSchema):
    rule = shared_enum(
        fields.String(required=True, metadata={"description": "Slug of the rule broken."}),
        "RuleSlug",
    )
    field = fields.String(required=True, metadata={"description": "The body field at fault."})
    message = fields.String(
        required=True,
        metadata={"description": "What to change, in the answer's language (`Content-Language`)."},
    )


class ValidationResultSchema(StrictSchema):
    valid = fields.Boolean(required=True)
    violations = fields.List(fields.Nested(ViolationSchema), required=True)
