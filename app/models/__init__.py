"""SQLAlchemy 2 typed models: the catalog, the tenants, the athletes and their workouts."""

from app.models.athletes import Athlete, ExerciseProgress
from app.models.base import Base
from app.models.catalog import (
    CatalogMeta,
    Exercise,
    ExerciseMuscle,
    Ladder,
    LadderLevel,
    Muscle,
    Rule,
)
from app.models.changes import Change
from app.models.tenants import ApiKey, ClientApp, IdempotencyRecord
from app.models.workouts import Workout, WorkoutLift, WorkoutSet

__all__ = [
    "ApiKey",
    "Athlete",
    "Base",
    "CatalogMeta",
    "Change",
    "ClientApp",
    "Exercise",
    "ExerciseMuscle",
    "ExerciseProgress",
    "IdempotencyRecord",
    "Ladder",
    "LadderLevel",
    "Muscle",
    "Rule",
    "Workout",
    "WorkoutLift",
    "WorkoutSet",
]
