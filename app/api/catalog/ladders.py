"""GET /v1/ladders and /v1/ladders/{slug}."""

from typing import Any

from flask import Response

from app.api.catalog.schemas import LadderListSchema, LadderQuerySchema, LadderSchema
from app.api.catalog.view import current_catalog, ladder_payload, serve
from app.api.shared.catalog_facts import catalog_data
from app.web.smorest import Blueprint

blp = Blueprint(
    "ladders",
    __name__,
    url_prefix="/v1/ladders",
    description="The psoas ladder: five levels, each naming its exercise.",
)

EXAMPLE = LadderSchema().dump(ladder_payload(catalog_data(), catalog_data().ladders[0]))


@blp.route("")
@blp.arguments(LadderQuerySchema, location="query", as_kwargs=True)
@blp.cached_get(
    LadderListSchema,
    localized=True,
    paginated=True,
    description="One page of ladders, ordered by slug.",
    example={"items": [EXAMPLE], "next_cursor": None},
)
@blp.problems(422, 503)
def list_ladders(**query: Any) -> Response:
    """List ladders

    Ordered by slug. Today there is one ladder, `psoas`.
    """
    catalog = current_catalog()
    return serve(catalog, catalog.ladders.page(query))


@blp.route("/<slug:slug>")
@blp.cached_get(
    LadderSchema, localized=True, description="The ladder, levels easiest first.", example=EXAMPLE
)
@blp.problems(404, 422, 503)
def get_ladder(slug: str) -> Response:
    """Get a ladder

    One ladder by slug, its levels in order, each naming its exercise and the
    band tensions it can take (none on levels 1-2; a band on levels 3-5).
    """
    catalog = current_catalog()
    return serve(catalog, catalog.ladders.item(slug))
