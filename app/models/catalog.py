"""The catalog tables, keyed by their public slugs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import SLUG, Base


class CatalogMeta(Base):
    """Which version of the catalog data file the tables hold."""

    __tablename__ = "catalog_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))


class Muscle(Base):
    __tablename__ = "muscles"

    slug: Mapped[str] = mapped_column(SLUG, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    group: Mapped[str] = mapped_column(String(64))
    pronunciation: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(Text)
    insertion: Mapped[str] = mapped_column(Text)
    actions: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text)
    source_note: Mapped[str | None] = mapped_column(Text)


class ExerciseMuscle(Base):
    """Which muscles an exercise trains, in the order the catalog lists them."""

    __tablename__ = "exercise_muscles"

    exercise_slug: Mapped[str] = mapped_column(
        ForeignKey("exercises.slug", ondelete="CASCADE"), primary_key=True
    )
    muscle_slug: Mapped[str] = mapped_column(ForeignKey("muscles.slug"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)


class Exercise(Base):
    __tablename__ = "exercises"

    slug: Mapped[str] = mapped_column(SLUG, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int | None] = mapped_column(Integer, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[str] = mapped_column(String(32))
    load: Mapped[str] = mapped_column(String(64))
    contraction: Mapped[str] = mapped_column(String(32))
    per_side: Mapped[bool] = mapped_column(Boolean)
    takes_band: Mapped[bool] = mapped_column(Boolean)
    equipment: Mapped[list[str]] = mapped_column(JSON)
    planes: Mapped[list[str]] = mapped_column(JSON)
    cues: Mapped[list[str]] = mapped_column(JSON)
    # "article" or "project" for each cue, in the order of `cues` (same length).
    cues_decided_by: Mapped[list[str]] = mapped_column(JSON)
    goal: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    # The text alternative of the exercise's diagram (app/catalog/diagrams/<slug>.svg).
    diagram_alt: Mapped[str] = mapped_column(Text)

    muscle_links: Mapped[list[ExerciseMuscle]] = relationship(
        order_by=ExerciseMuscle.ordinal, cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def muscles(self) -> list[str]:
        return [link.muscle_slug for link in self.muscle_links]


class Ladder(Base):
    __tablename__ = "ladders"

    slug: Mapped[str] = mapped_column(SLUG, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)

    levels: Mapped[list[LadderLevel]] = relationship(
        order_by="LadderLevel.level", cascade="all, delete-orphan", lazy="selectin"
    )


class LadderLevel(Base):
    __tablename__ = "ladder_levels"

    ladder_slug: Mapped[str] = mapped_column(
        ForeignKey("ladders.slug", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_slug: Mapped[str] = mapped_column(ForeignKey("exercises.slug"))


class Rule(Base):
    __tablename__ = "rules"

    slug: Mapped[str] = mapped_column(SLUG, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    statement: Mapped[str] = mapped_column(Text)
    min: Mapped[int | None] = mapped_column(Integer)
    max: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(16))
    values: Mapped[list[str] | None] = mapped_column(JSON)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    decided_by: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
