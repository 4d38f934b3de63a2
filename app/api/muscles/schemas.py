"""Muscle schemas."""

from marshmallow import fields

from app.api.schemas import PageQuerySchema, StrictSchema, list_schema


class MuscleSchema(StrictSchema):
    slug = fields.String(required=True, metadata={"example": "psoas-major"})
    name = fields.String(required=True)
    group = fields.String(
        required=True, metadata={"description": "Muscle group: `iliopsoas` or `gluteals`."}
    )
    pronunciation = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "As the article gives it (`so-es`, the p silent); "
            "null where the article gives none."
        },
    )
    origin = fields.String(required=True, metadata={"description": "Textbook origin."})
    insertion = fields.String(required=True, metadata={"description": "Textbook insertion."})
    actions = fields.List(fields.String(), required=True)
    notes = fields.List(fields.String(), required=True)
    source = fields.String(
        required=True, metadata={"description": "The article's words this entry rests on."}
    )
    source_note = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Where and why the entry departs from the article's wording."},
    )


MuscleListSchema = list_schema(MuscleSchema, "MuscleList")


class MuscleQuerySchema(PageQuerySchema):
    pass
