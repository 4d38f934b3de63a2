"""Athlete, session, progress and recommendation schemas."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from app.api.catalog_facts import band_tensions, ladder_exercises
from app.api.positions import BAND_FITS_LEVEL
from app.api.progressions.schemas import EvaluationRequestSchema, EvaluationSchema
from app.api.schemas import (
    NO_NUL,
    NOT_ONLY_SPACES,
    PageQuerySchema,
    Rfc3339DateTime,
    StrictSchema,
    list_schema,
    not_only_spaces,
)

SERVER_OWNED = (
    "id",
    "created_at",
    "updated_at",
    "client_app_id",
    "client_app",
    "tenant",
    "tenant_id",
    "version",
    "athlete_id",
    "verdict",
)


class RefusesServerOwnedFields(StrictSchema):
    """A body naming a server-owned field is a 422 that says so (mass assignment)."""

    @ma.pre_load
    def refuse_server_owned(self, data: Any, **_kwargs: Any) -> Any:
        if isinstance(data, dict):
            owned = sorted(name for name in data if name in SERVER_OWNED)
            if owned:
                raise ma.ValidationError(
                    {name: ["Server-owned: the API sets it; leave it out."] for name in owned}
                )
        return data


def external_id_field(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=[validate.Length(1, 200), not_only_spaces],
        metadata={
            "description": "The client app's own id for the athlete; unique per app.",
            "pattern": NOT_ONLY_SPACES,
            "example": "user-8812",
        },
        **kwargs,
    )


def display_name_field() -> fields.String:
    return fields.String(
        allow_none=True,
        validate=validate.Length(1, 200),
        metadata={"description": "Optional name to show.", "example": "Sam", "pattern": NO_NUL},
    )


class AthleteCreateSchema(RefusesServerOwnedFields):
    external_id = external_id_field(required=True)
    display_name = display_name_field()


class AthleteUpdateSchema(RefusesServerOwnedFields):
    external_id = external_id_field()
    display_name = display_name_field()

    @ma.validates_schema
    def something_to_change(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError("Send external_id, display_name or both.", "_schema")


class AthleteSchema(StrictSchema):
    id = fields.UUID(required=True)
    external_id = fields.String(required=True)
    display_name = fields.String(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True, format="iso")
    updated_at = fields.AwareDateTime(required=True, format="iso")


AthleteListSchema = list_schema(AthleteSchema, "AthleteList")


class AthleteQuerySchema(PageQuerySchema):
    external_id = fields.String(
        validate=validate.Length(1, 200),
        metadata={"description": "Only the athlete with this external_id.", "pattern": NO_NUL},
    )


class SessionCreateSchema(RefusesServerOwnedFields, EvaluationRequestSchema):
    performed_at = Rfc3339DateTime(
        required=True,
        metadata={
            "description": "When the set was done: RFC 3339 with an offset, not in the future "
            "(5 minutes of clock skew allowed), not before 2000.",
            "example": "2026-11-20T07:30:00+01:00",
        },
    )


# Cross-field rules the spec states besides the fields.
SESSION_CREATE_CONSTRAINTS = [BAND_FITS_LEVEL]
ATHLETE_UPDATE_CONSTRAINTS = [{"minProperties": 1}]


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
        required=True, metadata={"description": "How the set went, as evaluate judges it."}
    )
    created_at = fields.AwareDateTime(required=True, format="iso")


SessionListSchema = list_schema(SessionSchema, "SessionList")


class SessionQuerySchema(PageQuerySchema):
    exercise = fields.String(validate=validate.OneOf(ladder_exercises()))
    performed_after = Rfc3339DateTime(
        metadata={"description": "Only sessions at or after this instant (RFC 3339)."}
    )
    performed_before = Rfc3339DateTime(
        metadata={"description": "Only sessions before this instant (RFC 3339)."}
    )


class PositionSchema(StrictSchema):
    band_tension = fields.String(required=True, validate=validate.OneOf(band_tensions()))
    shoulder_flexion = fields.Boolean(required=True)


class ExerciseProgressSchema(StrictSchema):
    exercise = fields.String(required=True)
    level = fields.Integer(required=True)
    sessions = fields.Integer(required=True)
    best_hold_seconds = fields.Float(
        required=True, allow_none=True, metadata={"description": "Longest counting hold."}
    )
    last_performed_at = fields.AwareDateTime(required=True, format="iso")
    current_position = fields.Nested(
        PositionSchema, required=True, metadata={"description": "As of the latest session."}
    )


class ProgressSchema(StrictSchema):
    athlete_id = fields.UUID(required=True)
    exercises = fields.List(fields.Nested(ExerciseProgressSchema), required=True)


class RecommendationSchema(EvaluationSchema):
    verdict = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(("mastered", "in_range", "falls_short")),
        metadata={"description": "The latest session's verdict; null with no session yet."},
    )
