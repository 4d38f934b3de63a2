"""/v1/athletes: athletes, their sessions, progress and recommendation (API key required)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response, current_app, request
from sqlalchemy.orm import Session

from app.api.athletes.examples import (
    ATHLETE_EXAMPLE,
    PROGRESS_EXAMPLE,
    RECOMMENDATION_EXAMPLE,
    SESSION_EXAMPLE,
    SESSION_REQUEST_EXAMPLE,
)
from app.api.athletes.schemas import (
    AthleteCreateSchema,
    AthleteListSchema,
    AthleteQuerySchema,
    AthleteSchema,
    AthleteUpdateSchema,
    ProgressSchema,
    RecommendationSchema,
    SessionCreateSchema,
    SessionListSchema,
    SessionQuerySchema,
    SessionSchema,
)
from app.api.auth import current_client_app, require_client_app
from app.api.catalog_view import current_catalog
from app.api.idempotent import IDEMPOTENCY_KEY_PARAMETER, create_once
from app.api.pagination import CursorCodec, fetched_page, query_scope
from app.api.positions import position_from
from app.api.progressions.routes import evaluation_body, prescription_body
from app.api.representations import JSON_MEDIA_TYPE, dumps
from app.api.smorest import Blueprint
from app.db import get_session
from app.domain.engine import Decision
from app.domain.history import first_steps, recommend
from app.models import Athlete, TrainingSession
from app.services import athletes as athletes_service
from app.services import training
from app.services.errors import Invalid, PreconditionFailed, PreconditionRequired

blp = Blueprint(
    "athletes",
    __name__,
    url_prefix="/v1/athletes",
    description="A client app's athletes and their logged sessions. Needs "
    "`Authorization: Bearer <key>`; each key sees only its own client app's athletes.",
)
blp.before_request(require_client_app)

SECURED = {"security": [{"bearerAuth": []}]}
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# RFC 9110: "*" or a list of entity-tags, each optionally weak: the same check in the
# spec (ECMA-262) and in Python.
ENTITY_TAGS = r'^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$'


def if_match(required: bool) -> dict[str, Any]:
    return {
        "name": "If-Match",
        "in": "header",
        "required": required,
        "description": "The athlete's current ETag"
        + (". Without it: 428; " if required else ", optional; ")
        + "with a stale one: 412 and nothing changes.",
        "schema": {"type": "string", "pattern": ENTITY_TAGS},
    }


def etag_of(athlete: Athlete) -> str:
    return f'"{athlete.id.hex[:12]}-{athlete.version}"'


def athlete_response(athlete: Athlete, status: int = 200) -> Response:
    body = dumps(AthleteSchema().dump(athlete))
    headers = {"ETag": etag_of(athlete), "Cache-Control": "private, no-cache"}
    return Response(body, status=status, headers=headers, mimetype=JSON_MEDIA_TYPE)


def codec() -> CursorCodec:
    cursors: CursorCodec = current_app.extensions["cursor_codec"]
    return cursors


def keyset_position(query: dict[str, Any], scope: str) -> tuple[datetime, uuid.UUID] | None:
    """The (timestamp, id) a cursor names; the lists sort by exactly that pair."""
    if "cursor" not in query:
        return None
    stamp, row_id = codec().decode(query["cursor"], scope)
    return datetime.fromisoformat(stamp), uuid.UUID(row_id)


def owned_athlete(db: Session, athlete_id: uuid.UUID, lock: str | None = None) -> Athlete:
    return athletes_service.get_athlete(db, current_client_app(), athlete_id, lock=lock)


@blp.route("", methods=["POST"])
@blp.arguments(AthleteCreateSchema, example={"external_id": "user-8812", "display_name": "Sam"})
@blp.response(
    201,
    AthleteSchema,
    example=ATHLETE_EXAMPLE,
    description="Created; `Location` names it, `ETag` versions it.",
)
@blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER], **SECURED)
@blp.problems(401, 409, 415, 422)
def create_athlete(body: dict[str, Any]) -> Response:
    """Create an athlete

    `external_id` (the client app's own id) is required and unique within the
    client app: a duplicate is a 409. Server-owned fields (`id`, `created_at`,
    ...) in the body are a 422. Send an `Idempotency-Key` to retry safely.
    """
    client_app_id = current_client_app()

    def write(db: Session) -> tuple[dict[str, Any], dict[str, str]]:
        athlete = athletes_service.create_athlete(
            db, client_app_id, body["external_id"], body.get("display_name")
        )
        headers = {"Location": f"/v1/athletes/{athlete.id}", "ETag": etag_of(athlete)}
        return AthleteSchema().dump(athlete), headers

    return create_once(client_app_id, write)


@blp.route("")
@blp.arguments(AthleteQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    AthleteListSchema,
    example={"items": [ATHLETE_EXAMPLE], "next_cursor": None},
    description="One page of athletes, oldest first.",
)
@blp.doc(**SECURED)
@blp.problems(401, 422)
def list_athletes(**query: Any) -> Response:
    """List athletes

    This client app's athletes, oldest first (by `created_at`, then `id`),
    cursor-paginated; `external_id` finds one athlete by the app's own id.
    """
    client_app_id = current_client_app()
    filters = {"external_id": query.get("external_id"), "client_app": client_app_id}
    scope = query_scope("/v1/athletes", filters)
    after = keyset_position(query, scope)
    rows = athletes_service.list_athletes(
        get_session(),
        client_app_id,
        after=after,
        limit=query["page_size"] + 1,
        external_id=query.get("external_id"),
    )
    page = fetched_page(
        rows,
        page_size=query["page_size"],
        scope=scope,
        codec=codec(),
        sort_key=lambda a: [a.created_at.isoformat(), a.id.hex],
    )
    return list_response(page, AthleteSchema(), "/v1/athletes", query)


def list_response(page: Any, schema: Any, path: str, query: dict[str, Any]) -> Response:
    body = dumps({"items": schema.dump(page.items, many=True), "next_cursor": page.next_cursor})
    response = Response(body, mimetype=JSON_MEDIA_TYPE, headers={"Cache-Control": "no-store"})
    params = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in query.items()}
    link = page.link_header(path, params)
    if link:
        response.headers["Link"] = link
    return response


@blp.route("/<uuid:athlete_id>")
@blp.response(
    200,
    AthleteSchema,
    example=ATHLETE_EXAMPLE,
    description="The athlete; `ETag` is its current version.",
)
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def get_athlete(athlete_id: uuid.UUID) -> Response:
    """Get an athlete

    Another client app's athlete is a 404, exactly like one that does not exist.
    """
    athlete = owned_athlete(get_session(), athlete_id)
    if request.if_none_match.contains_weak(etag_of(athlete).strip('"')):
        return Response(status=304, headers={"ETag": etag_of(athlete)})
    return athlete_response(athlete)


@blp.route("/<uuid:athlete_id>", methods=["PATCH"])
@blp.arguments(AthleteUpdateSchema, example={"display_name": "Samantha"})
@blp.response(
    200,
    AthleteSchema,
    example={**ATHLETE_EXAMPLE, "display_name": "Samantha"},
    description="Updated; the new `ETag`.",
)
@blp.doc(parameters=[if_match(required=True)], **SECURED)
@blp.problems(401, 404, 409, 412, 415, 422, 428)
def update_athlete(body: dict[str, Any], athlete_id: uuid.UUID) -> Response:
    """Update an athlete

    Needs `If-Match` with the athlete's current ETag: without it a 428, with a
    stale one a 412 and nothing changes. The update is applied exactly once.
    """
    db = get_session()
    athlete = owned_athlete(db, athlete_id, lock="update")
    version = matched_version(athlete)
    athletes_service.update_athlete(db, athlete, version, body)
    db.commit()
    return athlete_response(athlete)


def matched_version(athlete: Athlete) -> int:
    header = request.headers.get("If-Match")
    if header is not None and not re.fullmatch(ENTITY_TAGS, header):
        raise Invalid(
            'If-Match must be "*" or quoted ETags, e.g. "6f1c2a9e3b7d-2".', field="If-Match"
        )
    if not header:
        raise PreconditionRequired(
            "Send `If-Match` with the athlete's current ETag (from GET), so concurrent "
            "updates cannot overwrite each other."
        )
    if not (request.if_match.star_tag or etag_of(athlete).strip('"') in request.if_match):
        raise PreconditionFailed(
            "The athlete changed since that ETag: GET it again and retry with the new ETag."
        )
    return athlete.version


@blp.route("/<uuid:athlete_id>", methods=["DELETE"])
@blp.response(204, description="Deleted, with every session of theirs.")
@blp.doc(parameters=[if_match(required=False)], **SECURED)
@blp.problems(401, 404, 412, 422)
def delete_athlete(athlete_id: uuid.UUID) -> Response:
    """Delete an athlete

    Removes the athlete and all their sessions. An `If-Match` is optional; a
    stale one is a 412.
    """
    db = get_session()
    athlete = owned_athlete(db, athlete_id, lock="update")
    if request.headers.get("If-Match"):
        matched_version(athlete)
    athletes_service.delete_athlete(db, athlete)
    db.commit()
    return Response(status=204)


@blp.route("/<uuid:athlete_id>/sessions", methods=["POST"])
@blp.arguments(SessionCreateSchema, example=SESSION_REQUEST_EXAMPLE)
@blp.response(
    201, SessionSchema, example=SESSION_EXAMPLE, description="Logged; `Location` names the session."
)
@blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER], **SECURED)
@blp.problems(401, 404, 409, 415, 422)
def log_session(body: dict[str, Any], athlete_id: uuid.UUID) -> Response:
    """Log a session

    One set, as `POST /v1/progressions/evaluate` takes it, plus `performed_at`
    (RFC 3339 with an offset; not in the future, not before 2000). Send an
    `Idempotency-Key` to retry safely: a replay stores nothing.
    """
    client_app_id = current_client_app()
    check_performed_at(body["performed_at"])
    ladder = current_catalog().ladder

    def write(db: Session) -> tuple[dict[str, Any], dict[str, str]]:
        athlete = owned_athlete(db, athlete_id, lock="share")  # a DELETE waits for this
        row = training.log_session(
            db,
            athlete,
            position_from(body, ladder),
            body["exercise"],
            body["performed_at"],
            body["reps"],
        )
        location = f"/v1/athletes/{athlete.id}/sessions/{row.id}"
        return SessionSchema().dump(row), {"Location": location}

    return create_once(client_app_id, write)


def check_performed_at(performed_at: datetime) -> None:
    if performed_at > datetime.now(UTC) + CLOCK_SKEW:
        raise Invalid("performed_at is in the future.", field="performed_at")
    if performed_at < EARLIEST:
        raise Invalid(
            "performed_at is before 2000: not a session this API can log.", field="performed_at"
        )


@blp.route("/<uuid:athlete_id>/sessions")
@blp.arguments(SessionQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    SessionListSchema,
    example={"items": [SESSION_EXAMPLE], "next_cursor": None},
    description="One page of sessions, newest first.",
)
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def list_sessions(athlete_id: uuid.UUID, **query: Any) -> Response:
    """List an athlete's sessions

    Newest first (by `performed_at`, then `id`), cursor-paginated; filter by
    `exercise` and by `performed_after` (inclusive) / `performed_before`.
    """
    db = get_session()
    athlete = owned_athlete(db, athlete_id)
    filters = {k: query.get(k) for k in ("exercise", "performed_after", "performed_before")}
    scope = query_scope(
        f"/v1/athletes/{athlete.id}/sessions",
        {k: str(v) for k, v in filters.items() if v is not None},
    )
    before = keyset_position(query, scope)
    rows = training.list_sessions(
        db, athlete, before=before, limit=query["page_size"] + 1, **filters
    )
    page = fetched_page(
        rows,
        page_size=query["page_size"],
        scope=scope,
        codec=codec(),
        sort_key=lambda s: [s.performed_at.isoformat(), s.id.hex],
    )
    return list_response(page, SessionSchema(), f"/v1/athletes/{athlete.id}/sessions", query)


@blp.route("/<uuid:athlete_id>/sessions/<uuid:session_id>")
@blp.response(200, SessionSchema, example=SESSION_EXAMPLE, description="The session.")
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def get_session_of_athlete(athlete_id: uuid.UUID, session_id: uuid.UUID) -> TrainingSession:
    """Get a session

    One logged session of the athlete.
    """
    db = get_session()
    return training.get_session_row(db, owned_athlete(db, athlete_id), session_id)


@blp.route("/<uuid:athlete_id>/progress")
@blp.response(200, ProgressSchema, example=PROGRESS_EXAMPLE, description="Per exercise, by level.")
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def get_progress(athlete_id: uuid.UUID) -> dict[str, Any]:
    """Get an athlete's progress

    Per exercise: how many sessions, the longest counting hold, when last
    done and the position (band, add-on) of the latest session. Read from a
    summary kept by each logged session: its cost does not grow with history.
    """
    ladder = current_catalog().ladder
    rows = sorted(
        training.progress(get_session(), current_client_app(), athlete_id),
        key=lambda p: ladder.level_of(p.exercise) or 0,
    )
    return {
        "athlete_id": athlete_id,
        "exercises": [
            {
                "exercise": row.exercise,
                "level": ladder.level_of(row.exercise),
                "sessions": row.sessions,
                "best_hold_seconds": row.best_hold_seconds,
                "last_performed_at": row.last_performed_at,
                "current_position": {
                    "band_tension": row.band_tension,
                    "shoulder_flexion": row.shoulder_flexion,
                },
            }
            for row in rows
        ],
    }


@blp.route("/<uuid:athlete_id>/recommendation")
@blp.response(
    200,
    RecommendationSchema,
    example=RECOMMENDATION_EXAMPLE,
    description="What to do next, from the history.",
)
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def get_recommendation(athlete_id: uuid.UUID) -> dict[str, Any]:
    """Get a recommendation

    The evaluate answer computed from the athlete's history (rule `history`):
    stepping up needs the last two sessions at the same exercise and position
    mastered; one session that falls short steps down. The latest session sets
    the position judged; sessions at other positions in between (a recovery
    day) do not break the series; ties in `performed_at` go to the later
    logged. With no session yet: start at level 1, 3 reps x 2 s (`verdict`
    null). Two LIMIT 1 index seeks: the cost does not grow with history.
    """
    ladder = current_catalog().ladder
    history = training.latest_history(get_session(), current_client_app(), athlete_id, ladder)
    evaluation = recommend(*history)
    if evaluation is None:
        return no_history_answer(ladder)
    return evaluation_body(evaluation, ladder)


def no_history_answer(ladder: Any) -> dict[str, Any]:
    start = first_steps()
    return {
        "decision": Decision.STAY,
        "verdict": None,
        "next": prescription_body(start, ladder),
        "reasons": [
            {
                "rule": "history",
                "message": "No session logged yet: start at level 1, "
                f"{start.reps} reps x {start.hold_seconds} s.",
            }
        ],
    }
