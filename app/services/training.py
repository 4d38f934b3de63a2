"""An athlete's logged sessions: writing one, listing them, progress and recommendation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.engine import Rep, evaluate
from app.domain.history import LoggedSet
from app.domain.ladder import BandTension, Ladder, Position
from app.models import Athlete, ExerciseProgress, TrainingSession
from app.services.athletes import get_athlete
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
    dialect = session.get_bind().dialect.name
    statement = _PROGRESS_UPSERTS.get(dialect)
    if statement is None:  # built once per dialect: building it cost more than running it
        statement = _PROGRESS_UPSERTS[dialect] = _progress_upsert(dialect)
    session.execute(
        statement,
        {
            "athlete_id": row.athlete_id,
            "exercise": row.exercise,
            "best_hold_seconds": row.best_hold_seconds,
            "last_performed_at": row.performed_at,
            "band_tension": row.band_tension,
            "shoulder_flexion": row.shoulder_flexion,
        },
    )


_PROGRESS_UPSERTS: dict[str, Any] = {}


def _progress_upsert(dialect: str) -> Any:
    """Insert the athlete's first session at an exercise, or fold a later one in."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    current = ExerciseProgress
    values = {
        name: bindparam(name, type_=getattr(current, name).type)
        for name in (
            "athlete_id",
            "exercise",
            "best_hold_seconds",
            "last_performed_at",
            "band_tension",
            "shoulder_flexion",
        )
    }
    statement = insert(current).values(sessions=1, **values)
    new = statement.excluded
    newer = new.last_performed_at >= current.last_performed_at
    return statement.on_conflict_do_update(
        index_elements=["athlete_id", "exercise"],
        set_={
            "sessions": current.sessions + 1,
            "best_hold_seconds": func.coalesce(
                case(
                    (new.best_hold_seconds > current.best_hold_seconds, new.best_hold_seconds),
                    else_=current.best_hold_seconds,
                ),
                new.best_hold_seconds,
            ),
            "last_performed_at": case(
                (newer, new.last_performed_at), else_=current.last_performed_at
            ),
            "band_tension": case((newer, new.band_tension), else_=current.band_tension),
            "shoulder_flexion": case((newer, new.shoulder_flexion), else_=current.shoulder_flexion),
        },
    )


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


def _owned(query: Any, athlete_column: Any) -> Any:
    """`query` limited to one athlete's rows, and to none unless the client app owns it.

    Takes the bound parameters `athlete_id` and `client_app_id`. The owner is an
    uncorrelated subquery, so PostgreSQL checks it once, before reading any row (a
    one-time filter): a join would read the whole history of another tenant's athlete
    before finding that no row belongs to the caller.
    """
    owner = select(Athlete.client_app_id).where(Athlete.id == bindparam("athlete_id"))
    return query.where(
        athlete_column == bindparam("athlete_id"),
        owner.scalar_subquery() == bindparam("client_app_id"),
    )


NEWEST_FIRST = (
    TrainingSession.performed_at.desc(),
    TrainingSession.created_at.desc(),
    TrainingSession.id.desc(),
)
# Built once: constructing a statement costs more than SQLAlchemy's cached compile.
PROGRESS = _owned(select(ExerciseProgress), ExerciseProgress.athlete_id)
LATEST_SET = _owned(select(TrainingSession), TrainingSession.athlete_id)
LATEST_SET = LATEST_SET.order_by(*NEWEST_FIRST).limit(1)
_SERIES_KEY = (TrainingSession.performed_at, TrainingSession.created_at, TrainingSession.id)
PREVIOUS_SET = (
    select(TrainingSession)
    .where(
        TrainingSession.athlete_id == bindparam("athlete_id"),
        TrainingSession.exercise == bindparam("exercise"),
        TrainingSession.band_tension == bindparam("band_tension"),
        TrainingSession.shoulder_flexion == bindparam("shoulder_flexion"),
        tuple_(*_SERIES_KEY)
        < tuple_(*(bindparam(column.key, type_=column.type) for column in _SERIES_KEY)),
    )
    .order_by(*NEWEST_FIRST)
    .limit(1)
)


def progress(
    session: Session, client_app_id: int, athlete_id: uuid.UUID
) -> Sequence[ExerciseProgress]:
    """The athlete's per-exercise summary; NotFound if the athlete is not the client app's.

    The ownership check rides along in the same statement: one round trip, not two,
    unless the summary is empty and the athlete's existence must be asked separately.
    """
    owner = {"athlete_id": athlete_id, "client_app_id": client_app_id}
    rows = session.scalars(PROGRESS, owner).all()
    if not rows:
        get_athlete(session, client_app_id, athlete_id)
    return rows


def latest_history(
    session: Session, client_app_id: int, athlete_id: uuid.UUID, ladder: Ladder
) -> tuple[LoggedSet | None, LoggedSet | None]:
    """The latest set, and the latest before it at the same exercise and position.

    Two LIMIT 1 index seeks, whatever the length of the history; sets done at other
    positions in between (a recovery day, say) do not break the series. The first
    also checks that the client app owns the athlete (NotFound if not).
    """
    latest = session.scalar(LATEST_SET, {"athlete_id": athlete_id, "client_app_id": client_app_id})
    if latest is None:
        get_athlete(session, client_app_id, athlete_id)
        return None, None
    previous = session.scalar(
        PREVIOUS_SET,
        {
            "athlete_id": athlete_id,
            "exercise": latest.exercise,
            "band_tension": latest.band_tension,
            "shoulder_flexion": latest.shoulder_flexion,
            **{column.key: getattr(latest, column.key) for column in _SERIES_KEY},
        },
    )
    return _logged(latest, ladder), _logged(previous, ladder) if previous else None


def _logged(row: TrainingSession, ladder: Ladder) -> LoggedSet:
    position = Position(
        ladder.level_of(row.exercise) or 1, BandTension(row.band_tension), row.shoulder_flexion
    )
    return LoggedSet(position, as_reps(row.reps))
