"""SQLAlchemy 2 typed models: the catalog, the tenants, the athletes and their training."""

from app.models.athletes import Athlete, ExerciseProgress, TrainingSession
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
from app.models.tenants import ApiKey, ClientApp, IdempotencyRecord

__all__ = [
    "ApiKey",
    "Athlete",
    "Base",
    "CatalogMeta",
    "ClientApp",
    "Exercise",
    "ExerciseMuscle",
    "ExerciseProgress",
    "IdempotencyRecord",
    "Ladder",
    "LadderLevel",
    "Muscle",
    "Rule",
    "TrainingSession",
]
