"""The resources: one package per resource (routes and schemas), registered on the web
layer's Api. Resources share only `app/api/shared`; none imports another."""

from __future__ import annotations

from typing import Any

from app.api.athletes.routes import blp as athletes_blp
from app.api.athletes.schemas import ATHLETE_UPDATE_CONSTRAINTS
from app.api.catalog.routes import BLUEPRINTS as CATALOG_BLUEPRINTS
from app.api.changes.routes import blp as changes_blp
from app.api.operations.routes import blp as operations_blp
from app.api.prescriptions.routes import blp as prescriptions_blp
from app.api.progressions.routes import blp as progressions_blp
from app.api.recommendations.routes import blp as recommendations_blp
from app.api.routines.routes import blp as routines_blp
from app.api.sessions.routes import blp as sessions_blp
from app.api.sessions.schemas import SESSION_CREATE_CONSTRAINTS
from app.api.shared.catalog_facts import complementary_exercises, ladder_exercises, muscle_slugs
from app.api.shared.engine import EVALUATION_REQUEST_CONSTRAINTS
from app.api.shared.release import API_VERSION
from app.api.shared.routines import ROUTINE_OPTIONS_CONSTRAINTS, ROUTINE_REQUEST_CONSTRAINTS
from app.api.workouts.routes import blp as workouts_blp
from app.api.workouts.schemas import (
    SET_CONSTRAINTS,
    WORKOUT_CREATE_CONSTRAINTS,
    WORKOUT_UPDATE_CONSTRAINTS,
)
from app.catalog.data import (
    CONTRACTIONS,
    DECIDED_BY,
    EQUIPMENT,
    PLANES,
    POSITIONS,
    ROLES,
    RULE_KINDS,
)
from app.domain.engine import Decision, Verdict
from app.domain.ladder import BAND_ORDER
from app.domain.rules import Context
from app.domain.workouts import Side, WorkoutContext
from app.services.changes import ChangeType
from app.web import enums
from app.web.smorest import Api

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
A sandbox key (`psk_test_...`) sees only the app's sandbox, whose data (athletes,
workouts, the change feed) never mixes with the live app's.
A workout is a training day's sets, each on one side, in a context; the answer
gives every set its `verdict` and whether it `counted`, and
`GET /v1/athletes/{athlete_id}/recommendation` judges the latest workouts
(`based_on` names them). `POST`s take an `Idempotency-Key`; `PATCH` needs
`If-Match` (428 without, 412 when stale). Timestamps are RFC 3339 in UTC.

**Changes and deprecation.** The policy, [`/docs/policy`](/docs/policy), says
what changes without notice (new fields and operations, new rules, wording),
what is announced first (new values of a closed enum), and how an operation
goes: marked `deprecated` here, answered with `Deprecation` (RFC 9745), `Sunset`
(RFC 8594) and a `Link: <...>; rel="successor-version"` (on a list, `Link` keeps
meaning the next page), served at least six months after its deprecation, then
410 from its Sunset. The one-set `sessions` routes are deprecated since
2026-12-03 (Sunset 2027-06-30): log workouts.

**Catalog for apps.** `GET /v1/catalog` is the whole catalog in one document,
with its `version`; every catalog answer carries `Catalog-Version`, so an app
knows when its offline copy is stale. Catalog text follows `Accept-Language`
(`en`, `de`, `es`; English when nothing matches), with `Content-Language` and
`Vary: Accept-Language`; the `source` quotes stay in the article's English. The engine's
words follow the header too: `reasons`, a routine's `notes`, a prescription's
`violations` (their `rule`, `field` and numbers are the same in every language).
Problems stay English.

