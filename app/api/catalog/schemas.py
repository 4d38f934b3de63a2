"""Catalog schemas: muscles, exercises, ladders and rules, and their lists' filters."""

from collections.abc import Sequence
from typing import Any

from marshmallow import fields, validate

from app.api.shared.catalog_facts import muscle_slugs
from app.api.shared.positions import LEVEL, stored_band
from app.catalog.data import (
    CONTRACTIONS,
    DECIDED_BY,
    EQUIPMENT,
    PLANES,
    POSITIONS,
    ROLES,
    RULE_KINDS,
    ExerciseRecord,
)
from app.catalog.search import NO_EQUIPMENT
from app.web.enums import shared_enum
from app.web.schemas import (
    NOT_ONLY_SPACES,
    PageQuerySchema,
    QueryInteger,
    StrictSchema,
    list_schema,
    not_only_spaces,
)


def one_of(
    component: str,
    values: Sequence[str] | None = None,
    description: str | None = None,
    *,
    or_const: tuple[str, str] | None = None,
    **kwargs: Any,
) -> fields.String:
    """A string among `values`, documented as the shared enum component `component`."""
    if values is not None:
        kwargs["validate"] = validate.OneOf(values)
    if description is not None:
        kwargs["metadata"] = {"description": description}
    return shared_enum(fields.String(**kwargs), component, or_const=or_const)


def diagram_path(exercise: ExerciseRecord) -> str:
    return f"/v1/exercises/{exercise.slug}/diagram.svg"


class MuscleSchema(StrictSchema):
    slug = shared_enum(
        fields.String(required=True, metadata={"example": "psoas-major"}), "MuscleSlug"
    )
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


class ExerciseSchema(StrictSchema):
    slug = shared_enum(
        fields.String(required=True, metadata={"example": "half-kneeling-banded-psoas-hold"}),
        "ExerciseSlug",
    )
    name = fields.String(required=True)
    level = fields.Integer(
        required=True,
        allow_none=True,
        validate=LEVEL,
        metadata={"description": "Ladder level 1-5; null for complementary lifts."},
    )
    role = one_of("ExerciseRole", ROLES, required=True)
    position = one_of("BodyPosition", POSITIONS, required=True)
    load = fields.String(required=True, metadata={"description": "What loads the exercise."})
    contraction = one_of("Contraction", CONTRACTIONS, required=True)
    per_side = fields.Boolean(required=True, metadata={"description": "Done on each side."})
    takes_band = fields.Boolean(
        required=True,
        metadata={"description": "Needs a resistance band (levels 3-5); see rule `band-tension`."},
    )
    equipment = fields.List(
        one_of("Equipment", EQUIPMENT),
        required=True,
        metadata={"description": "Equipment needed; empty for body weight."},
    )
    planes = fields.List(one_of("Plane", PLANES), required=True)
    muscles = fields.List(
        shared_enum(fields.String(), "MuscleSlug"),
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
        one_of("DecidedBy", DECIDED_BY),
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
    diagram_url = fields.Function(
        diagram_path,
        required=True,
        metadata={
            "type": "string",
            "format": "uri-reference",
            "description": "The exercise's diagram (SVG, served by this API): side view, the "
            "leg driven into high hip flexion, the band and its anchor where there is one.",
            "example": "/v1/exercises/supine-psoas-activation/diagram.svg",
        },
    )
    diagram_alt = fields.String(
        required=True,
        metadata={"description": "What the diagram shows, as text (its `alt`), translated."},
    )


ExerciseListSchema = list_schema(ExerciseSchema, "ExerciseList")


class ExerciseQuerySchema(PageQuerySchema):
    level = QueryInteger(validate=LEVEL, metadata={"description": "Ladder level, 1-5."})
    role = one_of("ExerciseRole", ROLES, "`ladder` (levels 1-5) or `complementary` lifts.")
    equipment = one_of(
        "Equipment",
        (*EQUIPMENT, NO_EQUIPMENT),
        "Needs this equipment; `none` for body-weight exercises.",
        or_const=(NO_EQUIPMENT, "Body weight: no equipment."),
    )
    position = one_of("BodyPosition", POSITIONS, "Done in this body position.")
    plane = one_of("Plane", PLANES, "Works in this plane.")
    muscle = one_of("MuscleSlug", muscle_slugs(), "Trains this muscle.")
    q = fields.String(
        validate=[validate.Length(1, 100), not_only_spaces],
        metadata={
            "pattern": NOT_ONLY_SPACES,
            "description": "Case-insensitive search over names, cues and muscle names, in "
            "the answer's language (`Accept-Language`: `q=lunge` in English, "
            "`q=Ausfallschritt` in German); every word must match.",
            "example": "band",
        },
    )


class LadderLevelSchema(StrictSchema):
    level = fields.Integer(required=True, validate=LEVEL)
    exercise = shared_enum(
        fields.String(required=True, metadata={"description": "The exercise's slug."}),
        "LadderExercise",
    )
    name = fields.String(required=True, metadata={"description": "The exercise's name."})
    goal = fields.String(required=True, metadata={"description": "The point of the level."})
    band_tensions = fields.List(
        stored_band(),
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


class RuleSchema(StrictSchema):
    slug = shared_enum(
        fields.String(required=True, metadata={"example": "hold-duration"}), "RuleSlug"
    )
    name = fields.String(required=True)
    kind = one_of(
        "RuleKind",
        RULE_KINDS,
        "`range`: a value between `min` and `max` in `unit`; `enum`: one of `values`; "
        "`condition`: a yes/no requirement.",
        required=True,
    )
    statement = fields.String(required=True, metadata={"description": "The rule, for a person."})
    min = fields.Integer(required=True, allow_none=True)
    max = fields.Integer(required=True, allow_none=True)
    unit = fields.String(
        required=True, allow_none=True, metadata={"description": "`s`, `reps`, `sets` or `deg`."}
    )
    values = fields.List(
        fields.String(),
        required=True,
        allow_none=True,
        metadata={"description": "For `enum` rules: the allowed values, in order."},
    )
    parameters = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "Further machine-readable details, specific to the rule."},
    )
    decided_by = one_of(
        "DecidedBy",
        DECIDED_BY,
        "`article` when the rule is the article's; `project` when it is Psoas API's own decision.",
        required=True,
    )
    source = fields.String(required=True, metadata={"description": "The article's words."})
    note = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Decisions the project took in applying the rule."},
    )


RuleListSchema = list_schema(RuleSchema, "RuleList")


class RuleQuerySchema(PageQuerySchema):
    decided_by = one_of(
        "DecidedBy", DECIDED_BY, "Only the article's rules, or only the project's decisions."
    )
