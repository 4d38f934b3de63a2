"""Athletes of a client app, their logged sessions, and a per-exercise progress summary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
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


class TrainingSession(Base):
    """One logged set: the evaluate body, when it was done, and how it went."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        # Newest first per athlete (list, latest session); ties go to the later logged.
        Index(
            "ix_training_sessions_athlete_id_performed_at",
            "athlete_id",
            "performed_at",
            "created_at",
            "id",
        ),
        # The same, per exercise (list filter) and per position (the recommendation's history).
        Index(
            "ix_training_sessions_athlete_id_exercise_position",
            "athlete_id",
            "exercise",
            "band_tension",
            "shoulder_flexion",
            "performed_at",
            "created_at",
            "id",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    athlete_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    exercise: Mapped[str] = mapped_column(SLUG)
    band_tension: Mapped[str] = mapped_column(String(16))
    shoulder_flexion: Mapped[bool] = mapped_column(Boolean)
    reps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    verdict: Mapped[str] = mapped_column(String(16))
    best_hold_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ExerciseProgress(Base):
    """Per athlete and exercise: kept up to date by each logged session, read in O(1)."""

    __tablename__ = "exercise_progress"

    athlete_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True
    )
    exercise: Mapped[str] = mapped_column(SLUG, primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer)
    best_hold_seconds: Mapped[float | None] = mapped_column(Float)
    last_performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    band_tension: Mapped[str] = mapped_column(String(16))
    shoulder_flexion: Mapped[bool] = mapped_column(Boolean)
