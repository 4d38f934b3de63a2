"""/v1/changes: what changed in a client app's athletes and workouts (API key required)."""

from __future__ import annotations

from typing import Any

from flask import Response

from app.api.changes.schemas import ChangeFeedSchema, ChangeQuerySchema, ChangeSchema
from app.api.shared.athlete_scope import SECURED
from app.models import Change
from app.services import changes as changes_service
from app.services.changes import ChangeType
from app.web.auth import current_client_app
from app.web.conditional import JSON_MEDIA_TYPE, dumps
from app.web.database import get_session
from app.web.pagination import codec, query_scope
from app.web.smorest import LISTED, Blueprint

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/v1/changes",
    description="The change feed: every change to a client app's athletes and workouts, "
    "deletions included, in commit order. Needs `Authorization: Bearer <key>`.",
)

FEED = "/v1/changes"
EXAMPLE = {
    "items": [
        {
            "seq": 41,
            "type": "workout.created",
            "athlete_id": "9b2f7c1e-4d5a-4e8b-9c3d-2a1b0c9d8e7f",
            "workout_id": "3f6d2a8b-1c4e-4f7a-8b9c-0d1e2f3a4b5c",
            "occurred_at": "2026-12-03T08:30:02.114000+00:00",
            "tombstone": False,
            "url": "/v1/athletes/9b2f7c1e-4d5a-4e8b-9c3d-2a1b0c9d8e7f/workouts/"
            "3f6d2a8b-1c4e-4f7a-8b9c-0d1e2f3a4b5c",
        },
        {
            "seq": 42,
            "type": "athlete.deleted",
            "athlete_id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "workout_id": None,
            "occurred_at": "2026-12-03T08:31:47.502000+00:00",
            "tombstone": True,
            "url": None,
        },
    ],
    "next_cursor": "eyJhIjpbNDJdLCJxIjoiNWM4ZTBhMWIyYzNkNGU1ZiJ9.Zm9vYmFy",
    "has_more": False,
}


def url_of(change: Change) -> str | None:
    if change.type.endswith(".deleted"):
        return None
    athlete = f"/v1/athletes/{change.athlete_id}"
    return f"{athlete}/workouts/{change.workout_id}" if change.workout_id else athlete


def change_body(change: Change) -> dict[str, Any]:
    return {
        "seq": change.seq,
        "type": ChangeType(change.type),
        "athlete_id": change.athlete_id,
        "workout_id": change.workout_id,
        "occurred_at": change.occurred_at,
        "tombstone": change.type.endswith(".deleted"),
        "url": url_of(change),
    }


@blp.route("")
@blp.arguments(ChangeQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    ChangeFeedSchema,
    example=EXAMPLE,
    description="The next changes after the cursor, oldest first.",
    headers=LISTED,
)
@blp.doc(**SECURED)
@blp.problems(401, 422)
def list_changes(**query: Any) -> Response:
    """List changes

    Every write to this client app's athletes and workouts, as `athlete.created`,
    `athlete.updated`, `athlete.deleted`, `workout.created`, `workout.updated` and
    `workout.deleted`, in the order the writes committed. Each change is written in the
    same transaction as the write itself, so the feed never misses a committed change and
    never shows one that did not commit. `seq` counts 1, 2, 3... per client app with no
    gap. Without a cursor the feed starts at the beginning; `next_cursor` is always
    given, so keep the last one and ask again later to get only what is new (an empty
    page keeps your place). Deletions are tombstones (`tombstone: true`, `url` null); an
    athlete's deletion covers its workouts. A sandbox key reads the sandbox's feed.
    """
    client_app_id = current_client_app()
    scope = query_scope(FEED, {"client_app": client_app_id})
    after = codec().decode(query["cursor"], scope)[0] if "cursor" in query else 0
    page_size = query["page_size"]
    rows = changes_service.list_changes(
        get_session(), client_app_id, after=after, limit=page_size + 1
    )
    items = list(rows[:page_size])
    last = items[-1].seq if items else after
    next_cursor = codec().encode([last], scope)
    has_more = len(rows) > page_size
    body = {
        "items": ChangeSchema().dump([change_body(c) for c in items], many=True),
        "next_cursor": next_cursor,
        "has_more": has_more,
    }
    response = Response(
        dumps(body), mimetype=JSON_MEDIA_TYPE, headers={"Cache-Control": "no-store"}
    )
    if has_more:
        response.headers["Link"] = (
            f'<{FEED}?cursor={next_cursor}&page_size={page_size}>; rel="next"'
        )
    return response
