"""Conditional requests: ETags of precomputed bodies and of versioned rows, If-None-Match
(a 304) and If-Match (the versions a write may change)."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Response, request

from app.services.versions import ANY_VERSION, Expected
from app.web.problems import field_problem

JSON_MEDIA_TYPE = "application/json"


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Representation:
    """A response body and its validator, computed once and served many times."""

    body: bytes
    etag: str
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str = JSON_MEDIA_TYPE

    @classmethod
    def of(cls, payload: Any, headers: Mapping[str, str] | None = None) -> Representation:
        return cls.of_bytes(dumps(payload), JSON_MEDIA_TYPE, headers)

    @classmethod
    def of_bytes(
        cls, body: bytes, media_type: str, headers: Mapping[str, str] | None = None
    ) -> Representation:
        # Strong: the tag changes with any byte of the body (RFC 9110 8.8.1).
        return cls(body, hashlib.sha256(body).hexdigest()[:32], dict(headers or {}), media_type)


def conditional_response(
    rep: Representation, cache_control: str, selected: Mapping[str, str] | None = None
) -> Response:
    """200 with the body, or 304 when the client already holds this version.

    If-None-Match uses the weak comparison (RFC 9110 13.1.2), and a 304 carries
    the same ETag and Cache-Control as the 200 would, and the `selected` headers
    (Vary: what the representation was chosen by, RFC 9110 15.4.5; werkzeug drops
    Content-Language from a 304).
    """
    headers = {"ETag": f'"{rep.etag}"', "Cache-Control": cache_control, **(selected or {})}
    if request.if_none_match.contains_weak(rep.etag):
        return Response(status=304, headers=headers)
    headers.update(rep.headers)
    return Response(rep.body, status=200, headers=headers, mimetype=rep.media_type)


# RFC 9110: "*" or a list of entity-tags, each optionally weak: the same check in the
# spec (ECMA-262) and in Python.
ENTITY_TAGS = r'^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$'


class Versioned(Protocol):
    id: uuid.UUID
    version: int


def etag_of(row: Versioned) -> str:
    return f'"{_tag(row.id, row.version)}"'


def _tag(row_id: uuid.UUID, version: int) -> str:
    return f"{row_id.hex[:12]}-{version}"


def if_match(required: bool, what: str = "athlete") -> dict[str, Any]:
    """The If-Match parameter, as the spec documents it."""
    return {
        "name": "If-Match",
        "in": "header",
        "required": required,
        "description": f"The {what}'s current ETag"
        + (". Without it: 428; " if required else ", optional; ")
        + "with a stale one: 412 and nothing changes.",
        "schema": {"type": "string", "pattern": ENTITY_TAGS},
    }


def expected_versions(row_id: uuid.UUID) -> Expected | None:
    """The versions of row `row_id` the request's If-Match names; None without one."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    if not re.fullmatch(ENTITY_TAGS, header):
        raise field_problem(
            "header", "If-Match", 'If-Match must be "*" or quoted ETags, e.g. "6f1c2a9e3b7d-2".'
        )
    if request.if_match.star_tag:
        return ANY_VERSION
    prefix = f"{row_id.hex[:12]}-"
    return Expected(
        frozenset(
            int(tag[len(prefix) :])
            for tag in request.if_match.as_set()
            if tag and tag.startswith(prefix) and re.fullmatch("[0-9]{1,18}", tag[len(prefix) :])
        )
    )


def not_modified(row: Versioned) -> Response | None:
    """A 304 when If-None-Match already names this version."""
    if request.if_none_match.contains_weak(_tag(row.id, row.version)):
        return Response(status=304, headers=validators(row))
    return None


def validators(row: Versioned) -> dict[str, str]:
    """What a 200 and a 304 of a versioned resource both carry (RFC 9110 15.4.5)."""
    return {"ETag": etag_of(row), "Cache-Control": "private, no-cache"}


def versioned_response(body: dict[str, Any], row: Versioned, status: int = 200) -> Response:
    return Response(dumps(body), status=status, headers=validators(row), mimetype=JSON_MEDIA_TYPE)
