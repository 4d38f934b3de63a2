"""Athlete schemas."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from app.web.schemas import (
    NO_NUL,
    NOT_ONLY_SPACES,
    PageQuerySchema,
    RefusesServerOwnedFields,
    StrictSchema,
    list_schema,
    not_only_spaces,
)


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


# Cross-field rules the spec states besides the fields.
ATHLETE_UPDATE_CONSTRAINTS = [{"minProperties": 1}]
