"""An athlete's workouts: their ladder sets, complementary lifts, and the stored judgement."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import SLUG, Base, UTCDateTime, utc_now


class Workout(Base):
    """One training day's work in one context, and how the engine judged it.

    The judgement (`counting`, the judged position, `verdict`, `pain`, the next targets)
    is computed when the workout is written or corrected, so the recommendation reads a
    few rows, never the sets of the whole history.
    """

    __tablename__ = "workouts"
    __table_args__ = (
        # Newest first per athlete (the list); ties go to the later logged.
        Index("ix_workouts_athlete_id_performed_at", "athlete_id", "performed_at", "id"),
        # The latest counting workouts (the recommendation).
        Index(
            "ix_workouts_athlete_id_counting",
            "athlete_id",
            "counting",
            "performed_at",
            "created_at",
            "id",
        ),
        # Falls at one position (the plateau rule's retry block).
        Index(
            "ix_workouts_athlete_id_level",
            "athlete_id",
            "level",
            "band_tension",
            "shoulder_flexion",
            "verdict",
            "performed_at",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    athlete_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    context: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    counting: Mapped[bool] = mapped_column(Boolean)
    level: Mapped[int | None] = mapped_column(Integer)
    band_tension: Mapped[str | None] = mapped_column(String(16))
    shoulder_flexion: Mapped[bool | None] = mapped_column(Boolean)
    verdict: Mapped[str | None] = mapped_column(String(16))
    pain: Mapped[bool] = mapped_column(Boolean)
    one_side_only: Mapped[bool] = mapped_column(Boolean)
    target_reps: Mapped[int | None] = mapped_column(Integer)
    target_hold_seconds: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # Bumped by every correction and checked by it: the ETag, and optimistic concurrency.
    version: Mapped[int] = mapped_column(Integer, default=1)

    sets: Mapped[list[WorkoutSet]] = relationship(
        order_by="WorkoutSet.ordinal", cascade="all, delete-orphan", lazy="selectin"
    )
    lifts: Mapped[list[WorkoutLift]] = relationship(
        order_by="WorkoutLift.ordinal", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}


class WorkoutSet(Base):
    """One ladder set of a workout, on one side, with its verdict and whether it counted.

    `athlete_id` and `performed_at` repeat the workout's, so progress and the deprecated
    one-set `sessions` list read sets through their own index.
    """

    __tablename__ = "workout_sets"
    __table_args__ = (
        Index("ix_workout_sets_athlete_id_performed_at", "athlete_id", "performed_at", "id"),
        Index(
            "ix_workout_sets_athlete_id_exercise",
            "athlete_id",
            "exercise",
            "performed_at",
            "id",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    workout_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workouts.id", ondelete="CASCADE"), index=True
    )
    athlete_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    exercise: Mapped[str] = mapped_column(SLUG)
    side: Mapped[str] = mapped_column(String(8))
    band_tension: Mapped[str] = mapped_column(String(16))
    shoulder_flexion: Mapped[bool] = mapped_column(Boolean)
    reps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    pain: Mapped[bool] = mapped_column(Boolean)
    rpe: Mapped[float | None] = mapped_column(Float)
    verdict: Mapped[str] = mapped_column(String(16))
    counted: Mapped[bool] = mapped_column(Boolean)
    best_hold_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class WorkoutLift(Base):
    """A complementary lift (deep lunge, high-box step-up) on one side: never on the ladder."""

    __tablename__ = "workout_lifts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    workout_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workouts.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    exercise: Mapped[str] = mapped_column(SLUG)
    side: Mapped[str] = mapped_column(String(8))
    reps: Mapped[int] = mapped_column(Integer)
    load_kg: Mapped[float | None] = mapped_column(Float)
    pain: Mapped[bool] = mapped_column(Boolean)
    rpe: Mapped[float | None] = mapped_column(Float)
