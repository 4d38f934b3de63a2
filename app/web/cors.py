"""Browser-facing safety: nosniff on every answer, CORS for /v1/* without credentials."""

from __future__ import annotations

from flask import Response, request

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
    # An offline app compares it with the catalog it holds; a deprecated route says so.
    "Catalog-Version",
    "Deprecation",
    "Sunset",
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


NOSNIFF = [("X-Content-Type-Options", "nosniff")]
# Any site may call /v1 from a browser; keys travel in a header, never in cookies. A fixed
# policy (any origin, no credentials) is constant headers, added here rather than by a
# general-purpose CORS extension matching rules per request.
V1_ANSWER = [
    *NOSNIFF,
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", ", ".join(EXPOSED_HEADERS)),
]
V1_PREFLIGHT = [
    *NOSNIFF,
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", ALLOWED_METHODS),
    ("Access-Control-Allow-Headers", ", ".join(ALLOWED_HEADERS)),
    ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE),
]


def browser_headers(response: Response) -> Response:
    """nosniff on every answer; the CORS headers on /v1 answers."""
    environ = request.environ
    if not environ["PATH_INFO"].startswith("/v1/"):
        added = NOSNIFF
    elif environ["REQUEST_METHOD"] == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ:
        added = V1_PREFLIGHT
    else:
        added = V1_ANSWER
    response.headers.extend(added)
    return response