**Rate limits.** Per API key on `/v1/athletes...`, per client address on the
other `/v1` routes (defaults 1200 and 600 requests per minute). Every answer
carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`;
over the limit is a 429 problem with `Retry-After`. A conditional GET answered 304
costs nothing from the budget.

**Tracing.** Send an `X-Request-ID` (1-128 of `A-Za-z0-9._:-`) or get one; it
is echoed on every answer and named in every problem body as `request_id`.

**Problem types.** `about:blank` (plain HTTP errors: 404, 405, ...),
`urn:psoas-api:problem:validation-error` (422),
`urn:psoas-api:problem:service-unavailable` (503, with `Retry-After`),
`urn:psoas-api:problem:internal-error` (500).
"""


def shared_enums() -> dict[str, tuple[list[str], str]]:
    """Every enum of the API, once: the domain's values (and the catalog's slugs)."""
    return {
        "BandTension": (
            [band.value for band in BAND_ORDER],
            "Band tension, lightest first: `none` on levels 1-2, a band on levels 3-5.",
        ),
        "LadderExercise": (ladder_exercises(), "A ladder exercise's slug, levels 1-5 in order."),
        "ComplementaryExercise": (
            complementary_exercises(),
            "A complementary scissor lift's slug (never on the ladder).",
        ),
        "Verdict": ([v.value for v in Verdict], "How a set or a workout went."),
        "Decision": ([d.value for d in Decision], "Where the athlete goes next."),
        "WorkoutContext": ([c.value for c in WorkoutContext], "What a workout was."),
        "RoutineContext": ([c.value for c in Context], "What a routine is for."),
        "Side": ([Side.LEFT.value, Side.RIGHT.value], "The leg driven up."),
        "LoggedSide": (
            [s.value for s in Side],
            "The side of a stored set: `both` only for a set logged through the deprecated "
            "sessions routes.",
        ),
        "MuscleSlug": (muscle_slugs(), "A muscle's slug (see `GET /v1/muscles`)."),
        "ExerciseRole": (list(ROLES), "On the ladder, or a complementary lift."),
        "BodyPosition": (list(POSITIONS), "The body position an exercise is done in."),
        "Plane": (list(PLANES), "A plane of motion."),
        "Equipment": (list(EQUIPMENT), "Equipment an exercise needs."),
        "Contraction": (list(CONTRACTIONS), "How the muscles work: held, or moving."),
        "RuleKind": (list(RULE_KINDS), "What a rule states: a range, a choice, a condition."),
        "ChangeType": (
            [t.value for t in ChangeType],
            "What a change in the feed (and a webhook event) is: a resource kind and what "
            "happened to it. A release may add one (announced first, as for any closed enum).",
        ),
        "DecidedBy": (
            list(DECIDED_BY),
            "`article` when the article says it; `project` when it is Psoas API's own decision.",
        ),
    }


# Named types that are not one closed list of values.
SHARED_SCHEMAS: dict[str, dict[str, Any]] = {
    "ExerciseSlug": {
        "anyOf": [
            {"$ref": "#/components/schemas/LadderExercise"},
            {"$ref": "#/components/schemas/ComplementaryExercise"},
        ],
        "description": "Any exercise's slug: a ladder exercise or a complementary lift.",
    },
    # Open: a coach's review may add a rule in a minor release, and a client must not fail
    # to read a recommendation because a reason names a rule it does not know.
    "RuleSlug": {
        "type": "string",
        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        "description": "A slug of `GET /v1/rules`. A release may add rules: accept slugs "
        "you do not know.",
        "example": "hold-duration",
    },
}


BLUEPRINTS = (
    *CATALOG_BLUEPRINTS,
    prescriptions_blp,
    progressions_blp,
    routines_blp,
    athletes_blp,
    workouts_blp,
    recommendations_blp,
    changes_blp,
    sessions_blp,
    operations_blp,
)
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
    "description": "An API key from `flask --app wsgi api-keys create NAME` (`psk_...`), or "
    "a sandbox key from `... create --sandbox NAME` (`psk_test_...`, whose data is the "
    "sandbox's, never the live app's), sent only as "
    "`Authorization: Bearer <key>`. A key anywhere else (query string, body, another header) "
    "is refused with a 401. A revoked key is refused within 10 seconds by default (each server "
    "trusts a key it verified that long).",
}


def api_config() -> dict[str, Any]:
    return {
        "API_TITLE": "Psoas API",
        "API_VERSION": API_VERSION,
        "OPENAPI_VERSION": "3.1.0",
        "PATH_PARAMETERS": {
            "slug": "The entry's slug, as its list gives it.",
            "athlete_id": "The athlete's `id` (not your `external_id`).",
            "workout_id": "The workout's `id`.",
            "session_id": "The session's `id`.",
        },
        # We serve /openapi.json and /docs ourselves (precomputed, offline assets).
        "OPENAPI_URL_PREFIX": None,
        "API_SPEC_OPTIONS": {
            "info": {
                "description": API_DESCRIPTION,
                "license": {"name": "MIT", "identifier": "MIT"},
                "contact": {"name": "The Psoas API maintainers"},
            },
            # Relative: the host that served this document serves the API.
            "servers": [{"url": "/", "description": "The server that serves this document."}],
            # No `externalDocs` for the domain document: its URL would be relative too, which
            # Spectral's OpenAPI schema refuses; the description links it, and it is an
            # operation of this API (`GET /docs/domain`).
        },
    }


def init_app(api: Api) -> None:
    api.spec.components.security_scheme("bearerAuth", BEARER_AUTH)
    enums.register(api.spec, shared_enums())
    for name, schema in SHARED_SCHEMAS.items():
        api.spec.components.schema(name, schema)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    for name, constraints in SCHEMA_CONSTRAINTS.items():
        api.spec.components.schemas[name]["allOf"] = constraints
