"""The four catalog collections of one worker, and how a catalog view answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app

from app.api.catalog_cache import CatalogCache, Collection, everything
from app.api.exercises.schemas import ExerciseSchema
from app.api.ladders.schemas import LadderSchema
from app.api.muscles.schemas import MuscleSchema
from app.api.pagination import CursorCodec
from app.api.representations import Representation, conditional_response
from app.api.rules.schemas import RuleSchema
from app.catalog.data import CatalogData, ExerciseRecord, LadderRecord, RuleRecord, psoas_ladder
from app.catalog.search import ExerciseFilters, exercise_sort_key, filter_exercises
from app.domain.ladder import Ladder


@dataclass(frozen=True)
class CatalogView:
    muscles: Collection[Any]
    exercises: Collection[ExerciseRecord]
    ladders: Collection[LadderRecord]
    rules: Collection[RuleRecord]
    # The psoas ladder as the engine sees it: exercise slugs by level.
    ladder: Ladder


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
        ladder=psoas_ladder(data),
    )


def current_catalog() -> CatalogView:
    cache: CatalogCache = current_app.extensions["catalog_cache"]
    view: CatalogView = cache.get()
    return view


def serve(rep: Representation) -> Response:
    return conditional_response(rep, current_app.config["CATALOG_CACHE_CONTROL"])
