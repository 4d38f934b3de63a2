"""workouts from sessions: every stored session becomes a one-set workout

Each session becomes a workout in context `activation` holding one ladder set that
stands for both sides (side `both`), judged by today's engine. The workout and its set
keep the session's id, so `GET .../sessions/{id}` still finds it. The per-exercise
progress summary is rebuilt from the sets. Nothing is dropped before it is copied.
The catalog's exercises also gain `cues_decided_by` (filled by the next catalog load).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:14:18.023937
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.catalog.data import psoas_ladder, read_data_file
from app.domain.engine import Rep
from app.domain.ladder import BandTension, Position
from app.domain.workouts import LadderSet, Side, WorkoutContext, judge_workout
from app.models.base import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    _create_workout_tables()
    _move_sessions()
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_sessions_athlete_id_performed_at")
        batch_op.drop_index("ix_training_sessions_athlete_id_exercise_position")
    op.drop_table("training_sessions")
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        # The next catalog load writes the real markers (the data file's version moved on).
        batch_op.add_column(
            sa.Column("cues_decided_by", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.alter_column("cues_decided_by", server_default=None)


def _create_workout_tables() -> None:
    op.create_table(
        "workouts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("performed_at", STAMP, nullable=False),
        sa.Column("context", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("counting", sa.Boolean(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("band_tension", sa.String(length=16), nullable=True),
        sa.Column("shoulder_flexion", sa.Boolean(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("pain", sa.Boolean(), nullable=False),
        sa.Column("one_side_only", sa.Boolean(), nullable=False),
        sa.Column("target_reps", sa.Integer(), nullable=True),
        sa.Column("target_hold_seconds", sa.Integer(), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_workouts_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workouts")),
    )
    with op.batch_alter_table("workouts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workouts_athlete_id_counting",
            ["athlete_id", "counting", "performed_at", "created_at", "id"],
        )
        batch_op.create_index(
            "ix_workouts_athlete_id_level",
            ["athlete_id", "level", "band_tension", "shoulder_flexion", "verdict", "performed_at"],
        )
        batch_op.create_index(
            "ix_workouts_athlete_id_performed_at", ["athlete_id", "performed_at", "id"]
        )
    op.create_table(
        "workout_lifts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workout_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("load_kg", sa.Float(), nullable=True),
        sa.Column("pain", sa.Boolean(), nullable=False),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workouts.id"],
            name=op.f("fk_workout_lifts_workout_id_workouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_lifts")),
    )
    with op.batch_alter_table("workout_lifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workout_lifts_workout_id"), ["workout_id"])
    op.create_table(
        "workout_sets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workout_id", sa.Uuid(), nullable=False),
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("performed_at", STAMP, nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("band_tension", sa.String(length=16), nullable=False),
        sa.Column("shoulder_flexion", sa.Boolean(), nullable=False),
        sa.Column("reps", sa.JSON(), nullable=False),
        sa.Column("pain", sa.Boolean(), nullable=False),
        sa.Column("rpe", sa.Float(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("best_hold_seconds", sa.Float(), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_workout_sets_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workouts.id"],
            name=op.f("fk_workout_sets_workout_id_workouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_sets")),
    )
    with op.batch_alter_table("workout_sets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workout_sets_athlete_id_exercise", ["athlete_id", "exercise", "performed_at", "id"]
        )
        batch_op.create_index(
            "ix_workout_sets_athlete_id_performed_at", ["athlete_id", "performed_at", "id"]
        )
        batch_op.create_index(batch_op.f("ix_workout_sets_workout_id"), ["workout_id"])


# The tables as this revision knows them, for moving rows (not the app's models, which
# will change after this revision).
def _table(name: str, *columns: sa.Column[Any]) -> sa.TableClause:
    return sa.table(name, *columns)


def _columns(**types: Any) -> list[sa.ColumnClause[Any]]:
    return [sa.column(name, type_) for name, type_ in types.items()]


SESSIONS = _table(
    "training_sessions",
    *_columns(
        id=sa.Uuid(),
        athlete_id=sa.Uuid(),
        performed_at=UTCDateTime(),
        exercise=sa.String(),
        band_tension=sa.String(),
        shoulder_flexion=sa.Boolean(),
        reps=sa.JSON(),
        verdict=sa.String(),
        best_hold_seconds=sa.Float(),
        created_at=UTCDateTime(),
    ),
)
WORKOUTS = _table(
    "workouts",
    *_columns(
        id=sa.Uuid(),
        athlete_id=sa.Uuid(),
        performed_at=UTCDateTime(),
        context=sa.String(),
        notes=sa.Text(),
        counting=sa.Boolean(),
        level=sa.Integer(),
        band_tension=sa.String(),
        shoulder_flexion=sa.Boolean(),
        verdict=sa.String(),
        pain=sa.Boolean(),
        one_side_only=sa.Boolean(),
        target_reps=sa.Integer(),
        target_hold_seconds=sa.Integer(),
        created_at=UTCDateTime(),
        updated_at=UTCDateTime(),
        version=sa.Integer(),
    ),
)
SETS = _table(
    "workout_sets",
    *_columns(
        id=sa.Uuid(),
        workout_id=sa.Uuid(),
        athlete_id=sa.Uuid(),
        ordinal=sa.Integer(),
        performed_at=UTCDateTime(),
        exercise=sa.String(),
        side=sa.String(),
        band_tension=sa.String(),
        shoulder_flexion=sa.Boolean(),
        reps=sa.JSON(),
        pain=sa.Boolean(),
        rpe=sa.Float(),
        verdict=sa.String(),
        counted=sa.Boolean(),
        best_hold_seconds=sa.Float(),
        created_at=UTCDateTime(),
    ),
)
PROGRESS_COLUMNS = dict(
    athlete_id=sa.Uuid(),
    exercise=sa.String(),
    best_hold_seconds=sa.Float(),
    last_performed_at=UTCDateTime(),
    band_tension=sa.String(),
    shoulder_flexion=sa.Boolean(),
)


def _sessions(bind: sa.Connection) -> Iterator[Any]:
    """Every session, oldest first per athlete and exercise, in batches (keyset by id order)."""
    order = (SESSIONS.c.athlete_id, SESSIONS.c.exercise, SESSIONS.c.performed_at)
    order += (SESSIONS.c.created_at, SESSIONS.c.id)
    offset = 0
    while True:
        rows = bind.execute(sa.select(SESSIONS).order_by(*order).limit(BATCH).offset(offset)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        offset += BATCH


def _move_sessions() -> None:
    bind = op.get_bind()
    ladder = psoas_ladder(read_data_file())
    progress: dict[tuple[Any, str], dict[str, Any]] = {}
    workouts: list[dict[str, Any]] = []
    sets: list[dict[str, Any]] = []
    for row in _sessions(bind):
        workout, ladder_set = _one_set_workout(row, ladder.level_of(row.exercise) or 1)
        workouts.append(workout)
        sets.append(ladder_set)
        _fold(progress, ladder_set)
        if len(workouts) >= BATCH:
            _insert(bind, workouts, sets)
    _insert(bind, workouts, sets)
    _rebuild_progress(bind, progress)


def _one_set_workout(row: Any, level: int) -> tuple[dict[str, Any], dict[str, Any]]:
    position = Position(level, BandTension(row.band_tension), row.shoulder_flexion)
    reps = tuple(Rep(r["hold_seconds"], r["strict_form"], r["high_flexion"]) for r in row.reps)
    judgement = judge_workout(WorkoutContext.ACTIVATION, [LadderSet(position, Side.BOTH, reps)])
    assert judgement.verdict is not None and judgement.targets is not None  # one counting set
    workout = {
        "id": row.id,
        "athlete_id": row.athlete_id,
        "performed_at": row.performed_at,
        "context": WorkoutContext.ACTIVATION.value,
        "notes": None,
        "counting": True,
        "level": level,
        "band_tension": row.band_tension,
        "shoulder_flexion": row.shoulder_flexion,
        "verdict": judgement.verdict.value,
        "pain": False,
        "one_side_only": False,
        "target_reps": judgement.targets.reps,
        "target_hold_seconds": judgement.targets.hold_seconds,
        "created_at": row.created_at,
        "updated_at": row.created_at,
        "version": 1,
    }
    ladder_set = {
        "id": row.id,
        "workout_id": row.id,
        "athlete_id": row.athlete_id,
        "ordinal": 0,
        "performed_at": row.performed_at,
        "exercise": row.exercise,
        "side": Side.BOTH.value,
        "band_tension": row.band_tension,
        "shoulder_flexion": row.shoulder_flexion,
        "reps": row.reps,
        "pain": False,
        "rpe": None,
        "verdict": judgement.set_verdicts[0].value,
        "counted": True,
        "best_hold_seconds": row.best_hold_seconds,
        "created_at": row.created_at,
    }
    return workout, ladder_set


def _insert(
    bind: sa.Connection, workouts: list[dict[str, Any]], sets: list[dict[str, Any]]
) -> None:
    if workouts:
        bind.execute(WORKOUTS.insert(), workouts)
        bind.execute(SETS.insert(), sets)
    workouts.clear()
    sets.clear()


def _fold(progress: dict[tuple[Any, str], dict[str, Any]], ladder_set: dict[str, Any]) -> None:
    """Sets arrive oldest first per exercise: the last one folded in is the latest."""
    key = (ladder_set["athlete_id"], ladder_set["exercise"])
    entry = progress.setdefault(key, {"workouts": 0, "best_hold_seconds": None})
    entry["workouts"] += 1
    hold = ladder_set["best_hold_seconds"]
    if hold is not None and (
        entry["best_hold_seconds"] is None or hold > entry["best_hold_seconds"]
    ):
        entry["best_hold_seconds"] = hold
    entry["last_performed_at"] = ladder_set["performed_at"]
    entry["band_tension"] = ladder_set["band_tension"]
    entry["shoulder_flexion"] = ladder_set["shoulder_flexion"]


def _rebuild_progress(bind: sa.Connection, progress: dict[tuple[Any, str], dict[str, Any]]) -> None:
    op.drop_table("exercise_progress")
    # Where the position shown comes from: a counted set (every migrated set counted).
    _create_progress(
        counts=("workouts", "sets", "counted_sets"),
        position_columns=(("position_counted", sa.Boolean()), ("position_at", STAMP)),
    )
    table = _table(
        "exercise_progress",
        *_columns(
            **PROGRESS_COLUMNS,
            workouts=sa.Integer(),
            sets=sa.Integer(),
            counted_sets=sa.Integer(),
            position_counted=sa.Boolean(),
            position_at=UTCDateTime(),
        ),
    )
    rows = [
        {
            "athlete_id": athlete_id,
            "exercise": exercise,
            **entry,
            # One set per migrated workout, and every one of them counted.
            "sets": entry["workouts"],
            "counted_sets": entry["workouts"],
            "position_counted": True,
            "position_at": entry["last_performed_at"],
        }
        for (athlete_id, exercise), entry in progress.items()
    ]
    if rows:
        bind.execute(table.insert(), rows)


def _create_progress(
    counts: Sequence[str], position_columns: Sequence[tuple[str, Any]] = ()
) -> None:
    op.create_table(
        "exercise_progress",
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in counts],
        sa.Column("best_hold_seconds", sa.Float(), nullable=True),
        sa.Column("last_performed_at", STAMP, nullable=False),
        sa.Column("band_tension", sa.String(length=16), nullable=False),
        sa.Column("shoulder_flexion", sa.Boolean(), nullable=False),
        *[sa.Column(name, type_, nullable=False) for name, type_ in position_columns],
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_exercise_progress_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "exercise", name=op.f("pk_exercise_progress")),
    )


def downgrade() -> None:
    """Back to one-set sessions: every ladder set becomes a session (sides, contexts,
    notes, pain, rpe and complementary lifts are lost: the old schema has no place for them).
    """
    bind = op.get_bind()
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.drop_column("cues_decided_by")
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("performed_at", STAMP, nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("band_tension", sa.String(length=16), nullable=False),
        sa.Column("shoulder_flexion", sa.Boolean(), nullable=False),
        sa.Column("reps", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("best_hold_seconds", sa.Float(), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_training_sessions_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
    )
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_sessions_athlete_id_exercise_position",
            [
                "athlete_id",
                "exercise",
                "band_tension",
                "shoulder_flexion",
                "performed_at",
                "created_at",
                "id",
            ],
        )
        batch_op.create_index(
            "ix_training_sessions_athlete_id_performed_at",
            ["athlete_id", "performed_at", "created_at", "id"],
        )
    copied = [c.name for c in SESSIONS.c]
    bind.execute(
        SESSIONS.insert().from_select(copied, sa.select(*[SETS.c[name] for name in copied]))
    )
    op.drop_table("exercise_progress")
    _create_progress(counts=("sessions",))
    bind.execute(
        sa.text(
            "INSERT INTO exercise_progress (athlete_id, exercise, sessions, best_hold_seconds, "
            "last_performed_at, band_tension, shoulder_flexion) "
            "SELECT s.athlete_id, s.exercise, count(*), max(s.best_hold_seconds), "
            "max(s.performed_at), "
            "(SELECT l.band_tension FROM training_sessions l WHERE l.athlete_id = s.athlete_id "
            "AND l.exercise = s.exercise ORDER BY l.performed_at DESC, l.created_at DESC "
            "LIMIT 1), "
            "(SELECT l.shoulder_flexion FROM training_sessions l WHERE l.athlete_id = "
            "s.athlete_id AND l.exercise = s.exercise ORDER BY l.performed_at DESC, "
            "l.created_at DESC LIMIT 1) "
            "FROM training_sessions s GROUP BY s.athlete_id, s.exercise"
        )
    )
    for table, indexes in (
        (
            "workout_sets",
            (
                "ix_workout_sets_workout_id",
                "ix_workout_sets_athlete_id_performed_at",
                "ix_workout_sets_athlete_id_exercise",
            ),
        ),
        ("workout_lifts", ("ix_workout_lifts_workout_id",)),
        (
            "workouts",
            (
                "ix_workouts_athlete_id_performed_at",
                "ix_workouts_athlete_id_level",
                "ix_workouts_athlete_id_counting",
            ),
        ),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
