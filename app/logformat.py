"""The JSON log line: one object per line, with the request fields a record carries.

Imports nothing but the standard library, so gunicorn's master can format its own lines
with it before any worker has patched (gevent) or imported the app.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any


def _no_request() -> str | None:
    return None


class JsonFormatter(logging.Formatter):
    """A JSON object per line, with the request fields a record carries."""

    converter = time.gmtime
    # Set by app.web.observability once the app is loaded: the id of the request being served.
    request_id: Callable[[], str | None] = staticmethod(_no_request)

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if "request_id" not in line:
            line["request_id"] = type(self).request_id()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
