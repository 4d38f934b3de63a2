"""Browser-facing safety: nosniff everywhere, CORS for /v1/* without credentials."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
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
ALLOWED_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS"
PREFLIGHT_MAX_AGE = "600"
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
    if "HTTP_TRANSFER_ENCODING" in request.environ and request.content_length is None:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        if len(request.get_data(cache=True)) >= limit:
            raise RequestEntityTooLarge()


def _cors(response: Response) -> Response:
    """Any site may call /v1 from a browser; keys travel in a header, never in cookies.

    A fixed policy (any origin, no credentials) is a few constant headers, so they are
    set here rather than by a general-purpose CORS extension matching rules per request.
    """
    if not request.path.startswith("/v1/"):
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        headers["Access-Control-Allow-Headers"] = ", ".join(ALLOWED_HEADERS)
        headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    else:
        headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED_HEADERS)
    return response


def init_app(app: Flask) -> None:
    app.before_request(refuse_oversized_chunked_bodies)
    app.after_request(_nosniff)
    app.after_request(_cors)
