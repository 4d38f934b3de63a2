"""GET /v1/catalog: the whole catalog in one document, for apps that work offline."""

from typing import Any

from flask import Response
from marshmallow import fields

from app.api.catalog.schemas import ExerciseSchema, LadderSchema, MuscleSchema, RuleSchema
from app.api.catalog.view import current_catalog, serve
from app.catalog.translations import LANGUAGES
from app.web.schemas import StrictSchema
from app.web.smorest import Blueprint

blp = Blueprint(
    "catalog",
    __name__,
    url_prefix="/v1/catalog",
    description="The whole catalog in one versioned document.",
)


class CatalogSchema(StrictSchema):
    version = fields.String(
        required=True,
        metadata={
            "description": "The catalog's version, also sent as `Catalog-Version` by every "
            "catalog answer: when it changes, fetch this document again.",
            "example": "7.1f3a9c0b2e",
        },
    )
    # A string, not an enum: a language may be added without notice (docs/policy.md).
    language = fields.String(
        required=True,
        metadata={
            "description": "The language of the text: `en`, `de` or `es` today, as "
            "`Content-Language` says.",
            "example": "de",
        },
    )
    muscles = fields.List(fields.Nested(MuscleSchema), required=True)
    exercises = fields.List(fields.Nested(ExerciseSchema), required=True)
    ladders = fields.List(fields.Nested(LadderSchema), required=True)
    rules = fields.List(fields.Nested(RuleSchema), required=True)


EXAMPLE: dict[str, Any] = {
    "version": "7.1f3a9c0b2e",
    "language": LANGUAGES[0],
    "muscles": [],
    "exercises": [],
    "ladders": [],
    "rules": [],
}


@blp.route("")
@blp.cached_get(
    CatalogSchema,
    localized=True,
    description="Every muscle, exercise, ladder and rule, as their lists give them.",
    example=EXAMPLE,
)
@blp.problems(422, 503)
def get_catalog() -> Response:
    """Get the whole catalog

    Everything the four catalog lists hold, in one document, with the catalog's
    `version`: cache it (strong `ETag`, `Cache-Control`) and use it offline. Every
    catalog answer carries `Catalog-Version`; when it differs from the `version`
    you hold, your copy is stale. The text follows `Accept-Language` like every
    catalog answer; the `source` quotes stay in the article's words.
    """
    catalog = current_catalog()
    return serve(catalog, catalog.bundle)
