"""Ladder schemas."""

from marshmallow import fields, validate

from app.api.catalog_facts import band_tensions
from app.api.schemas import PageQuerySchema, StrictSchema, list_schema


class LadderLevelSchema(StrictSchema):
    level = fields.Integer(required=True, validate=validate.Range(1, 5))
    exercise = fields.String(required=True, metadata={"description": "The exercise's slug."})
    name = fields.String(required=True, metadata={"description": "The exercise's name."})
    goal = fields.String(required=True, metadata={"description": "The point of the level."})
    band_tensions = fields.List(
        fields.String(validate=validate.OneOf(band_tensions())),
        required=True,
        metadata={"description": "Band tensions the level can take, lightest first."},
    )


class LadderSchema(StrictSchema):
    slug = fields.String(required=True, metadata={"example": "psoas"})
    name = fields.String(required=True)
    description = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "The article's words."})
    levels = fields.List(
        fields.Nested(LadderLevelSchema),
        required=True,
        metadata={"description": "The levels, easiest first."},
    )


LadderListSchema = list_schema(LadderSchema, "LadderList")


class LadderQuerySchema(PageQuerySchema):
    pass
