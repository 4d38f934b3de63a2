"""GET /healthz, /readyz, /metrics, /openapi.json, /docs and /docs/domain."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Response, current_app, render_template, request

from app.api.operations.schemas import HealthSchema, ReadinessSchema
from app.api.shared.release import API_VERSION
from app.db import database_is_ready
from app.web.conditional import conditional_response, dumps
from app.web.database import engine_of
from app.web.metrics import exposition
from app.web.problems import SERVICE_UNAVAILABLE, Problem
from app.web.smorest import NOT_STORED, Blueprint

blp = Blueprint("operations", __name__, description="Liveness, readiness, metrics and docs.")

NO_STORE = {"Cache-Control": "no-store"}


@blp.route("/healthz")
@blp.response(
    200,
    HealthSchema,
    example={"status": "ok"},
    description="The process is up.",
    headers=NOT_STORED,
)
def healthz() -> Response:
    """Liveness

    200 whenever the process answers; it checks nothing else, so an orchestrator
    restarts the process only when it is truly stuck.
    """
    return Response(dumps({"status": "ok"}), mimetype="application/json", headers=NO_STORE)


@blp.route("/readyz")
@blp.response(
    200,
    ReadinessSchema,
    example={"status": "ready", "database": "ok"},
    description="The database answers; send traffic here.",
    headers=NOT_STORED,
)
@blp.problems(503)
def readyz() -> Response:
    """Readiness

    200 when the database answers, is migrated and holds the catalog; else a
    503 problem with `Retry-After`: send no traffic until it is 200. It answers
    within the database connect timeout and a 1 s ping (4 s by default), even
    when the database is frozen.
    """
    within = current_app.config["SETTINGS"].database_connect_timeout
    if not database_is_ready(engine_of(current_app), within):
        raise Problem(
            503,
            "The database is not reachable, not migrated, or holds no catalog yet.",
            type_=SERVICE_UNAVAILABLE,
            title="Service unavailable",
            headers={"Retry-After": "5"},
        )
    body = dumps({"status": "ready", "database": "ok"})
    return Response(body, mimetype="application/json", headers=NO_STORE)


@blp.route("/metrics")
@blp.response(
    200,
    {"type": "string"},
    content_type="text/plain",
    description="Prometheus text exposition format, summed over all workers.",
    headers=NOT_STORED,
    example='psoas_http_requests_total{method="GET",route="/v1/exercises",status="200"} 3.0\n',
)
def metrics() -> Response:
    """Prometheus metrics

    `psoas_http_requests_total` (by method, route template and status) and
    `psoas_http_request_duration_seconds` (a histogram by method and route
    template), summed over every gunicorn worker.
    """
    body, content_type = exposition()
    return Response(body, content_type=content_type, headers=NO_STORE)


@blp.route("/openapi.json")
@blp.cached_get(
    {"type": "object"},
    description="The OpenAPI 3.1 document of this API.",
    example={"openapi": "3.1.0", "info": {"title": "Psoas API", "version": API_VERSION}},
)
def openapi_document() -> Response:
    """OpenAPI document

    This API's OpenAPI 3.1 document; the same as `openapi/openapi.json` in the
    repository. Generate clients from it.
    """
    return conditional_response(current_app.extensions["openapi_document"], "no-cache")


@blp.route("/docs")
@blp.response(
    200,
    {"type": "string"},
    content_type="text/html",
    description="An HTML page.",
    example="<!DOCTYPE html>",
)
def docs() -> Response:
    """Interactive documentation

    Swagger UI for this API, served with its scripts and styles by the API
    itself, so it works with no internet access.
    """
    return Response(render_template("docs.html"), mimetype="text/html")


# The project's documents, kept in the repository beside the code they describe.
ROOT = Path(__file__).resolve().parents[3]


@cache
def markdown_document(path: Path) -> tuple[bytes, str]:
    body = path.read_bytes()
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def serve_markdown(path: Path) -> Response:
    body, etag = markdown_document(path)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if request.if_none_match.contains_weak(etag.strip('"')):
        return Response(status=304, headers=headers)
    return Response(body, headers=headers, mimetype="text/markdown")


@blp.route("/docs/domain")
@blp.cached_get(
    {"type": "string"},
    content_type="text/markdown",
    description="The domain document (Markdown): every rule, with its slug.",
    example="# The psoas training domain",
)
def domain() -> Response:
    """The domain document

    How the API judges sets and workouts, decides the next position and builds
    routines, rule by rule, each with the slug that `reasons[].rule` and
    `GET /v1/rules` use; and where the project departs from the article.
    """
    return serve_markdown(ROOT / "docs" / "domain.md")


@blp.route("/docs/policy")
@blp.cached_get(
    {"type": "string"},
    content_type="text/markdown",
    description="The change and deprecation policy (Markdown).",
    example="# Psoas API: change and deprecation policy",
)
def policy() -> Response:
    """The change and deprecation policy

    What changes without notice (additions, wording, new rules), what is announced
    first (new values of a closed enum), and how an operation is deprecated:
    `deprecated` in this document, `Deprecation` and `Sunset` headers, at least six
    months of service, then 410.
    """
    return serve_markdown(ROOT / "docs" / "policy.md")


@blp.route("/docs/changelog")
@blp.cached_get(
    {"type": "string"},
    content_type="text/markdown",
    description="The changelog (Markdown, Keep a Changelog).",
    example="# Changelog",
)
def changelog() -> Response:
    """The changelog

    Every change a client can see, newest first, release by release; what is to
    come is announced under "Unreleased" (30 days ahead for new values of a closed
    enum). The latest release is this document's `info.version`.
    """
    return serve_markdown(ROOT / "CHANGELOG.md")
