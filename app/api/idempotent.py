"""Creating resources with an optional Idempotency-Key, in one transaction with the write."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Response, request
from sqlalchemy.orm import Session

from app.api.problems import validation_problem
from app.db import get_session
from app.services.idempotency import StoredResponse, fingerprint, run_once

# Visible ASCII but the comma: a server joins a header sent twice with commas, and two keys
# are no key (RFC 9110 5.3).
KEY_PATTERN = re.compile(r"[\x21-\x2b\x2d-\x7e]{1,255}")
IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes the POST safe to retry: a replay with the same key and body returns "
    "the first answer (with `Idempotent-Replayed: true`) and stores nothing; the same key with "
    "another body is a 422; a replay while the first is running is a 409. Kept 24 hours. "
    "Visible ASCII without commas: a comma means the header was sent twice (a 422).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-+\\--~]+$"},
}

Write = Callable[[Session], tuple[dict[str, Any], dict[str, str]]]


def create_once(client_app_id: int, write: Write) -> Response:
    """201 with the body and headers `write` makes, at most once per Idempotency-Key."""
    session = get_session()

    def stored(db: Session) -> StoredResponse:
        body, headers = write(db)
        return StoredResponse(201, json.dumps(body, ensure_ascii=False), headers)

    key = request.headers.get("Idempotency-Key")
    if key is None:
        response = stored(session)
        session.commit()
        return _response(response, replayed=False)
    if not KEY_PATTERN.fullmatch(key):
        raise validation_problem(
            [
                {
                    "location": "header",
                    "field": "Idempotency-Key",
                    "message": "One key of 1-255 visible ASCII characters, no comma (a UUID "
                    "is a good choice); a comma means the header was sent twice.",
                }
            ]
        )
    # The route and its parsed arguments, so /v1/athletes/ABC... and /abc... are one request.
    target = (
        f"{request.endpoint}:{sorted((k, str(v)) for k, v in (request.view_args or {}).items())}"
    )
    request_fingerprint = fingerprint(request.method, target, request.get_json(silent=True))
    outcome = run_once(session, client_app_id, key, request_fingerprint, stored)
    return _response(outcome.response, replayed=outcome.replayed)


def _response(stored: StoredResponse, *, replayed: bool) -> Response:
    response = Response(stored.body, status=stored.status, mimetype="application/json")
    response.headers.update(stored.headers)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
