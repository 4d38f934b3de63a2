"""RFC 9457 problem+json: the one error shape, and the one handler that makes it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from app.observability import current_request_id
from app.services import errors

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


SERVICE_STATUSES: dict[type[errors.ServiceError], int] = {
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.PreconditionFailed: 412,
    errors.PreconditionRequired: 428,
    errors.Invalid: 422,
}
HEADER_FIELDS = {"Idempotency-Key", "If-Match", "Authorization"}


def handle_service_error(error: errors.ServiceError) -> Response:
    """A use case's refusal, as the one HTTP status its kind maps to."""
    status = next(s for kind, s in SERVICE_STATUSES.items() if isinstance(error, kind))
    if status == 422:
        location = "header" if error.field in HEADER_FIELDS else "body"
        field = {"location": location, "field": error.field or "(body)", "message": error.message}
        return problem_response(validation_problem([field], detail=error.message))
    return problem_response(Problem(status, error.message))


def init_app(app: Flask) -> None:
    app.register_error_handler(Problem, handle_problem)
    app.register_error_handler(errors.ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_error)
