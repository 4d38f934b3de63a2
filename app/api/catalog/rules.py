"""GET /v1/rules and /v1/rules/{slug}."""

from typing import Any

from flask import Response

from app.api.catalog.schemas import RuleListSchema, RuleQuerySchema, RuleSchema
from app.api.catalog.view import current_catalog, serve
from app.api.shared.catalog_facts import catalog_data
from app.web.smorest import Blueprint

blp = Blueprint(
    "rules",
    __name__,
    url_prefix="/v1/rules",
    description="The programming rules, machine-readable, each with its source.",
)


def _example(slug: str) -> dict[str, Any]:
    return RuleSchema().dump(next(r for r in catalog_data().rules if r.slug == slug))


@blp.route("")
@blp.arguments(RuleQuerySchema, location="query", as_kwargs=True)
@blp.cached_get(
    RuleListSchema,
    localized=True,
    paginated=True,
    description="One page of rules, ordered by slug.",
    example={"items": [_example("band-tension")], "next_cursor": None},
)
@blp.problems(422, 503)
def list_rules(**query: Any) -> Response:
    """List rules

    Ordered by slug. Each rule is machine-readable (`kind`, `min`, `max`,
    `unit`, `values`, `parameters`) and quotes its `source`; `decided_by`
    tells the article's rules from the project's own decisions.
    """
    catalog = current_catalog()
    return serve(catalog, catalog.rules.page(query))


@blp.route("/<slug:slug>")
@blp.cached_get(
    RuleSchema, localized=True, description="The rule.", example=_example("hold-duration")
)
@blp.problems(404, 422, 503)
def get_rule(slug: str) -> Response:
    """Get a rule

    One rule by slug, e.g. `hold-duration` (2-5 s) or `repetitions` (3-5).
    """
    catalog = current_catalog()
    return serve(catalog, catalog.rules.item(slug))
