"""The deprecated one-set session: evaluate's body plus when it was done."""

from __future__ import annotations

from marshmallow import fields

from app.api.shared.engine import EvaluationRequestSchema, verdict_field
from app.api.shared.positions import (
    BAND_FITS_LEVEL,
    RepOutSchema,
    ladder_exercise,
    stored_band,
)
from app.web.schemas import (
    PageQuerySchema,
    RefusesServerOwnedFields,
    StrictSchema,
    list_schema,
    performed_after_field,
    performed_at_field,
    performed_before_field,
)


class SessionCreateSchema(RefusesServerOwnedFields, EvaluationRequestSchema):
    performed_at = performed_at_field("set")


# Cross-field rules the spec states besides the fields.
SESSION_CREATE_CONSTRAINTS = [BAND_FITS_LEVEL]


class SessionSchema(StrictSchema):
    id = fields.UUID(required=True)
    athlete_id = fields.UUID(required=True)
    performed_at = fields.AwareDateTime(required=True, format="iso")
    exercise = ladder_exercise(required=True)
    band_tension = stored_band(required=True)
    shoulder_flexion = fields.Boolean(required=True)
    reps = fields.List(fields.Nested(RepOutSchema), required=True)
    verdict = verdict_field("How the set went, as evaluate judges it.")
    created_at = fields.AwareDateTime(required=True, format="iso")


SessionListSchema = list_schema(SessionSchema, "SessionList")


class SessionQuerySchema(PageQuerySchema):
    exercise = ladder_exercise(metadata={"description": "Only sessions of this exercise."})
    performed_after = performed_after_field("sessions")
    performed_before = performed_before_field("sessions")
