"""The request pipeline: every hook the app runs around a view, in order, in one place.

Flask runs `before_request` hooks in the order they are registered and `after_request`
hooks in the reverse order; `install` registers these lists so that each runs in the order
written here. A before hook that raises ends the request: its problem goes through the
after hooks like any answer. A resource's own hooks (the deprecated sessions' Sunset and
Deprecation headers) stay with its blueprint, and run inside these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, Response, request

from app.web import auth, cors, framing, metrics, observability, query
from app.web.ratelimit import RateLimiter

Before = Callable[[], None]
After = Callable[[Response], Response]


def before_view(limiter: RateLimiter, keyed_prefixes: Sequence[str]) -> Sequence[Before]:
    """What runs before the view, in this order."""

    def authenticate_keyed_routes() -> None:
        rule = request.url_rule
        if rule is not None and under(rule.rule, keyed_prefixes):
            auth.require_client_app()

    return (
        # First: every later hook, problem and log line has the request id and the clock.
        observability.assign_request_id,
        # The request must be well framed before anything reads its parts.
        framing.require_host,
        framing.refuse_repeated_fields,
        framing.require_utf8_query,
        framing.read_the_body,
        # Counted before the checks of what a request asks (its key, its query), so a
        # flood of such bad requests is limited too; one that is not well framed is
        # refused above, uncounted.
        limiter.before_request,
        # A leaked key is said before what else is wrong with the request.
        auth.refuse_keys_outside_the_authorization_header,
        query.reject_unknown_query_parameters,
        # Last: only a well-formed request to a keyed route costs a key lookup.
        authenticate_keyed_routes,
    )


def after_view(limiter: RateLimiter, access_log: observability.AccessLog) -> Sequence[After]:
    """What runs on every answer (a view's, or a problem's), in this order."""
    return (
        bodiless,
        # A 401 counts against the address's failed-authentication budget; rate headers.
        limiter.after_request,
        cors.browser_headers,
        metrics.record,
        # Last: the access line sees the final status.
        lambda response: observability.finish(response, access_log),
    )


def under(path: str, prefixes: Sequence[str]) -> bool:
    """`path` is one of `prefixes` or below it (`/v1/athletes/...`, not
    `/v1/athletes-export`)."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes)


def bodiless(response: Response) -> Response:
    """No media type on an answer without a body (Flask labels every one text/html).

    Flask's automatic OPTIONS answer, an empty 200, becomes a 204 too.
    """
    if request.method == "OPTIONS" and response.status_code == 200 and not response.data:
        response.status_code = 204
    if response.status_code in (204, 304):
        del response.headers["Content-Type"]
    return response


def install(app: Flask, before: Sequence[Before], after: Sequence[After]) -> None:
    for step in before:
        app.before_request(step)
    for finishing in reversed(after):  # Flask runs after_request hooks last registered first
        app.after_request(finishing)
