"""The four catalog collections of one worker, per language, and how a catalog view answers.

Built once per worker and language, on first use, from the catalog service's read model
and this release's translations; every catalog GET is then answered from precomputed
bodies, in the language Accept-Language asks for (English when nothing matches)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app

from app.api.catalog.schemas import ExerciseSchema, LadderSchema, MuscleSchema, RuleSchema
from app.api.shared.catalog import current_data
from app.catalog.data import CatalogData, ExerciseRecord, LadderRecord, RuleRecord
from app.catalog.diagrams import diagram
from app.catalog.search import ExerciseFilters, exercise_sort_key, filter_exercises
from app.catalog.translations import (
    LANGUAGES,
    bundled_translations,
    catalog_version,
    translate,
)
from app.web.collections import Collection, everything
from app.web.conditional import Representation, conditional_response
from app.web.languages import negotiated
from app.web.pagination import CursorCodec, codec


@dataclass(frozen=True)
class CatalogView:
    language: str
    version: str
    muscles: Collection[Any]
    exercises: Collection[ExerciseRecord]
    ladders: Collection[LadderRecord]
    rules: Collection[RuleRecord]
    bundle: Representation
    # The exercises' SVGs: the same in every language (their text is `diagram_alt`).
    diagrams: Mapping[str, Representation]


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


def build_view(
    data: CatalogData,
    codec: CursorCodec,
    language: str,
    version: str,
    diagrams: Mapping[str, Representation],
) -> CatalogView:
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
    return with_bundle(
        language=language,
        version=version,
        diagrams=diagrams,
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


def with_bundle(**collections: Any) -> CatalogView:
    """The view, with the whole catalog in one document (`GET /v1/catalog`)."""
    bundle = Representation.of(
        {
            "version": collections["version"],
            "language": collections["language"],
            **{name: collections[name].all_items() for name in BUNDLED},
        }
    )
    return CatalogView(bundle=bundle, **collections)


BUNDLED = ("muscles", "exercises", "ladders", "rules")
_building = threading.Lock()


def current_catalog() -> CatalogView:
    """This worker's catalog view in the request's language, built on first use (a 503
    until the catalog is loaded)."""
    views: dict[str, CatalogView] | None = current_app.extensions.get("catalog_views")
    if views is None:
        with _building:
            views = current_app.extensions.get("catalog_views")
            if views is None:
                views = build_views(current_data(), codec())
                current_app.extensions["catalog_views"] = views
    return views[negotiated(LANGUAGES)]


def build_views(data: CatalogData, codec: CursorCodec) -> dict[str, CatalogView]:
    translations = bundled_translations()
    version = catalog_version(data, translations)
    diagrams = diagram_representations(data)
    views = {LANGUAGES[0]: build_view(data, codec, LANGUAGES[0], version, diagrams)}
    for translation in translations:
        translated = translate(data, translation)
        language = translation.language
        views[language] = build_view(translated, codec, language, version, diagrams)
    return views


# An SVG opened on its own is a document: it may style itself, and nothing else.
DIAGRAM_POLICY = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"}


def diagram_representations(data: CatalogData) -> dict[str, Representation]:
    found = {exercise.slug: diagram(exercise.slug) for exercise in data.exercises}
    return {
        slug: Representation.of_bytes(svg, "image/svg+xml", DIAGRAM_POLICY)
        for slug, svg in found.items()
        if svg is not None
    }


def serve(view: CatalogView, rep: Representation, localized: bool = True) -> Response:
    """A catalog answer: conditional, naming the catalog's version, and when `localized`
    in `view`'s language."""
    selected = {"Catalog-Version": view.version}
    if localized:
        selected |= {"Content-Language": view.language, "Vary": "Accept-Language"}
    return conditional_response(rep, current_app.config["CATALOG_CACHE_CONTROL"], selected)
