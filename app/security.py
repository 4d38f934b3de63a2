"""Browser-facing safety: nosniff everywhere, CORS for /v1/* without credentials."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_cors import CORS
from werkzeug.exceptions import RequestEntityTooLarge

EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "X-Request-ID",
    "Idempotent-Replayed",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]
ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
]


def _nosniff(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def refuse_oversized_chunked_bodies() -> None:
    """A chunked body has no length to check up front; werkzeug stops reading at the limit."""
    if request.content_length is None and request.headers.get("Transfer-Encoding"):
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        if len(request.get_data(cache=True)) >= limit:
            raise RequestEntityTooLarge()


def init_app(app: Flask) -> None:
    app.before_request(refuse_oversized_chunked_bodies)
    app.after_request(_nosniff)
    # Any site may call the API from a browser; keys travel in a header, never in cookies.
    CORS(
        app,
        resources={r"/v1/*": {"origins": "*"}},
        supports_credentials=False,
        send_wildcard=True,
        expose_headers=EXPOSED_HEADERS,
        allow_headers=ALLOWED_HEADERS,
        max_age=600,
    )
