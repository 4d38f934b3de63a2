"""RFC 9457 problem+json: the one error shape, and the one handler that makes it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from app.domain.ladder import DomainError
from app.services import errors
from app.web.observability import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Problem types a client can branch on; plain HTTP errors use "about:blank" (RFC 9457 4.2.1).
VALIDATION_ERROR = "urn:psoas-api:problem:validation-error"
SERVICE_UNAVAILABLE = "urn:psoas-api:problem:service-unavailable"
INTERNAL_ERROR = "urn:psoas-api:problem:internal-error"

log = logging.getLogger(__name__)


class Problem(Exception):
    """An error the API answers on purpose, raised anywhere below a view."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str = "about:blank",
        title: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type_
        self.title = title or HTTPStatus(status).phrase
        self.errors = errors
        self.headers = dict(headers or {})


def validation_problem(errors: list[dict[str, str]], detail: str | None = None) -> Problem:
    """A 422 naming every offending field; `errors` items have location, field, message."""
    fields = ", ".join(sorted({f"{e['location']}.{e['field']}" for e in errors}))
    return Problem(
        422,
        detail or f"The request is not valid: see `errors` ({fields}).",
        type_=VALIDATION_ERROR,
        title="Validation failed",
        errors=errors,
    )


def problem_response(problem: Problem) -> Response:
    body: dict[str, Any] = {
        "type": problem.type,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
        "request_id": current_request_id(),
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    response = Response(
        json.dumps(body, ensure_ascii=False), status=problem.status, mimetype=PROBLEM_MEDIA_TYPE
    )
    response.headers.update(problem.headers)
    return response


def flatten_messages(
    messages: Any, location: str, path: tuple[str, ...] = ()
) -> Iterator[dict[str, str]]:
    """Turn marshmallow's nested {field: [messages]} into one entry per field and message."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            # marshmallow reports a wrong top-level type under "_schema"
            step = () if key == "_schema" else (str(key),)
            yield from flatten_messages(value, location, path + step)
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield {"location": location, "field": ".".join(path) or "(body)", "message": message}
    else:
        yield {"location": location, "field": ".".join(path) or "(body)", "message": str(messages)}


def _from_http_exception(error: HTTPException) -> Problem:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {key: value for key, value in error.get_headers() if key.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    if status == 422 and "messages" in data:
        errors = [
            entry
            for location, messages in data["messages"].items()
            for entry in flatten_messages(messages, _public_location(location))
        ]
        problem = validation_problem(errors)
        problem.headers.update(headers)
        return problem
    return Problem(status, _detail_for(error), headers=headers)


def _public_location(location: str) -> str:
    return {"json": "body", "querystring": "query"}.get(location, location)


def _detail_for(error: HTTPException) -> str:
    if error.code == 404:
        return f"Nothing is found at {request.path}."
    if error.code == 405:
        return f"{request.method} is not allowed on {request.path}; see the Allow header."
    if error.code == 429:
        return (
            f"Too many requests: the limit is {error.description}. Retry after the number "
            "of seconds in Retry-After."
        )
    if error.code == 413:
        return (
            f"The body is larger than the {current_app.config['MAX_CONTENT_LENGTH']} bytes allowed."
        )
    return error.description or HTTPStatus(error.code or 500).phrase


def handle_problem(problem: Problem) -> Response:
    return problem_response(problem)


def handle_http_exception(error: HTTPException) -> Response:
    return problem_response(_from_http_exception(error))


def handle_unexpected_error(error: Exception) -> Response:
    # The traceback goes to the log only; the client learns nothing about internals.
    route = request.url_rule.rule if request.url_rule else None
    log.exception("unhandled error on %s %s", request.method, route, exc_info=error)
    return problem_response(
        Problem(
            500,
            "The server failed to answer this request. It has been logged; try again later.",
            type_=INTERNAL_ERROR,
        )
    )


# The one table from the kinds of refusal below the web layer to HTTP statuses: the first
# kind an error is an instance of decides (subclasses come before their parents).
STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (errors.NotFound, 404),
    (errors.RetryInFlight, 409),
    (errors.Conflict, 409),
    (errors.Stale, 412),
    (errors.VersionRequired, 428),
    (errors.RetryMismatch, 422),
    (errors.Invalid, 422),
    (errors.Unavailable, 503),
    (DomainError, 422),
)
# How the web layer words the refusals that are about the protocol, not the domain.
RETRY_IN_FLIGHT = (
    "A request with this Idempotency-Key is still in flight; retry when it has finished."
)
RETRY_MISMATCH = (
    "This Idempotency-Key was used for another request; use a new key for a new request."
)


def status_of(error: Exception) -> int:
    return next(status for kind, status in STATUSES if isinstance(error, kind))


def problem_for(error: errors.ServiceError | DomainError) -> Problem:
    """The problem a service's or the domain's refusal is answered with."""
    status = status_of(error)
    if isinstance(error, DomainError):
        return field_problem("body", error.field, error.message)
    if isinstance(error, errors.Stale):
        return Problem(
            status,
            f"The {error.subject} changed since that ETag: GET it again and retry with the "
            "new ETag.",
        )
    if isinstance(error, errors.VersionRequired):
        return Problem(
            status,
            f"Send `If-Match` with the {error.subject}'s current ETag (from GET), so "
            "concurrent updates cannot overwrite each other.",
        )
    if isinstance(error, errors.RetryInFlight):
        return Problem(status, RETRY_IN_FLIGHT)
    if isinstance(error, errors.RetryMismatch):
        return field_problem("header", "Idempotency-Key", RETRY_MISMATCH)
    if isinstance(error, errors.Unavailable):
        return unavailable(error.message)
    if status == 422:
        return field_problem("body", ",".join(error.fields) or "(body)", error.message)
    return Problem(status, error.message)


def field_problem(location: str, field: str, message: str) -> Problem:
    """A 422 about one field, its message the detail too."""
    return validation_problem(
        [{"location": location, "field": field, "message": message}], detail=message
    )


def unavailable(detail: str) -> Problem:
    """A 503: a passing outage of a dependency, with when to retry."""
    return Problem(
        503,
        detail,
        type_=SERVICE_UNAVAILABLE,
        title="Service unavailable",
        headers={"Retry-After": "5"},
    )


def handle_refusal(error: errors.ServiceError | DomainError) -> Response:
    return problem_response(problem_for(error))


def init_app(app: Flask) -> None:
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(errors.ServiceError, handle_refusal)
    app.register_error_handler(DomainError, handle_refusal)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_error)
