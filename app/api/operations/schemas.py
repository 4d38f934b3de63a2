"""Schemas of the operations endpoints."""

from marshmallow import fields, validate

from app.web.schemas import StrictSchema


class HealthSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(("ok",)))


class ReadinessSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(("ready",)))
    database = fields.String(required=True, validate=validate.OneOf(("ok",)))
