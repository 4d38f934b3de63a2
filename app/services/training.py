"""An athlete's logged sessions: writing one, listing them, progress and recommendation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
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
    try:
        session.flush()
    except IntegrityError:  # the athlete went in the meantime (no row locks on SQLite)
        session.rollback()
        raise NotFound(f"There is no athlete {athlete.id}.") from None
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


NEWEST_FIRST = (
    TrainingSession.performed_at.desc(),
    TrainingSession.created_at.desc(),
    TrainingSession.id.desc(),
)


def latest_history(
    session: Session, athlete: Athlete, ladder: Ladder
) -> tuple[LoggedSet | None, LoggedSet | None]:
    """The latest set, and the latest before it at the same exercise and position.

    Two LIMIT 1 index seeks, whatever the length of the history; sets done at other
    positions in between (a recovery day, say) do not break the series.
    """
    by_athlete = select(TrainingSession).where(TrainingSession.athlete_id == athlete.id)
    latest = session.scalar(by_athlete.order_by(*NEWEST_FIRST).limit(1))
    if latest is None:
        return None, None
    previous = session.scalar(
        by_athlete.where(
            TrainingSession.exercise == latest.exercise,
            TrainingSession.band_tension == latest.band_tension,
            TrainingSession.shoulder_flexion == latest.shoulder_flexion,
            tuple_(TrainingSession.performed_at, TrainingSession.created_at, TrainingSession.id)
            < tuple_(latest.performed_at, latest.created_at, latest.id),
        )
        .order_by(*NEWEST_FIRST)
        .limit(1)
    )
    return _logged(latest, ladder), _logged(previous, ladder) if previous else None


def _logged(row: TrainingSession, ladder: Ladder) -> LoggedSet:
    position = Position(
        ladder.level_of(row.exercise) or 1, BandTension(row.band_tension), row.shoulder_flexion
    )
    return LoggedSet(position, as_reps(row.reps))
