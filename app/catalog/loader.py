"""Write the catalog data file into the database, and read it back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.catalog.data import (
    CatalogData,
    ExerciseRecord,
    LadderRecord,
    MuscleRecord,
    RuleRecord,
)
from app.models import CatalogMeta, Exercise, ExerciseMuscle, Ladder, LadderLevel, Muscle, Rule


def load_catalog(session: Session, data: CatalogData) -> bool:
    """Make the catalog tables hold exactly `data`, in the caller's transaction (the catalog
    service commits); False when they already did.

    Rows are upserted by slug and removed when the file drops them, so a reload
    never duplicates anything and keeps the rows that other tables point at.
    """
    if session.get_bind().dialect.name == "postgresql":
        # Instances starting together load one after the other (released at commit).
        session.execute(text("SELECT pg_advisory_xact_lock(7301104916)"))
    meta = session.get(CatalogMeta, 1)
    if meta is not None and meta.checksum == data.checksum:
        return False
    tables: list[tuple[Any, list[Any], Callable[[Any], dict[str, Any]]]] = [
        (Muscle, data.muscles, asdict),
        (Exercise, data.exercises, _exercise_values),
        (Ladder, data.ladders, _ladder_values),
        (Rule, data.rules, asdict),
    ]
    for model, records, values in tables:
        _upsert(session, model, records, values)
        session.flush()
    # Dependants first, so no foreign key ever points at a removed row.
    for model, records, _values in reversed(tables):
        _delete_missing(session, model, {record.slug for record in records})
        session.flush()
    if meta is None:
        session.add(CatalogMeta(id=1, data_version=data.version, checksum=data.checksum))
    else:
        meta.data_version, meta.checksum = data.version, data.checksum
    session.flush()
    return True


def _upsert(session: Session, model: Any, records: list[Any], values: Any) -> None:
    existing = {row.slug: row for row in session.scalars(select(model))}
    for record in records:
        row = existing.get(record.slug)
        if row is None:
            session.add(model(**values(record)))
        else:
            for name, value in values(record).items():
                setattr(row, name, value)


def _delete_missing(session: Session, model: Any, wanted: set[str]) -> None:
    for row in session.scalars(select(model)):
        if row.slug not in wanted:
            session.delete(row)


def _exercise_values(record: ExerciseRecord) -> dict[str, Any]:
    values = asdict(record)
    values["muscle_links"] = [
        ExerciseMuscle(exercise_slug=record.slug, muscle_slug=muscle, ordinal=ordinal)
        for ordinal, muscle in enumerate(values.pop("muscles"))
    ]
    return values


def _ladder_values(record: LadderRecord) -> dict[str, Any]:
    values = asdict(record)
    values["levels"] = [
        LadderLevel(ladder_slug=record.slug, level=level, exercise_slug=slug)
        for level, slug in enumerate(values.pop("levels"), start=1)
    ]
    return values


def read_catalog(session: Session) -> CatalogData | None:
    """The catalog as the database holds it; None when it was never loaded."""
    meta = session.get(CatalogMeta, 1)
    if meta is None:
        return None
    return CatalogData(
        version=meta.data_version,
        checksum=meta.checksum,
        muscles=[_record(MuscleRecord, row) for row in session.scalars(select(Muscle))],
        exercises=[
            _record(ExerciseRecord, row, muscles=row.muscles)
            for row in session.scalars(select(Exercise))
        ],
        ladders=[
            _record(LadderRecord, row, levels=[level.exercise_slug for level in row.levels])
            for row in session.scalars(select(Ladder))
        ],
        rules=[_record(RuleRecord, row) for row in session.scalars(select(Rule))],
    )


def _record(record_type: Any, row: Any, **overrides: Any) -> Any:
    values = {f.name: getattr(row, f.name) for f in fields(record_type) if f.name not in overrides}
    return record_type(**values, **overrides)
