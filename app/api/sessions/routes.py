"""/v1/athletes/{athlete_id}/sessions: the deprecated one-set log, served until its Sunset.

A session is one ladder set. Logging one stores a one-set workout in context
`activation` that stands for both sides; listing them lists every ladder set of the
athlete's workouts, each as a session. Every answer says it is deprecated (RFC 9745
`Deprecation`, RFC 8594 `Sunset`) and links to the successor.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from flask import Response, request
from sqlalchemy.orm import Session

from app.api.sessions.examples import SESSION_EXAMPLE, SESSION_REQUEST_EXAMPLE
from app.api.sessions.schemas import (
    SessionCreateSchema,
    SessionListSchema,
    SessionQuerySchema,
    SessionSchema,
)
from app.api.shared.athlete_scope import SECURED, owned_athlete
from app.api.shared.catalog import current_ladder
from app.api.shared.positions import position_from
from app.models import WorkoutSet
from app.services import workouts as workouts_service
from app.web import now
from app.web.auth import current_client_app
from app.web.database import get_session
from app.web.idempotency import IDEMPOTENCY_KEY_PARAMETER, create_once
from app.web.pagination import codec, fetched_page, keyset_position, list_response, query_scope
from app.web.problems import Problem
from app.web.smorest import LISTED, Blueprint

# The deprecation policy (README): a deprecated route is served at least six months
# after its Deprecation date, then answers 410 from its Sunset.
DEPRECATED_AT = int(datetime(2026, 12, 3, tzinfo=UTC).timestamp())
SUNSET_AT = datetime(2027, 6, 30, tzinfo=UTC)
SUNSET = format_datetime(SUNSET_AT, usegmt=True)  # an HTTP-date
# The headers' meaning is in the spec's shared components (app/web/smorest.py).
DEPRECATION_HEADERS = {"Deprecation": "DEPRECATION", "Sunset": "SUNSET"}
SUCCESSOR_LINK = {"Link": "SUCCESSOR_LINK"}

blp = Blueprint(
    "sessions",
    __name__,
    url_prefix="/v1/athletes",
    description="Deprecated since 2026-12-03, served until 2027-06-30: log workouts instead. "
    "A session is one ladder set with no side; it reads as a one-set workout in context "
    "`activation` that stands for both sides.",
)
DEPRECATED = {"deprecated": True, **SECURED}


@blp.before_request
def gone_after_sunset() -> None:
    if datetime.now(UTC) >= SUNSET_AT:
        raise Problem(
            410,
            "The sessions routes reached their Sunset (2027-06-30): log workouts at "
            "/v1/athletes/{athlete_id}/workouts.",
        )


@blp.after_request
def say_deprecated(response: Response) -> Response:
    response.headers["Deprecation"] = f"@{DEPRECATED_AT}"
    response.headers["Sunset"] = SUNSET
    athlete_id = (request.view_args or {}).get("athlete_id")
    # Not on the list: there `Link` keeps meaning "the next page" for existing clients.
    if athlete_id is not None and request.endpoint != f"{blp.name}.list_sessions":
        response.headers["Link"] = f'</v1/athletes/{athlete_id}/workouts>; rel="successor-version"'
    return response


@blp.route("/<uuid:athlete_id>/sessions", methods=["POST"])
@blp.arguments(SessionCreateSchema, example=SESSION_REQUEST_EXAMPLE)
@blp.response(
    201,
    SessionSchema,
    example=SESSION_EXAMPLE,
    description="Logged; `Location` names the session.",
    headers={
        **DEPRECATION_HEADERS,
        **SUCCESSOR_LINK,
        "Location": "LOCATION",
        "Idempotent-Replayed": "IDEMPOTENT_REPLAYED",
    },
)
@blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER], **DEPRECATED)
@blp.problems(401, 404, 409, 410, 415, 422)
def log_session(body: dict[str, Any], athlete_id: uuid.UUID) -> Response:
    """Log a session (deprecated)

    Deprecated: `POST /v1/athletes/{athlete_id}/workouts` logs sets per side. One set,
    as `POST /v1/progressions/evaluate` takes it, plus `performed_at` (RFC 3339 with an
    offset; not in the future, not before 2000): stored as a one-set workout in context
    `activation`, standing for both sides. Send an `Idempotency-Key` to retry safely.
    """
    client_app_id = current_client_app()
    ladder = current_ladder()

    def write(db: Session) -> tuple[dict[str, Any], dict[str, str]]:
        athlete = owned_athlete(db, athlete_id, lock="share")  # a DELETE waits for this
        row = workouts_service.log_single_set(
            db,
            athlete,
            body["exercise"],
            position_from(body, ladder),
            body["performed_at"],
            body["reps"],
            now(),
        )
        location = f"/v1/athletes/{athlete.id}/sessions/{row.id}"
        return SessionSchema().dump(row), {"Location": location}

    return create_once(client_app_id, write)


@blp.route("/<uuid:athlete_id>/sessions")
@blp.arguments(SessionQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    SessionListSchema,
    example={"items": [SESSION_EXAMPLE], "next_cursor": None},
    description="One page of sessions (ladder sets), newest first.",
    headers={**DEPRECATION_HEADERS, **LISTED},
)
@blp.doc(**DEPRECATED)
@blp.problems(401, 404, 410, 422)
def list_sessions(athlete_id: uuid.UUID, **query: Any) -> Response:
    """List an athlete's sessions (deprecated)

    Deprecated: `GET /v1/athletes/{athlete_id}/workouts`. Every ladder set of the
    athlete's workouts, as a session, newest first (by `performed_at`, then `id`),
    cursor-paginated; filter by `exercise` and by `performed_after` (inclusive) /
    `performed_before`.
    """
    db = get_session()
    athlete = owned_athlete(db, athlete_id)
    filters = {k: query.get(k) for k in ("exercise", "performed_after", "performed_before")}
    scope = query_scope(
        f"/v1/athletes/{athlete.id}/sessions",
        {k: str(v) for k, v in filters.items() if v is not None},
    )
    before = keyset_position(query, scope)
    rows = workouts_service.list_sets(
        db, athlete, before=before, limit=query["page_size"] + 1, **filters
    )
    page = fetched_page(
        rows,
        page_size=query["page_size"],
        scope=scope,
        codec=codec(),
        sort_key=lambda s: [s.performed_at.isoformat(), s.id.hex],
    )
    items = SessionSchema().dump(page.items, many=True)
    return list_response(page, items, f"/v1/athletes/{athlete.id}/sessions", query)


@blp.route("/<uuid:athlete_id>/sessions/<uuid:session_id>")
@blp.response(
    200,
    SessionSchema,
    example=SESSION_EXAMPLE,
    description="The session.",
    headers={**DEPRECATION_HEADERS, **SUCCESSOR_LINK},
)
@blp.doc(**DEPRECATED)
@blp.problems(401, 404, 410, 422)
def get_session_of_athlete(athlete_id: uuid.UUID, session_id: uuid.UUID) -> WorkoutSet:
    """Get a session (deprecated)

    Deprecated: `GET /v1/athletes/{athlete_id}/workouts/{workout_id}`. One ladder set of
    the athlete, as a session (a session logged before workouts existed keeps its id).
    """
    db = get_session()
    return workouts_service.get_set(db, owned_athlete(db, athlete_id), session_id)
