"""Progress, recommendation and athlete-routine schemas."""

from __future__ import annotations

from marshmallow import fields

from app.api.shared.engine import EvaluationSchema, verdict_field
from app.api.shared.positions import ladder_exercise, stored_band
from app.web.schemas import StrictSchema


class PositionSchema(StrictSchema):
    band_tension = stored_band(required=True)
    shoulder_flexion = fields.Boolean(required=True)


class ExerciseProgressSchema(StrictSchema):
    exercise = ladder_exercise(required=True)
    level = fields.Integer(required=True)
    workouts = fields.Integer(
        required=True, metadata={"description": "Workouts with a set of this exercise."}
    )
    sets = fields.Integer(required=True, metadata={"description": "Sets of it, every side."})
    counted_sets = fields.Integer(
        required=True,
        metadata={"description": "Of those, the sets that counted toward the recommendation."},
    )
    sessions = fields.Integer(
        required=True,
        metadata={
            "description": "Deprecated (equal to `sets`): what the one-set sessions counted.",
            "deprecated": True,
        },
    )
    best_hold_seconds = fields.Float(
        required=True, allow_none=True, metadata={"description": "Longest counting hold."}
    )
    last_performed_at = fields.AwareDateTime(required=True, format="iso")
    current_position = fields.Nested(
        PositionSchema,
        required=True,
        metadata={"description": "Band and add-on of the latest set of this exercise."},
    )


class ProgressSchema(StrictSchema):
    athlete_id = fields.UUID(required=True)
    exercises = fields.List(fields.Nested(ExerciseProgressSchema), required=True)


class RecommendationSchema(EvaluationSchema):
    verdict = verdict_field(
        "The verdict of the latest counting workout; null with none.", allow_none=True
    )
    based_on = fields.List(
        fields.UUID(),
        required=True,
        metadata={"description": "The ids of the workouts judged, newest first; empty with none."},
    )
