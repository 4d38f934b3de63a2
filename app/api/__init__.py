"""The HTTP API: flask-smorest wiring, blueprints and the spec."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from app import ratelimit
from app.api import auth, problems, query
from app.api.athletes.routes import blp as athletes_blp
from app.api.athletes.schemas import ATHLETE_UPDATE_CONSTRAINTS
from app.api.catalog_cache import CatalogCache
from app.api.catalog_view import build_view
from app.api.converters import SlugConverter, slug_parameter_schema
from app.api.exercises.routes import blp as exercises_blp
from app.api.ladders.routes import blp as ladders_blp
from app.api.muscles.routes import blp as muscles_blp
from app.api.operations.routes import blp as operations_blp
from app.api.pagination import CursorCodec
from app.api.prescriptions.routes import blp as prescriptions_blp
from app.api.progressions.routes import blp as progressions_blp
from app.api.progressions.schemas import EVALUATION_REQUEST_CONSTRAINTS
from app.api.recommendations.routes import blp as recommendations_blp
from app.api.representations import Representation
from app.api.routines.routes import blp as routines_blp
from app.api.routines.schemas import ROUTINE_OPTIONS_CONSTRAINTS, ROUTINE_REQUEST_CONSTRAINTS
from app.api.rules.routes import blp as rules_blp
from app.api.sessions.routes import blp as sessions_blp
from app.api.sessions.schemas import SESSION_CREATE_CONSTRAINTS
from app.api.smorest import Api
from app.api.workouts.routes import blp as workouts_blp
from app.api.workouts.schemas import (
    SET_CONSTRAINTS,
    WORKOUT_CREATE_CONSTRAINTS,
    WORKOUT_UPDATE_CONSTRAINTS,
)
from app.models.base import utc_now

API_DESCRIPTION = """\
Psoas API serves a psoas (hip-flexor) training catalog, its programming rules
and its progression engine, from the article "5 Ways to Level Up Your Psoas":
the five-level psoas ladder, the complementary scissor lifts, the muscles they
train (with textbook attachments) and the rules, each quoting its source; three
stateless operations that validate a prescription, evaluate a set (what to do
next) and build a routine; and, behind an API key, athletes' workouts and the
recommendation judged from them.

**The domain.** Every decision names the rules behind it (`reasons[].rule`, a
slug of `GET /v1/rules`); the domain document, [`/docs/domain`](/docs/domain),
explains each rule and where the project departs from the article.

**Conventions.** JSON everywhere. Every error is `application/problem+json`
(RFC 9457) with `type`, `title`, `status`, `detail` and `instance`; a 422 adds
`errors`, one entry (`location`, `field`, `message`) per offending field.
Unknown query parameters, a parameter given twice, and unknown body fields are
a 422; so are a single-valued header (`Idempotency-Key`, `If-Match`,
`Authorization`, `X-Request-ID`) sent twice, and a JSON body nested deeper
than 32 levels or holding a number longer than 100 characters, `NaN` or
`Infinity`. A body that breaks its framing, and an HTTP/1.1 request without
one valid `Host`, are a 400; a body that stops arriving is a 408.

**Lists** answer `{"items": [...], "next_cursor": ...}`. Pass `next_cursor` back
as `cursor` (with the same filters) for the next page; it is null on the last
page, and a `Link: <...>; rel="next"` header names the next page when there is
one. `page_size` is 1-100 (default 20). A cursor that was altered, or made for
other filters, is a 422.

**Caching.** Catalog answers carry a strong `ETag` and `Cache-Control`; send the
ETag back in `If-None-Match` and an unchanged answer is a bodiless 304.

**Athletes and workouts** need an API key (`Authorization: Bearer <key>`);
a key sees only its own client app's athletes: another app's athlete is a 404.
A workout is a training day's sets, each on one side, in a context; the answer
gives every set its `verdict` and whether it `counted`, and
`GET /v1/athletes/{athlete_id}/recommendation` judges the latest workouts
(`based_on` names them). `POST`s take an `Idempotency-Key`; `PATCH` needs
`If-Match` (428 without, 412 when stale). Timestamps are RFC 3339 in UTC.

**Deprecation policy.** A deprecated operation is marked `deprecated` here and
answers with `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and a
`Link: <...>; rel="successor-version"` (on a list, `Link` keeps meaning the next
page for existing clients); it is served at least six months after
its deprecation date, and answers 410 from its Sunset. The one-set `sessions`
routes are deprecated since 2026-12-03 (Sunset 2027-06-30): log workouts.

**Rate limits.** Per API key on `/v1/athletes...`, per client address on the
other `/v1` routes (defaults 1200 and 600 requests per minute). Every answer
carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`;
over the limit is a 429 problem with `Retry-After`.

**Tracing.** Send an `X-Request-ID` (1-128 of `A-Za-z0-9._:-`) or get one; it
is echoed on every answer and named in every problem body as `request_id`.

