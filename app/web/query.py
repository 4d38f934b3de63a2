"""Unknown or repeated query parameters are a 422 on every route, never silently ignored.

What a route accepts is what the OpenAPI document says it accepts: the query parameters of
its operation, read once from the spec when the routes are registered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, request

from app.web.problems import validation_problem
from app.web.schemas import unstorable_text

# Flask's `<converter:name>` and OpenAPI's `{name}` spell one path parameter.
PATH_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
ALLOWED = "query_parameters"


def allowed_query_parameters(app: Flask, spec: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """The query parameter names each endpoint documents, keyed by endpoint."""
    paths = spec.get("paths", {})
    allowed: dict[str, frozenset[str]] = {}
    for rule in app.url_map.iter_rules():
        operations = paths.get(PATH_PARAMETER.sub(r"{\1}", rule.rule), {})
        names = {
            parameter["name"]
            for method in rule.methods or ()
            for parameter in operations.get(method.lower(), {}).get("parameters", [])
            if parameter.get("in") == "query"
        }
        allowed[rule.endpoint] = allowed.get(rule.endpoint, frozenset()) | names
    return allowed


def reject_unknown_query_parameters() -> None:
    endpoint = request.endpoint
    if endpoint is None or not request.args or endpoint == "static":
        return
    allowed = current_app.extensions[ALLOWED].get(endpoint, frozenset())
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
