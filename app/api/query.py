"""Unknown or repeated query parameters are a 422 on every route, never silently ignored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request

from app.api.problems import validation_problem
from app.api.schemas import unstorable_text

_allowed_by_endpoint: dict[str, frozenset[str]] = {}


def declared_query_parameters(view: Callable[..., Any]) -> frozenset[str]:
    """The query parameter names a view documents through `@blp.arguments(location="query")`."""
    arguments = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    names: set[str] = set()
    for argument in arguments:
        if argument["in"] in ("query", "querystring"):
            schema = argument["schema"]
            schema = schema() if isinstance(schema, type) else schema
            names.update(field.data_key or name for name, field in schema.fields.items())
    return frozenset(names)


def reject_unknown_query_parameters() -> None:
    endpoint = request.endpoint
    if endpoint is None or not request.args or endpoint == "static":
        return
    allowed = _allowed_by_endpoint.get(endpoint)
    if allowed is None:
        allowed = declared_query_parameters(current_app.view_functions[endpoint])
        _allowed_by_endpoint[endpoint] = allowed
    errors = [
        {"location": "query", "field": name, "message": "Unknown query parameter."}
        for name in sorted(set(request.args) - allowed)
    ]
    errors += [
        {"location": "query", "field": name, "message": "Given more than once; give it once."}
        for name in sorted(set(request.args) & allowed)
        if len(request.args.getlist(name)) > 1
    ]
    errors += [
        {"location": "query", "field": name, "message": "Contains NUL or an unpaired surrogate."}
        for name, value in request.args.items(multi=True)
        if name in allowed and unstorable_text(value)
    ]
    if errors:
        raise validation_problem(errors)


def init_app(app: Flask) -> None:
    app.before_request(reject_unknown_query_parameters)
