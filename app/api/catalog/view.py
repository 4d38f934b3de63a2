"""The four catalog collections of one worker, per language, and how a catalog view answers.

Built once per worker and language, on first use, from the catalog service's read model
and this release's translations; every catalog GET is then answered from precomputed
bodies, in the language Accept-Language asks for (English when nothing matches)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from flask import Response, current_app

from app.api.catalog.schemas import ExerciseSchema, LadderSchema, MuscleSchema, RuleSchema
from app.api.shared.catalog import current_data
from app.catalog.data import CatalogData, ExerciseRecord, LadderRecord, RuleRecord
from app.catalog.diagrams import diagram
from app.catalog.search import ExerciseFilters, exercise_sort_key, filter_exercises
from app.catalog.translations import LANGUAGES, bundled_translations, translate
from app.web.collections import Collection, everything
from app.web.conditional import Representation, conditional_response
from app.web.languages import negotiated
from app.web.pagination import CursorCodec, codec


@dataclass(frozen=True)
class CatalogView:
    language: str
    muscles: Collection[Any]
    exercises: Collection[ExerciseRecord]
    ladders: Collection[LadderRecord]
    rules: Collection[RuleRecord]
    # The exercises' SVGs: the same in every language (their text is `diagram_alt`).
    diagrams: Mapping[str, Representation]
    version: str = ""  # set once every language is built: see served_version

    def contents(self) -> dict[str, list[dict[str, Any]]]:
        return {name: getattr(self, name).all_items() for name in BUNDLED}

    @cached_property
    def bundle(self) -> Representation:
        """The whole catalog in one document (`GET /v1/catalog`)."""
        return Representation.of(
            {"version": self.version, "language": self.language, **self.contents()}
        )


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
    data: CatalogData, codec: CursorCodec, language: str, diagrams: Mapping[str, Representation]
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
    return CatalogView(
        language=language,
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
    diagrams = diagram_representations(data)
    texts = {LANGUAGES[0]: data}
    texts |= {t.language: translate(data, t) for t in bundled_translations()}
    views = {lang: build_view(text, codec, lang, diagrams) for lang, text in texts.items()}
    version = served_version(data, views.values(), diagrams)
    return {lang: replace(view, version=version) for lang, view in views.items()}


def served_version(
    data: CatalogData, views: Iterable[CatalogView], diagrams: Mapping[str, Representation]
) -> str:
    """The catalog's version as clients see it: the data file's version, then a digest of
    everything served, in every language, diagrams included, so that any change an
    offline copy would miss (a text, a drawing, a new field) gives a new version."""
    digest = hashlib.sha256()
    for view in views:
        digest.update(json.dumps([view.language, view.contents()], sort_keys=True).encode())
    for slug in sorted(diagrams):
        digest.update(slug.encode() + diagrams[slug].body)
    return f"{data.version}.{digest.hexdigest()[:10]}"


def name_the_version(response: Response) -> Response:
    """The one place every catalog answer gets its Catalog-Version: 200s, 304s and errors
    alike (a 404 for a slug an offline copy holds is when the app most needs to know its
    copy is stale). Registered on the catalog blueprints (routes.py)."""
    views: dict[str, CatalogView] | None = current_app.extensions.get("catalog_views")
    if views:
        response.headers["Catalog-Version"] = views[LANGUAGES[0]].version
    return response


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
    """A catalog answer: conditional, and when `localized` in `view`'s language (its
    Catalog-Version is added by name_the_version, like an error's)."""
    selected = {"Content-Language": view.language, "Vary": "Accept-Language"}
    return conditional_response(
        rep, current_app.config["CATALOG_CACHE_CONTROL"], selected if localized else None
    )
