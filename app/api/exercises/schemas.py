"""Exercise schemas and the list's filters."""

from marshmallow import fields, validate

from app.api.catalog_facts import muscle_slugs
from app.api.schemas import (
    NOT_ONLY_SPACES,
    PageQuerySchema,
    QueryInteger,
    StrictSchema,
    list_schema,
    not_only_spaces,
)
from app.catalog.data import DECIDED_BY, EQUIPMENT, PLANES, POSITIONS, ROLES
from app.catalog.search import NO_EQUIPMENT

LEVELS = validate.Range(1, 5)


class ExerciseSchema(StrictSchema):
    slug = fields.String(required=True, metadata={"example": "half-kneeling-banded-psoas-hold"})
    name = fields.String(required=True)
    level = fields.Integer(
        required=True,
        allow_none=True,
        validate=LEVELS,
        metadata={"description": "Ladder level 1-5; null for complementary lifts."},
    )
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    load = fields.String(required=True, metadata={"description": "What loads the exercise."})
    contraction = fields.String(required=True, validate=validate.OneOf(("isometric", "dynamic")))
    per_side = fields.Boolean(required=True, metadata={"description": "Done on each side."})
    takes_band = fields.Boolean(
        required=True,
        metadata={"description": "Needs a resistance band (levels 3-5); see rule `band-tension`."},
    )
    equipment = fields.List(
        fields.String(validate=validate.OneOf(EQUIPMENT)),
        required=True,
        metadata={"description": "Equipment needed; empty for body weight."},
    )
    planes = fields.List(fields.String(validate=validate.OneOf(PLANES)), required=True)
    muscles = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Slugs of the muscles trained (see /v1/muscles)."},
    )
    goal = fields.String(required=True, metadata={"description": "The point of the exercise."})
    cues = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "How to do it, step by step. Most cues are Psoas API's own coaching, "
            "not the article's: `cues_decided_by` says which is which."
        },
    )
    cues_decided_by = fields.List(
        fields.String(validate=validate.OneOf(DECIDED_BY)),
        required=True,
        metadata={
            "description": "Who each cue comes from, in the order of `cues` (always the same "
            "length): `article` when the article's text says it, `project` when it is "
            "Psoas API's own coaching (the article gives almost no cues). The same values "
            "as a rule's `decided_by`."
        },
    )
    source = fields.String(
        required=True, metadata={"description": "The article's words this exercise rests on."}
    )


ExerciseListSchema = list_schema(ExerciseSchema, "ExerciseList")


class ExerciseQuerySchema(PageQuerySchema):
    level = QueryInteger(validate=LEVELS, metadata={"description": "Ladder level, 1-5."})
    role = fields.String(validate=validate.OneOf(ROLES))
    equipment = fields.String(
        validate=validate.OneOf((*EQUIPMENT, NO_EQUIPMENT)),
        metadata={"description": "Needs this equipment; `none` for body-weight exercises."},
    )
    position = fields.String(validate=validate.OneOf(POSITIONS))
    plane = fields.String(
        validate=validate.OneOf(PLANES), metadata={"description": "Works in this plane."}
    )
    muscle = fields.String(
        validate=validate.OneOf(muscle_slugs()), metadata={"description": "Trains this muscle."}
    )
    q = fields.String(
        validate=[validate.Length(1, 100), not_only_spaces],
        metadata={
            "pattern": NOT_ONLY_SPACES,
            "description": "Case-insensitive search over names, cues and muscle names; "
            "every word must match.",
            "example": "band",
        },
    )
