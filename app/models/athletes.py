"""Athletes of a client app, and a per-exercise summary of their progress."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import SLUG, Base, UTCDateTime, utc_now


class Athlete(Base):
    __tablename__ = "athletes"
    __table_args__ = (
        UniqueConstraint("client_app_id", "external_id"),
        # The list's keyset order, within a tenant.
        Index("ix_athletes_client_app_id_created_at_id", "client_app_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    client_app_id: Mapped[int] = mapped_column(ForeignKey("client_apps.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # Bumped by every update and checked by it: the ETag, and optimistic concurrency.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ExerciseProgress(Base):
    """Per athlete and ladder exercise: folded in by each new workout, recomputed for the
    exercises a correction or a deletion touches; read in O(1)."""

    __tablename__ = "exercise_progress"

    athlete_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True
    )
    exercise: Mapped[str] = mapped_column(SLUG, primary_key=True)
    workouts: Mapped[int] = mapped_column(Integer)
    sets: Mapped[int] = mapped_column(Integer)
    counted_sets: Mapped[int] = mapped_column(Integer)
    best_hold_seconds: Mapped[float | None] = mapped_column(Float)
    last_performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The position of the latest counted set (of the latest set while none counted).
    band_tension: Mapped[str] = mapped_column(String(16))
    shoulder_flexion: Mapped[bool] = mapped_column(Boolean)
    position_counted: Mapped[bool] = mapped_column(Boolean)
    position_at: Mapped[datetime] = mapped_column(UTCDateTime)
