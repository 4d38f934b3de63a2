"""The four catalog collections of one worker, and how a catalog view answers.

Built once per worker, on first use, from the catalog service's read model; every catalog
GET is then answered from precomputed bodies."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app

from app.api.catalog.schemas import ExerciseSchema, LadderSchema, MuscleSchema, RuleSchema
from app.api.shared.catalog import current_data
from app.catalog.data import CatalogData, ExerciseRecord, LadderRecord, RuleRecord
from app.catalog.search import ExerciseFilters, exercise_sort_key, filter_exercises
from app.web.collections import Collection, everything
from app.web.conditional import Representation, conditional_response
from app.web.pagination import CursorCodec, codec


@dataclass(frozen=True)
class CatalogView:
    muscles: Collection[Any]
    exercises: Collection[ExerciseRecord]
    ladders: Collection[LadderRecord]
    rules: Collection[RuleRecord]


def ladder_payload(data: CatalogData, ladder: LadderRecord) -> dict[str, Any]:
    """A ladder with each level's exercise, goal and the band tensions it can take."""
    exercises = {e.slug: e for e in data.exercises}
    tensions = next(r.values for r in data.rules if r.slug == "band-tension") or []
    banded, unbanded = [t for t in tensions if t != "none"], ["none"]
    return {
        "slug": ladder.slug,
        "name": ladder.name,
        "description": ladder.description,
        "source": ladder.source,
        "levels": [
            {
                "level": level,
                "exercise": slug,
                "name": exercises[slug].name,
                "goal": exercises[slug].goal,
                "band_tensions": banded if exercises[slug].takes_band else unbanded,
            }
            for level, slug in enumerate(ladder.levels, start=1)
        ],
    }


def build_view(data: CatalogData, codec: CursorCodec) -> CatalogView:
    muscles = {m.slug: m for m in data.muscles}

    def select_exercises(
        records: Sequence[ExerciseRecord], filters: Mapping[str, Any]
    ) -> Sequence[ExerciseRecord]:
        return filter_exercises(records, ExerciseFilters(**filters), muscles)

    def select_rules(
        records: Sequence[RuleRecord], filters: Mapping[str, Any]
    ) -> Sequence[RuleRecord]:
        wanted = filters.get("decided_by")
        return [r for r in records if wanted is None or r.decided_by == wanted]

    def by_slug(record: Any) -> list[Any]:
        return [record.slug]

    def slug_of(record: Any) -> str:
        return str(record.slug)

    common = {"slug_of": slug_of, "codec": codec}
    return CatalogView(
        muscles=Collection(
            "/v1/muscles",
            data.muscles,
            sort_key=by_slug,
            dump=MuscleSchema().dump,
            select=everything,
            **common,
        ),
        exercises=Collection(
            "/v1/exercises",
            data.exercises,
            sort_key=exercise_sort_key,
            dump=ExerciseSchema().dump,
            select=select_exercises,
            **common,
        ),
        ladders=Collection(
            "/v1/ladders",
            data.ladders,
            sort_key=by_slug,
            dump=lambda ladder: LadderSchema().dump(ladder_payload(data, ladder)),
            select=everything,
            **common,
        ),
        rules=Collection(
            "/v1/rules",
            data.rules,
            sort_key=by_slug,
            dump=RuleSchema().dump,
            select=select_rules,
            **common,
        ),
    )


_building = threading.Lock()


def current_catalog() -> CatalogView:
    """This worker's catalog view, built on first use (a 503 until the catalog is loaded)."""
    view: CatalogView | None = current_app.extensions.get("catalog_view")
    if view is None:
        with _building:
            view = current_app.extensions.get("catalog_view")
            if view is None:
                view = current_app.extensions["catalog_view"] = build_view(current_data(), codec())
    return view


def serve(rep: Representation) -> Response:
    return conditional_response(rep, current_app.config["CATALOG_CACHE_CONTROL"])
