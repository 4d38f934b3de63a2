"""Workout schemas: a workout's sets per side, its complementary lifts, and the judgement."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from app.api.shared.catalog_facts import complementary_exercises, ladder_exercises
from app.api.shared.engine import verdict_field
from app.api.shared.positions import (
    BAND_FITS_LEVEL,
    RepOutSchema,
    band_field,
    ladder_exercise,
    ladder_exercise_field,
    reps_field,
    shoulder_flexion_field,
)
from app.domain.ladder import takes_band
from app.domain.workouts import Side, WorkoutContext
from app.web.enums import shared_enum
from app.web.schemas import (
    NO_NUL,
    JsonBoolean,
    JsonInteger,
    JsonNumber,
    PageQuerySchema,
    RefusesServerOwnedFields,
    StrictSchema,
    list_schema,
    performed_after_field,
    performed_at_field,
    performed_before_field,
)

MAX_SETS, MAX_LIFTS, MAX_LIFT_REPS, MAX_LOAD_KG = 40, 20, 100, 500
INPUT_SIDES = [Side.LEFT.value, Side.RIGHT.value]


def side_field(
    description: str = "Which leg was driven up: every drill is unilateral.",
    sides: list[str] = INPUT_SIDES,
    component: str = "Side",
) -> fields.String:
    return shared_enum(
        fields.String(
            required=True,
            validate=validate.OneOf(sides),
            metadata={"description": description},
        ),
        component,
    )


def pain_field() -> JsonBoolean:
    return JsonBoolean(
        load_default=False,
        metadata={
            "description": "The athlete felt pain. At the position a counting workout is "
            "judged at, it steps the athlete down (rule `pain`)."
        },
    )


def rpe_field() -> JsonNumber:
    return JsonNumber(
        allow_none=True,
        validate=validate.Range(0, 10),
        metadata={"description": "Rating of perceived exertion, 0-10 (halves allowed)."},
    )


class SetSchema(StrictSchema):
    """A ladder set, on one side, as evaluate takes it."""

    exercise = ladder_exercise_field(
        error="Not a ladder exercise: use one of {choices}. Log the complementary lifts "
        "(deep-lunge, high-box-step-up) in `complementary`."
    )
    side = side_field()
    band_tension = band_field(required=True)
    shoulder_flexion = shoulder_flexion_field()
    reps = reps_field()
    pain = pain_field()
    rpe = rpe_field()

    @ma.validates_schema
    def band_fits_the_level(self, data: dict[str, Any], **_kwargs: Any) -> None:
        exercise, band = data.get("exercise"), data.get("band_tension")
        if exercise is None or band is None:
            return
        level = ladder_exercises().index(exercise) + 1
        if takes_band(level) == (band.value == "none"):
            needs = "a band (light to extra_heavy)" if takes_band(level) else "no band (`none`)"
            raise ma.ValidationError(f"Level {level} takes {needs}.", "band_tension")


class ComplementarySchema(StrictSchema):
    """A complementary scissor lift on one side: stored, never on the ladder."""

    exercise = shared_enum(
        fields.String(
            required=True,
            validate=validate.OneOf(
                complementary_exercises(),
                error="Not a complementary lift: use one of {choices}; ladder drills go in `sets`.",
            ),
        ),
        "ComplementaryExercise",
    )
    side = side_field("The leg that rises (the front leg of the lunge or step-up).")
    reps = JsonInteger(
        required=True,
        validate=validate.Range(1, MAX_LIFT_REPS),
        metadata={"description": f"Reps on this side, 1-{MAX_LIFT_REPS}."},
    )
    load_kg = JsonNumber(
        allow_none=True,
        validate=validate.Range(0, MAX_LOAD_KG),
        metadata={"description": "External load in kg (dumbbells, barbell); none for body weight."},
    )
    pain = JsonBoolean(load_default=False, metadata={"description": "The athlete felt pain."})
    rpe = rpe_field()


def notes_field() -> fields.String:
    return fields.String(
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "Free text, up to 2,000 characters.", "pattern": NO_NUL},
    )


def sets_field(**kwargs: Any) -> fields.List:
    return fields.List(
        fields.Nested(SetSchema),
        validate=validate.Length(max=MAX_SETS),
        metadata={
            "description": f"The ladder sets, each on one side, in any order (0-{MAX_SETS}): "
            "only those at the workout's highest position count; lower ones are warm-ups."
        },
        **kwargs,
    )


def complementary_field(**kwargs: Any) -> fields.List:
    return fields.List(
        fields.Nested(ComplementarySchema),
        validate=validate.Length(max=MAX_LIFTS),
        metadata={
            "description": f"Complementary lifts (0-{MAX_LIFTS}); they never move the ladder."
        },
        **kwargs,
    )


def context_field(**kwargs: Any) -> fields.Enum:
    return shared_enum(
        fields.Enum(
            WorkoutContext,
            by_value=True,
            metadata={
                "description": "`activation` (prep work) and `assessment` (a placement test) "
                "count toward the recommendation; `recovery_day` and `filler` are recovery and "
                "never do."
            },
            **kwargs,
        ),
        "WorkoutContext",
    )


class WorkoutCreateSchema(RefusesServerOwnedFields):
    performed_at = performed_at_field("workout")
    context = context_field(required=True)
    notes = notes_field()
    sets = sets_field(load_default=list)
    complementary = complementary_field(load_default=list)

    @ma.validates_schema
    def something_logged(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data.get("sets") and not data.get("complementary"):
            raise ma.ValidationError("Log at least one set or complementary lift.", "sets")


class WorkoutUpdateSchema(RefusesServerOwnedFields):
    """A correction: the fields sent replace the stored ones (`sets` and `complementary` whole)."""

    performed_at = performed_at_field("workout")
    performed_at.required = False
    context = context_field()
    notes = notes_field()
    sets = sets_field()
    complementary = complementary_field()

    @ma.validates_schema
    def something_to_change(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError(
                "Send at least one of performed_at, context, notes, sets, complementary.",
                "_schema",
            )


# What the spec states besides the fields.
SET_CONSTRAINTS = [BAND_FITS_LEVEL]
WORKOUT_CREATE_CONSTRAINTS = [
    {
        "anyOf": [
            {"required": ["sets"], "properties": {"sets": {"minItems": 1}}},
            {"required": ["complementary"], "properties": {"complementary": {"minItems": 1}}},
        ]
    },
]
WORKOUT_UPDATE_CONSTRAINTS = [{"minProperties": 1}]


class SetOutSchema(StrictSchema):
    exercise = ladder_exercise(required=True)
    side = side_field(
        "`left` or `right`; `both` only for a set logged through the deprecated sessions "
        "routes, which stands for both sides.",
        sides=[s.value for s in Side],
        component="LoggedSide",
    )
    band_tension = band_field(required=True)
    shoulder_flexion = fields.Boolean(required=True)
    reps = fields.List(fields.Nested(RepOutSchema), required=True)
    pain = fields.Boolean(required=True)
    rpe = fields.Float(required=True, allow_none=True)
    verdict = verdict_field("How this set went, as evaluate judges it.")
    counted = fields.Boolean(
        required=True,
        metadata={"description": "Whether the set counted toward the recommendation."},
    )


class ComplementaryOutSchema(StrictSchema):
    exercise = shared_enum(
        fields.String(required=True, validate=validate.OneOf(complementary_exercises())),
        "ComplementaryExercise",
    )
    side = side_field("The leg that rose.")
    reps = fields.Integer(required=True)
    load_kg = fields.Float(required=True, allow_none=True)
    pain = fields.Boolean(required=True)
    rpe = fields.Float(required=True, allow_none=True)


class JudgedPositionSchema(StrictSchema):
    exercise = ladder_exercise(required=True)
    level = fields.Integer(required=True, validate=validate.Range(1, 5))
    band_tension = band_field(required=True)
    shoulder_flexion = fields.Boolean(required=True)


class WorkoutSchema(StrictSchema):
    id = fields.UUID(required=True)
    athlete_id = fields.UUID(required=True)
    performed_at = fields.AwareDateTime(required=True, format="iso")
    context = context_field(required=True)
    notes = fields.String(required=True, allow_none=True)
    sets = fields.List(fields.Nested(SetOutSchema), required=True)
    complementary = fields.List(fields.Nested(ComplementaryOutSchema), required=True)
    counting = fields.Boolean(
        required=True,
        metadata={"description": "Whether the workout counts toward the recommendation."},
    )
    position = fields.Nested(
        JudgedPositionSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "The position judged: the highest among the sets (for an "
            "assessment, the highest mastered on both sides); null when it counts for nothing."
        },
    )
    verdict = verdict_field(
        "The workout's verdict: the weaker side's best counting set; null when it counts "
        "for nothing.",
        allow_none=True,
    )
    created_at = fields.AwareDateTime(required=True, format="iso")
    updated_at = fields.AwareDateTime(required=True, format="iso")


WorkoutListSchema = list_schema(WorkoutSchema, "WorkoutList")


class WorkoutQuerySchema(PageQuerySchema):
    context = shared_enum(
        fields.Enum(
            WorkoutContext,
            by_value=True,
            metadata={"description": "Only workouts of this context."},
        ),
        "WorkoutContext",
    )
    performed_after = performed_after_field("workouts")
    performed_before = performed_before_field("workouts")
