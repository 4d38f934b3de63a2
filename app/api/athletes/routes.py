"""/v1/athletes: a client app's athletes (API key required)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from sqlalchemy.orm import Session

from app.api.athletes.examples import ATHLETE_EXAMPLE
from app.api.athletes.schemas import (
    AthleteCreateSchema,
    AthleteListSchema,
    AthleteQuerySchema,
    AthleteSchema,
    AthleteUpdateSchema,
)
from app.api.shared.athlete_scope import SECURED, owned_athlete
from app.models import Athlete
from app.services import athletes as athletes_service
from app.web.auth import current_client_app
from app.web.conditional import (
    etag_of,
    expected_versions,
    if_match,
    not_modified,
    versioned_response,
)
from app.web.database import get_session
from app.web.idempotency import IDEMPOTENCY_KEY_PARAMETER, create_once
from app.web.pagination import codec, fetched_page, keyset_position, list_response, query_scope
from app.web.smorest import CREATED, IF_NONE_MATCH, LISTED, VERSIONED, Blueprint

blp = Blueprint(
    "athletes",
    __name__,
    url_prefix="/v1/athletes",
    description="A client app's athletes. Needs "
    "`Authorization: Bearer <key>`; each key sees only its own client app's athletes.",
)


def athlete_response(athlete: Athlete, status: int = 200) -> Response:
    return versioned_response(AthleteSchema().dump(athlete), athlete, status)


@blp.route("", methods=["POST"])
@blp.arguments(AthleteCreateSchema, example={"external_id": "user-8812", "display_name": "Sam"})
@blp.response(
    201,
    AthleteSchema,
    example=ATHLETE_EXAMPLE,
    description="Created; `Location` names it, `ETag` versions it.",
    headers=CREATED,
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
    headers=LISTED,
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
    items = AthleteSchema().dump(page.items, many=True)
    return list_response(page, items, "/v1/athletes", query)


@blp.route("/<uuid:athlete_id>")
@blp.response(
    200,
    AthleteSchema,
    example=ATHLETE_EXAMPLE,
    description="The athlete; `ETag` is its current version.",
    headers=VERSIONED,
)
@blp.alt_response(304, response="NOT_MODIFIED")
@blp.doc(parameters=[{**IF_NONE_MATCH, "in": "header"}], **SECURED)
@blp.problems(401, 404, 422)
def get_athlete(athlete_id: uuid.UUID) -> Response:
    """Get an athlete

    Another client app's athlete is a 404, exactly like one that does not exist.
    """
    athlete = owned_athlete(get_session(), athlete_id)
    return not_modified(athlete) or athlete_response(athlete)


@blp.route("/<uuid:athlete_id>", methods=["PATCH"])
@blp.arguments(AthleteUpdateSchema, example={"display_name": "Samantha"})
@blp.response(
    200,
    AthleteSchema,
    example={**ATHLETE_EXAMPLE, "display_name": "Samantha"},
    description="Updated; the new `ETag`.",
    headers=VERSIONED,
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
    athletes_service.update_athlete(db, athlete, expected_versions(athlete.id), body)
    return athlete_response(athlete)


@blp.route("/<uuid:athlete_id>", methods=["DELETE"])
@blp.response(204, description="Deleted, with every workout of theirs.")
@blp.doc(parameters=[if_match(required=False)], **SECURED)
@blp.problems(401, 404, 412, 422)
def delete_athlete(athlete_id: uuid.UUID) -> Response:
    """Delete an athlete

    Removes the athlete and all their workouts. An `If-Match` is optional; a
    stale one is a 412.
    """
    db = get_session()
    athlete = owned_athlete(db, athlete_id, lock="update")
    athletes_service.delete_athlete(db, athlete, expected_versions(athlete.id))
    return Response(status=204)
