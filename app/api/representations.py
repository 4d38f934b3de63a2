"""JSON bodies serialised once with their strong ETags, and conditional GET over them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Response, request

JSON_MEDIA_TYPE = "application/json"


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Representation:
    """A response body and its validator, computed once and served many times."""

    body: bytes
    etag: str
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, payload: Any, headers: Mapping[str, str] | None = None) -> Representation:
        body = dumps(payload)
        # Strong: the tag changes with any byte of the body (RFC 9110 8.8.1).
        return cls(body, hashlib.sha256(body).hexdigest()[:32], dict(headers or {}))


def conditional_response(rep: Representation, cache_control: str) -> Response:
    """200 with the body, or 304 when the client already holds this version.

    If-None-Match uses the weak comparison (RFC 9110 13.1.2), and a 304 carries
    the same ETag and Cache-Control as the 200 would.
    """
    headers = {"ETag": f'"{rep.etag}"', "Cache-Control": cache_control}
    if request.if_none_match.contains_weak(rep.etag):
        return Response(status=304, headers=headers)
    headers.update(rep.headers)
    return Response(rep.body, status=200, headers=headers, mimetype=JSON_MEDIA_TYPE)
