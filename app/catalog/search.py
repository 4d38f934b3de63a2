"""Filtering, searching and ordering the catalog's exercises (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.catalog.data import ExerciseRecord, MuscleRecord

# Complementary lifts have no level; they sort after every ladder level.
UNLEVELLED = 1_000
NO_EQUIPMENT = "none"


@dataclass(frozen=True)
class ExerciseFilters:
    level: int | None = None
    role: str | None = None
    equipment: str | None = None
    position: str | None = None
    plane: str | None = None
    muscle: str | None = None
    q: str | None = None


def exercise_sort_key(exercise: ExerciseRecord) -> list[int | str]:
    """By level, then slug; complementary lifts last."""
    return [exercise.level if exercise.level is not None else UNLEVELLED, exercise.slug]


def search_text(exercise: ExerciseRecord, muscles: Mapping[str, MuscleRecord]) -> str:
    """What `q` searches: the name, the cues and the names of the muscles trained."""
    muscle_names = [muscles[slug].name for slug in exercise.muscles if slug in muscles]
    return "\n".join([exercise.name, *exercise.cues, *muscle_names]).casefold()


def matches_query(text: str, q: str) -> bool:
    """Every whitespace-separated term of `q` occurs in `text`, ignoring case."""
    return all(term in text for term in q.casefold().split())


def matches(
    exercise: ExerciseRecord, filters: ExerciseFilters, muscles: Mapping[str, MuscleRecord]
) -> bool:
    checks = (
        filters.level is None or exercise.level == filters.level,
        filters.role is None or exercise.role == filters.role,
        filters.equipment is None or _has_equipment(exercise, filters.equipment),
        filters.position is None or exercise.position == filters.position,
        filters.plane is None or filters.plane in exercise.planes,
        filters.muscle is None or filters.muscle in exercise.muscles,
        filters.q is None or matches_query(search_text(exercise, muscles), filters.q),
    )
    return all(checks)


def _has_equipment(exercise: ExerciseRecord, equipment: str) -> bool:
    if equipment == NO_EQUIPMENT:
        return not exercise.equipment
    return equipment in exercise.equipment


def filter_exercises(
    exercises: Iterable[ExerciseRecord],
    filters: ExerciseFilters,
    muscles: Mapping[str, MuscleRecord],
) -> list[ExerciseRecord]:
    """The exercises that match every filter given, in catalog order."""
    chosen = [e for e in exercises if matches(e, filters, muscles)]
    return sorted(chosen, key=exercise_sort_key)
