"""An athlete's workouts: logging, correcting and deleting them, progress and recommendation.

Corrections and deletions commit here; a new workout commits with its retry record
(app/services/idempotency.py).

Each write judges the workout (app/domain/workouts.py) and stores the judgement with it,
and keeps the per-exercise progress summary in step, in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.engine import Rep, Verdict
from app.domain.history import Recommendation, recommend
from app.domain.ladder import BandTension, Position
from app.domain.rules import RETRY_BLOCKS, Targets
from app.domain.workouts import (
    JudgedWorkout,
    LadderSet,
    Side,
    WorkoutContext,
    judge_workout,
)
from app.models import Athlete, ExerciseProgress, Workout, WorkoutLift, WorkoutSet
from app.models.base import utc_now
from app.services.athletes import get_athlete
from app.services.changes import ChangeType, record
from app.services.errors import Conflict, Invalid, NotFound, Stale
from app.services.versions import Expected, check_version


@dataclass(frozen=True)
class SetInput:
    exercise: str
    position: Position
    side: Side
    reps: list[dict[str, Any]]
    pain: bool = False
    rpe: float | None = None


@dataclass(frozen=True)
class LiftInput:
    exercise: str
    side: Side
    reps: int
    load_kg: float | None = None
    pain: bool = False
    rpe: float | None = None


@dataclass(frozen=True)
class WorkoutInput:
    performed_at: datetime
    context: WorkoutContext
    notes: str | None
    sets: list[SetInput]
    lifts: list[LiftInput]


def as_reps(reps: Sequence[dict[str, Any]]) -> tuple[Rep, ...]:
    return tuple(Rep(r["hold_seconds"], r["strict_form"], r["high_flexion"]) for r in reps)


CLOCK_SKEW = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def check_performed_at(performed_at: datetime, now: datetime) -> None:
    """Not in the future (a client's clock may run 5 minutes fast), not before 2000."""
    if performed_at > now + CLOCK_SKEW:
        raise Invalid("performed_at is in the future.", fields=("performed_at",))
    if performed_at < EARLIEST:
        raise Invalid(
            "performed_at is before 2000: not something this API can log.",
            fields=("performed_at",),
        )


def log_workout(session: Session, athlete: Athlete, data: WorkoutInput, now: datetime) -> Workout:
    """Store a workout with its judgement and fold it into progress, in the caller's transaction."""
    check_performed_at(data.performed_at, now)
    workout = Workout(id=uuid.uuid4(), athlete_id=athlete.id, version=1)
    _fill(workout, data)
    session.add(workout)
    try:
        session.flush()
    except IntegrityError:  # the athlete went in the meantime (no row locks on SQLite)
        session.rollback()
        raise NotFound(f"There is no athlete {athlete.id}.") from None
    for exercise in sorted({s.exercise for s in workout.sets}):
        _fold_into_progress(session, workout, exercise)
    record(session, athlete.client_app_id, ChangeType.WORKOUT_CREATED, athlete.id, workout.id)
    return workout


def _fill(workout: Workout, data: WorkoutInput) -> None:
    """Set the workout's fields, sets and lifts from `data`, and judge it."""
    performed_at = data.performed_at.astimezone(UTC)
    ladder_sets = [LadderSet(s.position, s.side, as_reps(s.reps), s.pain) for s in data.sets]
    judgement = judge_workout(data.context, ladder_sets)
    workout.performed_at = performed_at
    workout.context = data.context.value
    workout.notes = data.notes
    position, targets = judgement.position, judgement.targets
    workout.counting = position is not None
    workout.level = position.level if position else None
    workout.band_tension = position.band.value if position else None
    workout.shoulder_flexion = position.shoulder_flexion if position else None
    workout.verdict = judgement.verdict.value if judgement.verdict else None
    workout.pain = judgement.pain
    workout.one_side_only = judgement.one_side_only
    workout.target_reps = targets.reps if targets else None
    workout.target_hold_seconds = targets.hold_seconds if targets else None
    workout.sets = [
        WorkoutSet(
            id=uuid.uuid4(),
            athlete_id=workout.athlete_id,
            ordinal=ordinal,
            performed_at=performed_at,
            exercise=s.exercise,
            side=s.side.value,
            band_tension=s.position.band.value,
            shoulder_flexion=s.position.shoulder_flexion,
            reps=s.reps,
            pain=s.pain,
            rpe=s.rpe,
            verdict=verdict.value,
            counted=counted,
            best_hold_seconds=max((r.hold_seconds for r in judged.reps if r.counts), default=None),
        )
        for ordinal, (s, judged, verdict, counted) in enumerate(
            zip(data.sets, ladder_sets, judgement.set_verdicts, judgement.counted, strict=True)
        )
    ]
    workout.lifts = [
        WorkoutLift(
            id=uuid.uuid4(),
            ordinal=ordinal,
            exercise=lift.exercise,
            side=lift.side.value,
            reps=lift.reps,
            load_kg=lift.load_kg,
            pain=lift.pain,
            rpe=lift.rpe,
        )
        for ordinal, lift in enumerate(data.lifts)
    ]


def get_workout(
    session: Session, athlete: Athlete, workout_id: uuid.UUID, *, lock: bool = False
) -> Workout:
    workout = session.get(Workout, workout_id, with_for_update=lock, populate_existing=lock)
    if workout is None or workout.athlete_id != athlete.id:
        raise NotFound(f"There is no workout {workout_id} for this athlete.")
    return workout


def list_workouts(
    session: Session,
    athlete: Athlete,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
    context: WorkoutContext | None = None,
    performed_after: datetime | None = None,
    performed_before: datetime | None = None,
) -> Sequence[Workout]:
    """Newest first, by (performed_at, id) descending, served from the athlete's index."""
    query = select(Workout).where(Workout.athlete_id == athlete.id)
    if context is not None:
        query = query.where(Workout.context == context.value)
    if performed_after is not None:
        query = query.where(Workout.performed_at >= performed_after)
    if performed_before is not None:
        query = query.where(Workout.performed_at < performed_before)
    if before is not None:
        query = query.where(tuple_(Workout.performed_at, Workout.id) < tuple_(*before))
    order = (Workout.performed_at.desc(), Workout.id.desc())
    return session.scalars(query.order_by(*order).limit(limit)).all()


def correct_workout(
    session: Session,
    athlete: Athlete,
    workout: Workout,
    expected: Expected | None,
    data: WorkoutInput,
    now: datetime,
) -> Workout:
    """Replace the workout with `data` and commit, if `expected` names its current version;
    progress follows."""
    check_version(expected, workout.version, "workout", required=True)
    check_performed_at(data.performed_at, now)
    if not data.sets and not data.lifts:
        raise Conflict(
            "The correction would leave the workout with no set and no lift: send some, or "
            "DELETE the workout.",
            fields=("sets",),
        )
    touched = {s.exercise for s in workout.sets} | {s.exercise for s in data.sets}
    _fill(workout, data)
    workout.updated_at = utc_now()
    try:
        # UPDATE ... WHERE version = expected: a concurrent correction makes this match nothing.
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Stale("workout") from None
    _recompute_progress(session, workout.athlete_id, touched)
    record(session, athlete.client_app_id, ChangeType.WORKOUT_UPDATED, athlete.id, workout.id)
    session.commit()
    return workout


def delete_workout(
    session: Session, athlete: Athlete, workout: Workout, expected: Expected | None
) -> None:
    """Remove the workout, its sets and lifts, and commit; progress follows."""
    check_version(expected, workout.version, "workout", required=False)
    touched = {s.exercise for s in workout.sets}
    workout_id = workout.id
    session.delete(workout)
    session.flush()
    _recompute_progress(session, athlete.id, touched)
    record(session, athlete.client_app_id, ChangeType.WORKOUT_DELETED, athlete.id, workout_id)
    session.commit()


def _fold_into_progress(session: Session, workout: Workout, exercise: str) -> None:
    # One upsert per exercise, so concurrent workouts of one athlete never lose a count.
    sets = [s for s in workout.sets if s.exercise == exercise]
    # The position shown is the latest counted set's; a warm-up or recovery set only
    # stands in while the exercise has no counted set at all.
    counted = [s for s in sets if s.counted]
    latest = (counted or sets)[-1]
    dialect = session.get_bind().dialect.name
    statement = _PROGRESS_UPSERTS.get(dialect)
    if statement is None:  # built once per dialect: building it cost more than running it
        statement = _PROGRESS_UPSERTS[dialect] = _progress_upsert(dialect)
    holds = [s.best_hold_seconds for s in sets if s.best_hold_seconds is not None]
    session.execute(
        statement,
        {
            "athlete_id": workout.athlete_id,
            "exercise": exercise,
            "sets": len(sets),
            "counted_sets": sum(1 for s in sets if s.counted),
            "best_hold_seconds": max(holds, default=None),
            "last_performed_at": workout.performed_at,
            "band_tension": latest.band_tension,
            "shoulder_flexion": latest.shoulder_flexion,
            "position_counted": bool(counted),
        },
    )


_PROGRESS_UPSERTS: dict[str, Any] = {}
_PROGRESS_FIELDS = (
    "athlete_id",
    "exercise",
    "sets",
    "counted_sets",
    "best_hold_seconds",
    "last_performed_at",
    "band_tension",
    "shoulder_flexion",
    "position_counted",
)


def _progress_upsert(dialect: str) -> Any:
    """Insert the athlete's first workout at an exercise, or fold a later one in."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    current = ExerciseProgress
    values = {name: bindparam(name, type_=getattr(current, name).type) for name in _PROGRESS_FIELDS}
    statement = insert(current).values(
        workouts=1, position_at=values["last_performed_at"], **values
    )
    new = statement.excluded
    newer = new.last_performed_at >= current.last_performed_at
    # A counted set's position wins over any uncounted one; among equals, the newer.
    new_position = or_(
        and_(
            new.position_counted,
            or_(~current.position_counted, new.last_performed_at >= current.position_at),
        ),
        and_(~new.position_counted, ~current.position_counted, newer),
    )
    return statement.on_conflict_do_update(
        index_elements=["athlete_id", "exercise"],
        set_={
            "workouts": current.workouts + 1,
            "sets": current.sets + new.sets,
            "counted_sets": current.counted_sets + new.counted_sets,
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
            "band_tension": case((new_position, new.band_tension), else_=current.band_tension),
            "shoulder_flexion": case(
                (new_position, new.shoulder_flexion), else_=current.shoulder_flexion
            ),
            "position_counted": case(
                (new_position, new.position_counted), else_=current.position_counted
            ),
            "position_at": case((new_position, new.last_performed_at), else_=current.position_at),
        },
    )


def _recompute_progress(session: Session, athlete_id: uuid.UUID, exercises: Iterable[str]) -> None:
    """Rebuild the summary of each exercise a correction or a deletion touched."""
    for exercise in sorted(exercises):
        mine = (WorkoutSet.athlete_id == athlete_id, WorkoutSet.exercise == exercise)
        totals = session.execute(
            select(
                func.count(func.distinct(WorkoutSet.workout_id)),
                func.count(),
                func.coalesce(func.sum(case((WorkoutSet.counted, 1), else_=0)), 0),
                func.max(WorkoutSet.best_hold_seconds),
                func.max(WorkoutSet.performed_at),
            ).where(*mine)
        ).one()
        latest = session.execute(
            select(
                WorkoutSet.performed_at,
                WorkoutSet.band_tension,
                WorkoutSet.shoulder_flexion,
                WorkoutSet.counted,
            )
            .where(*mine)
            # The latest counted set's position; the latest set's when none counted.
            .order_by(
                WorkoutSet.counted.desc(), WorkoutSet.performed_at.desc(), WorkoutSet.ordinal.desc()
            )
            .limit(1)
        ).first()
        row = session.get(ExerciseProgress, (athlete_id, exercise))
        if latest is None:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = ExerciseProgress(athlete_id=athlete_id, exercise=exercise)
            session.add(row)
        row.workouts, row.sets, row.counted_sets, row.best_hold_seconds = totals[:4]
        row.last_performed_at = totals[4]
        row.position_at, row.band_tension, row.shoulder_flexion, row.position_counted = latest
    session.flush()


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


# Built once: constructing a statement costs more than SQLAlchemy's cached compile.
PROGRESS = _owned(select(ExerciseProgress), ExerciseProgress.athlete_id)
NEWEST_FIRST = (Workout.performed_at.desc(), Workout.created_at.desc(), Workout.id.desc())
JUDGED = (
    Workout.id,
    Workout.performed_at,
    Workout.context,
    Workout.level,
    Workout.band_tension,
    Workout.shoulder_flexion,
    Workout.verdict,
    Workout.pain,
    Workout.one_side_only,
    Workout.target_reps,
    Workout.target_hold_seconds,
)
LATEST_COUNTING = (
    _owned(select(*JUDGED), Workout.athlete_id)
    .where(Workout.counting.is_(True))
    .order_by(*NEWEST_FIRST)
    .limit(bindparam("count"))
)
FALLS_AT = (
    select(Workout.performed_at)
    .where(
        Workout.athlete_id == bindparam("athlete_id"),
        Workout.level == bindparam("level"),
        Workout.band_tension == bindparam("band_tension"),
        Workout.shoulder_flexion == bindparam("shoulder_flexion"),
        or_(Workout.verdict == Verdict.FALLS_SHORT.value, Workout.pain.is_(True)),
        Workout.counting.is_(True),
        Workout.performed_at >= bindparam("since", type_=Workout.performed_at.type),
    )
    .order_by(Workout.performed_at.desc())
    .limit(len(RETRY_BLOCKS))
)
PAIN_SINCE = (
    select(Workout.performed_at)
    .where(
        Workout.athlete_id == bindparam("athlete_id"),
        Workout.performed_at > bindparam("moment", type_=Workout.performed_at.type),
        Workout.pain.is_(True),
    )
    .order_by(Workout.performed_at.desc())
    .limit(1)
)
COUNTING_SINCE = select(func.count()).select_from(
    select(Workout.id)
    .where(
        Workout.athlete_id == bindparam("athlete_id"),
        Workout.counting.is_(True),
        Workout.performed_at > bindparam("moment", type_=Workout.performed_at.type),
    )
    .limit(bindparam("cap"))
    .subquery()
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


class StoredHistory:
    """The domain's `History`, answered from the workouts table by index seeks."""

    def __init__(self, session: Session, client_app_id: int, athlete_id: uuid.UUID) -> None:
        self.session, self.client_app_id, self.athlete_id = session, client_app_id, athlete_id

    def latest(self, count: int) -> Sequence[JudgedWorkout]:
        rows = self.session.execute(
            LATEST_COUNTING,
            {"athlete_id": self.athlete_id, "client_app_id": self.client_app_id, "count": count},
        ).all()
        if not rows:  # no counting workout yet, or not this client app's athlete
            get_athlete(self.session, self.client_app_id, self.athlete_id)
        return [_judged(row) for row in rows]

    def falls_at(self, position: Position, since: datetime) -> Sequence[datetime]:
        return self.session.scalars(
            FALLS_AT,
            {
                "athlete_id": self.athlete_id,
                "level": position.level,
                "band_tension": position.band.value,
                "shoulder_flexion": position.shoulder_flexion,
                "since": since,
            },
        ).all()

    def pain_since(self, moment: datetime) -> datetime | None:
        params = {"athlete_id": self.athlete_id, "moment": moment}
        found: datetime | None = self.session.scalar(PAIN_SINCE, params)
        return found

    def counting_since(self, moment: datetime, cap: int) -> int:
        params = {"athlete_id": self.athlete_id, "moment": moment, "cap": cap}
        return int(self.session.scalar(COUNTING_SINCE, params) or 0)


def _judged(row: Any) -> JudgedWorkout:
    return JudgedWorkout(
        str(row.id),
        row.performed_at,
        WorkoutContext(row.context),
        Position(row.level, BandTension(row.band_tension), row.shoulder_flexion),
        Verdict(row.verdict),
        row.pain,
        row.one_side_only,
        Targets(row.target_reps, row.target_hold_seconds),
    )


def recommendation(
    session: Session, client_app_id: int, athlete_id: uuid.UUID, now: datetime
) -> Recommendation | None:
    """The domain's recommendation over the stored history; None with no counting workout."""
    return recommend(StoredHistory(session, client_app_id, athlete_id), now)


# The deprecated one-set `sessions` routes: a session is a ladder set of a workout.


def log_single_set(
    session: Session,
    athlete: Athlete,
    exercise: str,
    position: Position,
    performed_at: datetime,
    reps: list[dict[str, Any]],
    now: datetime,
) -> WorkoutSet:
    """A one-set workout in context activation, standing for both sides (no side recorded)."""
    data = WorkoutInput(
        performed_at,
        WorkoutContext.ACTIVATION,
        None,
        [SetInput(exercise, position, Side.BOTH, reps)],
        [],
    )
    return log_workout(session, athlete, data, now).sets[0]


def get_set(session: Session, athlete: Athlete, set_id: uuid.UUID) -> WorkoutSet:
    row = session.get(WorkoutSet, set_id)
    if row is None or row.athlete_id != athlete.id:
        raise NotFound(f"There is no session {set_id} for this athlete.")
    return row


def list_sets(
    session: Session,
    athlete: Athlete,
    *,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
    exercise: str | None = None,
    performed_after: datetime | None = None,
    performed_before: datetime | None = None,
) -> Sequence[WorkoutSet]:
    """Every ladder set of the athlete, newest first, by (performed_at, id) descending."""
    query = select(WorkoutSet).where(WorkoutSet.athlete_id == athlete.id)
    if exercise is not None:
        query = query.where(WorkoutSet.exercise == exercise)
    if performed_after is not None:
        query = query.where(WorkoutSet.performed_at >= performed_after)
    if performed_before is not None:
        query = query.where(WorkoutSet.performed_at < performed_before)
    if before is not None:
        query = query.where(tuple_(WorkoutSet.performed_at, WorkoutSet.id) < tuple_(*before))
    order = (WorkoutSet.performed_at.desc(), WorkoutSet.id.desc())
    return session.scalars(query.order_by(*order).limit(limit)).all()
