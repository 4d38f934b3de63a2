"""Request IDs and structured JSON logs: one line per request, never a key or a body."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request

REQUEST_ID_HEADER = "X-Request-ID"
# Accepted from a caller (a load balancer, a client) when it is a sane token; else made here.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
access_log = logging.getLogger("psoas.access")


class JsonFormatter(logging.Formatter):
    """A JSON object per line, with the request fields a record carries."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if "request_id" not in line:
            line["request_id"] = current_request_id()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


def current_request_id() -> str | None:
    try:
        return g.get("request_id")
    except RuntimeError:  # outside a request
        return None


def _assign_request_id() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if WELL_FORMED_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    started = g.get("request_started")
    if started is not None:
        access_log.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    # The route template: paths can carry ids, and never go to logs raw.
                    "route": request.url_rule.rule if request.url_rule else None,
                    "status": response.status_code,
                    "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client_app": g.get("client_app_id"),
                    "request_id": g.get("request_id"),
                }
            },
        )
    return response


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def init_app(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_finish)
