"""Request IDs and structured JSON logs: one line per request, never a key or a body."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import random
import re
import sys
import threading
import time
from logging.handlers import QueueHandler, QueueListener
from typing import Any, TextIO

from flask import Response, g, request

from app.logformat import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# Accepted from a caller (a load balancer, a client) when it is a sane token; else made here.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
ACCESS_LOGGER = "psoas.access"  # the `logger` field of access lines


def current_request_id() -> str | None:
    try:
        request_id: str | None = g.get("request_id")
    except RuntimeError:  # outside a request
        return None
    return request_id


JsonFormatter.request_id = staticmethod(current_request_id)


class AccessStream(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes access lines to `stream` (sys.stdout when None, looked up at each write:
    gunicorn and tests may swap it). A failed write drops the line and the request stands,
    as every logging handler does; it is said on stderr at most once a minute."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self.stream = stream
        self._quiet_until = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        target = self.stream or sys.stdout
        try:
            target.write(self.format(record) + "\n")
            target.flush()
        except Exception as error:  # noqa: BLE001 - a log is never worth a failed request
            self._report_lost(error)

    def _report_lost(self, error: Exception) -> None:
        now = time.monotonic()
        if now < self._quiet_until:
            return
        self._quiet_until = now + 60
        with contextlib.suppress(Exception):  # stderr gone too: nothing left to tell
            sys.stderr.write(f"psoas-api: access lines lost, the log stream failed: {error}\n")


class AccessQueue(QueueHandler):
    """Hands the record over as it is: an access record has no arguments to render and no
    traceback, so the stdlib's copy-and-format before queueing is pure cost
    (bench/inprocess.py: 6% of a catalog GET, 216 -> 203 us)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


class AccessLog:
    """The access log: one JSON line per request, through the standard library's queue
    logging. The request only puts its record on a queue (QueueHandler); a listener thread
    formats and writes the lines (QueueListener), so no request waits on the stream or on
    another's write. A worker killed outright (SIGKILL) loses the lines still queued.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._queue: queue.Queue[logging.LogRecord] = queue.Queue()  # gevent patches it
        self.handler = AccessStream(stream)
        self.handler.setFormatter(JsonFormatter())
        self._listener = QueueListener(self._queue, self.handler)
        self._logger = logging.Logger(ACCESS_LOGGER)  # its own: never the root's handlers
        self._logger.addHandler(AccessQueue(self._queue))
        self._listener_pid: int | None = None
        self._lock = threading.Lock()
        atexit.register(self.flush)

    @property
    def stream(self) -> TextIO | None:
        stream: TextIO | None = self.handler.stream
        return stream

    @stream.setter
    def stream(self, stream: TextIO | None) -> None:
        self.handler.stream = stream

    def record(self, fields: dict[str, Any]) -> None:
        if self._listener_pid != os.getpid():  # the first line in this process (or fork)
            self._start()
        # Logger.handle, not Logger.info: `info` walks the stack for the caller's file and
        # line, which an access line never shows (bench/inprocess.py: 6% of a catalog GET,
        # 203 -> 191 us).
        record = logging.LogRecord(ACCESS_LOGGER, logging.INFO, "", 0, "request", None, None)
        record.fields = fields
        self._logger.handle(record)

    def _start(self) -> None:
        with self._lock:
            if self._listener_pid != os.getpid():
                self._listener = QueueListener(self._queue, self.handler)
                self._listener.start()
                self._listener_pid = os.getpid()

    def flush(self) -> None:
        """Write every line queued so far (the listener drains the queue as it stops)."""
        with self._lock:
            if self._listener_pid != os.getpid():
                return
            self._listener.stop()
            self._listener = QueueListener(self._queue, self.handler)
            self._listener.start()


def assign_request_id() -> None:
    given = request.environ.get("HTTP_X_REQUEST_ID", "")
    if not WELL_FORMED_ID.fullmatch(given):
        # Ids only need to be unique, not secret: a PRNG (reseeded in each forked worker)
        # instead of uuid4's system call per request.
        given = f"{random.getrandbits(128):032x}"  # nosec B311
    g.request_id = given
    g.request_started = time.perf_counter()


def finish(response: Response, lines: AccessLog) -> Response:
    request_id = g.get("request_id", "")
    response.headers.add(REQUEST_ID_HEADER, request_id)
    started = g.get("request_started")
    if started is not None:
        rule = request.url_rule
        lines.record(
            {
                "method": request.method,
                # The route template: paths can carry ids, and never go to logs raw.
                "route": rule.rule if rule else None,
                "status": response.status_code,
                "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                "client_app": g.get("client_app_id"),
                "request_id": request_id,
            }
        )
    return response


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