**Problem types.** `about:blank` (plain HTTP errors: 404, 405, ...),
`urn:psoas-api:problem:validation-error` (422),
`urn:psoas-api:problem:service-unavailable` (503, with `Retry-After`),
`urn:psoas-api:problem:internal-error` (500).
"""

log = logging.getLogger(__name__)

BLUEPRINTS = (
    muscles_blp,
    exercises_blp,
    ladders_blp,
    rules_blp,
    prescriptions_blp,
    progressions_blp,
    routines_blp,
    athletes_blp,
    workouts_blp,
    recommendations_blp,
    sessions_blp,
    operations_blp,
)
# Every route under /v1/athletes: an API key, and its budget.
KEYED_BLUEPRINTS = (athletes_blp, workouts_blp, recommendations_blp, sessions_blp)
# Cross-field rules that marshmallow fields cannot express, stated in the spec too.
SCHEMA_CONSTRAINTS = {
    "EvaluationRequest": EVALUATION_REQUEST_CONSTRAINTS,
    "RoutineRequest": ROUTINE_REQUEST_CONSTRAINTS,
    "RoutineOptions": ROUTINE_OPTIONS_CONSTRAINTS,
    "SessionCreate": SESSION_CREATE_CONSTRAINTS,
    "AthleteUpdate": ATHLETE_UPDATE_CONSTRAINTS,
    "Set": SET_CONSTRAINTS,
    "WorkoutCreate": WORKOUT_CREATE_CONSTRAINTS,
    "WorkoutUpdate": WORKOUT_UPDATE_CONSTRAINTS,
}
BEARER_AUTH = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API key from `flask --app wsgi api-keys create NAME`, sent only as "
    "`Authorization: Bearer <key>`. A key anywhere else (query string, body, another header) "
    "is refused with a 401. A revoked key is refused within 10 seconds by default (each server "
    "trusts a key it verified that long).",
}


def api_config() -> dict[str, Any]:
    return {
        "API_TITLE": "Psoas API",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.1.0",
        # We serve /openapi.json and /docs ourselves (precomputed, offline assets).
        "OPENAPI_URL_PREFIX": None,
        "API_SPEC_OPTIONS": {
            "info": {
                "description": API_DESCRIPTION,
                "license": {"name": "MIT", "identifier": "MIT"},
            },
            "externalDocs": {
                "description": "The domain document: every rule the engine applies, with its slug.",
                "url": "/docs/domain",
            },
        },
    }


def database_error(error: DBAPIError) -> Any:
    """A lost connection is an outage (503); any other database error is a bug (500)."""
    if error.connection_invalidated or isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(error)
    return problems.handle_unexpected_error(error)


def database_unavailable(error: Exception) -> Any:
    # A lost or refused connection is a passing outage, not a bug: say so with 503,
    # and leave the cause to the operators' log.
    route = request.url_rule.rule if request.url_rule else None
    log.warning("database unavailable on %s %s: %s", request.method, route, error)
    return problems.problem_response(
        problems.Problem(
            503,
            "The database is unavailable; retry shortly.",
            type_=problems.SERVICE_UNAVAILABLE,
            title="Service unavailable",
            headers={"Retry-After": "5"},
        )
    )


def bodiless_options(response: Response) -> Response:
    """No media type on an answer without a body (Flask labels every one text/html).

    Flask's automatic OPTIONS answer, an empty 200, becomes a 204 too.
    """
    if request.method == "OPTIONS" and response.status_code == 200 and not response.data:
        response.status_code = 204
    if response.status_code in (204, 304):
        del response.headers["Content-Type"]
    return response


def init_app(app: Flask) -> None:
    app.config.update(api_config())
    app.url_map.converters["slug"] = SlugConverter
    # "//" is a 404 problem like any unknown path, not an HTML redirect.
    app.url_map.merge_slashes = False
    api = Api(app)
    api.register_converter(SlugConverter, slug_parameter_schema)
    api.spec.components.security_scheme("bearerAuth", BEARER_AUTH)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    for name, constraints in SCHEMA_CONSTRAINTS.items():
        api.spec.components.schemas[name]["allOf"] = constraints
    problems.init_app(app)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(PoolTimeoutError, database_unavailable)
    ratelimit.init_app(
        app,
        app.config["SETTINGS"],
        public=[blp for blp in BLUEPRINTS if blp not in (*KEYED_BLUEPRINTS, operations_blp)],
        per_key=KEYED_BLUEPRINTS,
    )
    auth.init_app(app)  # first: a leaked key is the thing to say, whatever else is wrong
    query.init_app(app)
    app.after_request(bodiless_options)
    # One signer for every list's cursors: the catalog's and the athletes'.
    codec = app.extensions["cursor_codec"] = CursorCodec(app.config["SECRET_KEY"].encode())
    app.extensions["catalog_cache"] = CatalogCache(build_view, codec)
    app.extensions["openapi_document"] = Representation.of(api.spec.to_dict())
    app.extensions["smorest_api"] = api
    # What "now" is for the recommendation (layoffs) and for refusing future workouts.
    app.extensions["clock"] = utc_now
