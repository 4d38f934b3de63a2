"""GET /v1/exercises and /v1/exercises/{slug}."""

from typing import Any

from flask import Response

from app.api.catalog.schemas import ExerciseListSchema, ExerciseQuerySchema, ExerciseSchema
from app.api.catalog.view import current_catalog, serve
from app.api.shared.catalog_facts import catalog_data
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
    return serve(current_catalog().exercises.page(query))


@blp.route("/<slug:slug>")
@blp.cached_get(
    ExerciseSchema, description="The exercise.", example=_example("supine-psoas-activation")
)
@blp.problems(404, 422, 503)
def get_exercise(slug: str) -> Response:
    """Get an exercise

    One exercise by slug, e.g. `standing-banded-psoas-hold` or `deep-lunge`.
    """
    return serve(current_catalog().exercises.item(slug))
