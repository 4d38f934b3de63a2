"""Schemas of the operations endpoints."""

from marshmallow import fields

from app.web.enums import constant
from app.web.schemas import StrictSchema


class HealthSchema(StrictSchema):
    status = constant(fields.String(required=True), "ok")


class ReadinessSchema(StrictSchema):
    status = constant(fields.String(required=True), "ready")
    database = constant(fields.String(required=True), "ok")
