"""Browser-facing safety: nosniff everywhere, CORS for /v1/* without credentials."""

from __future__ import annotations

from flask import Flask, Response
from flask_cors import CORS

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


def init_app(app: Flask) -> None:
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
