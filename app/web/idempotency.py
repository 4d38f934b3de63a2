"""Creating resources with an optional Idempotency-Key, in one transaction with the write."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Response, request
from sqlalchemy.orm import Session

from app.services.idempotency import Reply, fingerprint, run_once
from app.web.conditional import JSON_MEDIA_TYPE
from app.web.database import get_session
from app.web.problems import validation_problem

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
    key = request.headers.get("Idempotency-Key")
    if key is not None and not KEY_PATTERN.fullmatch(key):
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

    def created(db: Session) -> Reply:
        body, headers = write(db)
        return Reply(201, json.dumps(body, ensure_ascii=False), headers)

    # The route and its parsed arguments, so /v1/athletes/ABC... and /abc... are one request.
    target = (
        f"{request.endpoint}:{sorted((k, str(v)) for k, v in (request.view_args or {}).items())}"
    )
    request_fingerprint = (
        fingerprint(request.method, target, request.get_json(silent=True)) if key else ""
    )
    outcome = run_once(get_session(), client_app_id, key, request_fingerprint, created)
    response = Response(outcome.reply.text, status=outcome.reply.code, mimetype=JSON_MEDIA_TYPE)
    response.headers.update(outcome.reply.meta)
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
