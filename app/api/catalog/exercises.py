"""GET /v1/exercises and /v1/exercises/{slug}."""

from typing import Any

from flask import Response

from app.api.catalog.schemas import ExerciseListSchema, ExerciseQuerySchema, ExerciseSchema
from app.api.catalog.view import current_catalog, serve
from app.api.shared.catalog_facts import catalog_data
from app.web.problems import Problem
from app.web.smorest import Blueprint

blp = Blueprint(
    "exercises",
    __name__,
    url_prefix="/v1/exercises",
    description="The five levels of the psoas ladder and the two complementary scissor lifts.",
)


def _example(slug: str) -> dict[str, Any]:
    return ExerciseSchema().dump(next(e for e in catalog_data().exercises if e.slug == slug))


@blp.route("")
@blp.arguments(ExerciseQuerySchema, location="query", as_kwargs=True)
@blp.cached_get(
    ExerciseListSchema,
    localized=True,
    paginated=True,
    description="One page of exercises: by level, then slug; complementary lifts last.",
    example={
        "items": [_example("half-kneeling-banded-psoas-hold")],
        "next_cursor": None,
    },
)
@blp.problems(422, 503)
def list_exercises(**query: Any) -> Response:
    """List exercises

    Ordered by level, then slug, with the complementary lifts (no level) last.
    Every filter given must match. `q` searches names, cues and the names of
    the muscles trained, ignoring case; with several words, each must occur.
    A filter value outside its documented set is a 422, not an empty list.
    """
    catalog = current_catalog()
    return serve(catalog, catalog.exercises.page(query))


@blp.route("/<slug:slug>")
@blp.cached_get(
    ExerciseSchema,
    localized=True,
    description="The exercise.",
    example=_example("supine-psoas-activation"),
)
@blp.problems(404, 422, 503)
def get_exercise(slug: str) -> Response:
    """Get an exercise

    One exercise by slug, e.g. `standing-banded-psoas-hold` or `deep-lunge`.
    """
    catalog = current_catalog()
    return serve(catalog, catalog.exercises.item(slug))


@blp.route("/<slug:slug>/diagram.svg")
@blp.cached_get(
    {"type": "string", "format": "binary"},  # bytes, for generated clients
    content_type="image/svg+xml",
    description="The exercise's diagram (SVG): the same in every language; its text "
    "alternative is the exercise's `diagram_alt`.",
    example='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img">',
    headers={"Catalog-Version": "CATALOG_VERSION", "Content-Security-Policy": "DIAGRAM_POLICY"},
)
@blp.problems(404, 422, 503)
def get_exercise_diagram(slug: str) -> Response:
    """Get an exercise's diagram

    A side view drawn by the project and served by the API itself (no image host):
    the body position, the leg driven into high hip flexion, and the band with its
    anchor where there is one; the complementary lifts show the scissor pattern,
    one hip flexing while the other extends. Cache it by its `ETag`.
    """
    catalog = current_catalog()
    catalog.exercises.item(slug)  # a 404 for an exercise that is not in the catalog
    drawn = catalog.diagrams.get(slug)
    if drawn is None:  # a database holding another release's exercise
        raise Problem(404, f"There is no diagram of `{slug}` in this release.")
    return serve(catalog, drawn, localized=False)
