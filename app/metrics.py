"""Prometheus request metrics, correct across gunicorn workers.

With PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py sets it), every worker writes
its samples to files there and /metrics adds them up; without it (tests, the
flask dev server) the process's own registry is used.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "psoas_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "psoas_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
UNMATCHED_ROUTE = "(unmatched)"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# The labelled series, looked up once each: `labels()` takes a lock and builds a key per
# call. Bounded: route templates x known methods x statuses.
_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _series_for(method: str, route: str, status: int) -> tuple[Any, Any]:
    series = _series.get((method, route, status))
    if series is None:
        series = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
        _series[(method, route, status)] = series
    return series


def _record(response: Response) -> Response:
    # One clock per request: app.observability starts it before any other hook.
    started = g.get("request_started")
    if started is not None:
        current = request._get_current_object()  # type: ignore[attr-defined]
        # Route templates and known methods only: a client cannot mint new series.
        route = current.url_rule.rule if current.url_rule else UNMATCHED_ROUTE
        method = current.method if current.method in KNOWN_METHODS else "OTHER"
        count, latency = _series_for(method, route, response.status_code)
        count.inc()
        latency.observe(time.perf_counter() - started)
    return response


def exposition() -> tuple[bytes, str]:
    """The current metrics in the Prometheus text format, summed over workers."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


def init_app(app: Flask) -> None:
    app.after_request(_record)
