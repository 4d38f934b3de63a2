"""An athlete's logged sessions: writing one, listing them, progress and recommendation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.domain.engine import Rep, evaluate
from app.domain.history import LoggedSet
from app.domain.ladder import BandTension, Ladder, Position
from app.models import Athlete, ExerciseProgress, TrainingSession
from app.services.errors import NotFound


def as_reps(reps: Sequence[dict[str, Any]]) -> tuple[Rep, ...]:
    return tuple(Rep(r["hold_seconds"], r["strict_form"], r["high_flexion"]) for r in reps)


def log_session(
    session: Session,
    athlete: Athlete,
    position: Position,
    exercise: str,
    performed_at: datetime,
    reps: list[dict[str, Any]],
) -> TrainingSession:
    """Store one set and fold it into the athlete's progress, in the caller's transaction."""
    logged = as_reps(reps)
    counting = [rep.hold_seconds for rep in logged if rep.counts]
    row = TrainingSession(
        id=uuid.uuid4(),
        athlete_id=athlete.id,
        performed_at=performed_at.astimezone(UTC),
        exercise=exercise,
        band_tension=position.band.value,
        shoulder_flexion=position.shoulder_flexion,
        reps=reps,
        verdict=evaluate(position, logged).verdict.value,
        best_hold_seconds=max(counting, default=None),
    )
    session.add(row)
    session.flush()
    _fold_into_progress(session, row)
    return row


def _fold_into_progress(session: Session, row: TrainingSession) -> None:
    # One upsert, so concurrent sessions of one athlete never lose a count.
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {
        "athlete_id": row.athlete_id,
        "exercise": row.exercise,
        "sessions": 1,
        "best_hold_seconds": row.best_hold_seconds,
        "last_performed_at": row.performed_at,
        "band_tension": row.band_tension,
        "shoulder_flexion": row.shoulder_flexion,
    }
    statement = insert(ExerciseProgress).values(**values)
    current = ExerciseProgress
    newer = statement.excluded.last_performed_at >= current.last_performed_at
    statement = statement.on_conflict_do_update(
        index_elements=["athlete_id", "exercise"],
        set_={
            "sessions": current.sessions + 1,
            "best_hold_seconds": func.coalesce(
                case(
                    (
                        statement.excluded.best_hold_seconds > current.best_hold_seconds,
                        statement.excluded.best_hold_seconds,
                    ),
                    else_=current.best_hold_seconds,
                ),
                statement.excluded.best_hold_seconds,
            ),
            "last_performed_at": case(
                (newer, statement.excluded.last_performed_at), else_=current.last_performed_at
            ),
            "band_tension": case(
                (newer, statement.excluded.band_tension), else_=current.band_tension
            ),
            "shoulder_flexion": case(
                (newer, statement.excluded.shoulder_flexion), else_=current.shoulder_flexion
            ),
        },
    )
    session.execute(statement)


def get_session_row(session: Session, athlete: Athlete, session_id: uuid.UUID) -> TrainingSession:
    row = session.get(TrainingSession, session_id)
    if row is None or row.athlete_id != athlete.id:
        raise NotFound(f"There is no session {session_id} for this athlete.")
    return row


def list_sessions(
    session: Session,
    athlete: Athlete,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
    exercise: str | None = None,
    performed_after: datetime | None = None,
    performed_before: datetime | None = None,
) -> Sequence[TrainingSession]:
    """Newest first, by (performed_at, id) descending, served from the athlete's index."""
    query = select(TrainingSession).where(TrainingSession.athlete_id == athlete.id)
    if exercise is not None:
        query = query.where(TrainingSession.exercise == exercise)
    if performed_after is not None:
        query = query.where(TrainingSession.performed_at >= performed_after)
    if performed_before is not None:
        query = query.where(TrainingSession.performed_at < performed_before)
    if before is not None:
        query = query.where(
            tuple_(TrainingSession.performed_at, TrainingSession.id) < tuple_(*before)
        )
    order = (TrainingSession.performed_at.desc(), TrainingSession.id.desc())
    return session.scalars(query.order_by(*order).limit(limit)).all()


def progress(session: Session, athlete: Athlete) -> Sequence[ExerciseProgress]:
    return session.scalars(
        select(ExerciseProgress).where(ExerciseProgress.athlete_id == athlete.id)
    ).all()


def last_two(
    session: Session, athlete: Athlete, ladder: Ladder
) -> tuple[LoggedSet | None, LoggedSet | None]:
    """The two most recent sets (newest first): all a recommendation needs, by index."""
    rows = list_sessions(session, athlete, before=None, limit=2)
    logged = [
        LoggedSet(
            Position(
                ladder.level_of(r.exercise) or 1, BandTension(r.band_tension), r.shoulder_flexion
            ),
            as_reps(r.reps),
        )
        for r in rows
    ]
    latest = logged[0] if logged else None
    previous = logged[1] if len(logged) > 1 else None
    return latest, previous
