"""GET /v1/muscles and /v1/muscles/{slug}."""

from typing import Any

from flask import Response

from app.api.catalog.schemas import MuscleListSchema, MuscleQuerySchema, MuscleSchema
from app.api.catalog.view import current_catalog, serve
from app.api.shared.catalog_facts import catalog_data
from app.web.smorest import Blueprint

blp = Blueprint(
    "muscles",
    __name__,
    url_prefix="/v1/muscles",
    description="The iliopsoas group (psoas major, psoas minor, iliacus) and the glute it "
    "pairs with, with textbook attachments.",
)


def _example(slug: str) -> dict[str, Any]:
    return MuscleSchema().dump(next(m for m in catalog_data().muscles if m.slug == slug))


@blp.route("")
@blp.arguments(MuscleQuerySchema, location="query", as_kwargs=True)
@blp.cached_get(
    MuscleListSchema,
    localized=True,
    paginated=True,
    description="One page of muscles, ordered by slug.",
    example={"items": [_example("gluteus-maximus"), _example("iliacus")], "next_cursor": None},
)
@blp.problems(422, 503)
def list_muscles(**query: Any) -> Response:
    """List muscles

    The muscles the catalog's exercises train, ordered by slug. Origins and
    insertions are the textbook ones; `source` keeps the article's wording and
    `source_note` says where the two differ.
    """
    catalog = current_catalog()
    return serve(catalog, catalog.muscles.page(query))


@blp.route("/<slug:slug>")
@blp.cached_get(
    MuscleSchema, localized=True, description="The muscle.", example=_example("psoas-major")
)
@blp.problems(404, 422, 503)
def get_muscle(slug: str) -> Response:
    """Get a muscle

    One muscle by slug: `psoas-major`, `psoas-minor`, `iliacus` or `gluteus-maximus`.
    """
    catalog = current_catalog()
    return serve(catalog, catalog.muscles.item(slug))
