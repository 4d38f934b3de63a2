"""What every route under /v1/athletes shares: the owned athlete, versions, lists, times."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from flask import Response, current_app, request
from sqlalchemy.orm import Session

from app.api.auth import current_client_app
from app.api.pagination import CursorCodec
from app.api.representations import JSON_MEDIA_TYPE, dumps
from app.models import Athlete
from app.services import athletes as athletes_service
from app.services.errors import Invalid, PreconditionFailed, PreconditionRequired

SECURED = {"security": [{"bearerAuth": []}]}
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# RFC 9110: "*" or a list of entity-tags, each optionally weak: the same check in the
# spec (ECMA-262) and in Python.
ENTITY_TAGS = r'^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$'


class Versioned(Protocol):
    id: uuid.UUID
    version: int


def if_match(required: bool, what: str = "athlete") -> dict[str, Any]:
    return {
        "name": "If-Match",
        "in": "header",
        "required": required,
        "description": f"The {what}'s current ETag"
        + (". Without it: 428; " if required else ", optional; ")
        + "with a stale one: 412 and nothing changes.",
        "schema": {"type": "string", "pattern": ENTITY_TAGS},
    }


def etag_of(row: Versioned) -> str:
    return f'"{row.id.hex[:12]}-{row.version}"'


def matched_version(row: Versioned, what: str = "athlete") -> int:
    """The version an If-Match names: 428 without one, 412 when it is not the current one."""
    header = request.headers.get("If-Match")
    if header is not None and not re.fullmatch(ENTITY_TAGS, header):
        raise Invalid(
            'If-Match must be "*" or quoted ETags, e.g. "6f1c2a9e3b7d-2".', field="If-Match"
        )
    if not header:
        raise PreconditionRequired(
            f"Send `If-Match` with the {what}'s current ETag (from GET), so concurrent "
            "updates cannot overwrite each other."
        )
    if not (request.if_match.star_tag or etag_of(row).strip('"') in request.if_match):
        raise PreconditionFailed(
            f"The {what} changed since that ETag: GET it again and retry with the new ETag."
        )
    return row.version


def not_modified(row: Versioned) -> Response | None:
    """A 304 when If-None-Match already names this version."""
    if request.if_none_match.contains_weak(etag_of(row).strip('"')):
        return Response(status=304, headers=validators(row))
    return None


def validators(row: Versioned) -> dict[str, str]:
    """What a 200 and a 304 of a versioned resource both carry (RFC 9110 15.4.5)."""
    return {"ETag": etag_of(row), "Cache-Control": "private, no-cache"}


def versioned_response(body: dict[str, Any], row: Versioned, status: int = 200) -> Response:
    return Response(dumps(body), status=status, headers=validators(row), mimetype=JSON_MEDIA_TYPE)


def codec() -> CursorCodec:
    cursors: CursorCodec = current_app.extensions["cursor_codec"]
    return cursors


def keyset_position(query: dict[str, Any], scope: str) -> tuple[datetime, uuid.UUID] | None:
    """The (timestamp, id) a cursor names; the lists sort by exactly that pair."""
    if "cursor" not in query:
        return None
    stamp, row_id = codec().decode(query["cursor"], scope)
    return datetime.fromisoformat(stamp), uuid.UUID(row_id)


def list_response(page: Any, items: list[Any], path: str, query: dict[str, Any]) -> Response:
    body = dumps({"items": items, "next_cursor": page.next_cursor})
    response = Response(body, mimetype=JSON_MEDIA_TYPE, headers={"Cache-Control": "no-store"})
    params = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in query.items()}
    link = page.link_header(path, params)
    if link:
        response.headers["Link"] = link
    return response


def owned_athlete(db: Session, athlete_id: uuid.UUID, lock: str | None = None) -> Athlete:
    return athletes_service.get_athlete(db, current_client_app(), athlete_id, lock=lock)


def now() -> datetime:
    """The app's clock: `app.extensions["clock"]` (the wall clock; a simulation sets its own)."""
    clock: Callable[[], datetime] = current_app.extensions["clock"]
    return clock()


def check_performed_at(performed_at: datetime, field: str = "performed_at") -> None:
    if performed_at > now() + CLOCK_SKEW:
        raise Invalid("performed_at is in the future.", field=field)
    if performed_at < EARLIEST:
        raise Invalid("performed_at is before 2000: not something this API can log.", field=field)
