"""The deprecated one-set session: evaluate's body plus when it was done."""

from __future__ import annotations

from marshmallow import fields, validate

from app.api.catalog_facts import ladder_exercises
from app.api.positions import BAND_FITS_LEVEL
from app.api.progressions.schemas import EvaluationRequestSchema
from app.api.schemas import (
    PageQuerySchema,
    RefusesServerOwnedFields,
    Rfc3339DateTime,
    StrictSchema,
    list_schema,
)
from app.domain.engine import Verdict


def performed_at_field(what: str) -> Rfc3339DateTime:
    return Rfc3339DateTime(
        required=True,
        metadata={
            "description": f"When the {what} was done: RFC 3339 with an offset, not in the "
            "future (5 minutes of clock skew allowed), not before 2000.",
            "example": "2026-11-20T07:30:00+01:00",
        },
    )


class SessionCreateSchema(RefusesServerOwnedFields, EvaluationRequestSchema):
    performed_at = performed_at_field("set")


# Cross-field rules the spec states besides the fields.
SESSION_CREATE_CONSTRAINTS = [BAND_FITS_LEVEL]


class RepOutSchema(StrictSchema):
    hold_seconds = fields.Float(required=True)
    strict_form = fields.Boolean(required=True)
    high_flexion = fields.Boolean(required=True)


class SessionSchema(StrictSchema):
    id = fields.UUID(required=True)
    athlete_id = fields.UUID(required=True)
    performed_at = fields.AwareDateTime(required=True, format="iso")
    exercise = fields.String(required=True)
    band_tension = fields.String(required=True)
    shoulder_flexion = fields.Boolean(required=True)
    reps = fields.List(fields.Nested(RepOutSchema), required=True)
    verdict = fields.String(
        required=True,
        validate=validate.OneOf([v.value for v in Verdict]),
        metadata={"description": "How the set went, as evaluate judges it."},
    )
    created_at = fields.AwareDateTime(required=True, format="iso")


SessionListSchema = list_schema(SessionSchema, "SessionList")


def performed_after_field(what: str) -> Rfc3339DateTime:
    return Rfc3339DateTime(
        metadata={"description": f"Only {what} at or after this instant (RFC 3339)."}
    )


def performed_before_field(what: str) -> Rfc3339DateTime:
    return Rfc3339DateTime(metadata={"description": f"Only {what} before this instant (RFC 3339)."})


class SessionQuerySchema(PageQuerySchema):
    exercise = fields.String(validate=validate.OneOf(ladder_exercises()))
    performed_after = performed_after_field("sessions")
    performed_before = performed_before_field("sessions")
