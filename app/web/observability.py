"""Request IDs and structured JSON logs: one line per request, never a key or a body."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import random
import re
import sys
import threading
import time
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


class AccessLog:
    """The access log: one JSON line per request, written in batches.

    Hand-written where the standard library's queue logging would do, because that cost
    10% of a catalog GET's throughput under load (bench/RESULTS.md, section 000): a
    LogRecord, a queue and a wake-up of the listener per request. Lines are kept here and
    written together once BATCH_LINES are waiting, once the oldest has waited
    MAX_DELAY_SECONDS (a flusher thread writes them when traffic stops), and when the
    process exits, as nginx's `access_log ... buffer= flush=` does. A worker killed outright
    (SIGKILL) loses at most that second of access lines; the requests are unaffected.
    """

    BATCH_LINES = 64
    MAX_DELAY_SECONDS = 1.0

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream  # None: sys.stdout when writing (tests and gunicorn may swap it)
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._flusher_pid: int | None = None
        self._stamp = (-1, "")  # (whole second, its text): strftime once a second
        self._quiet_until = 0.0
        atexit.register(self.flush)

    def record(self, fields: dict[str, Any]) -> None:
        now = time.time()
        second, stamp = self._stamp
        if int(now) != second:
            second = int(now)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._stamp = (second, stamp)
        line = {
            "ts": f"{stamp}.{int((now - second) * 1000):03d}Z",
            "level": "info",
            "logger": ACCESS_LOGGER,
            "message": "request",
            **fields,
        }
        text = json.dumps(line, ensure_ascii=False)
        with self._lock:
            self._lines.append(text)
            full = len(self._lines) >= self.BATCH_LINES
            # The first line in this process (or after a fork) starts its flusher.
            start_flusher = self._flusher_pid != os.getpid()
            self._flusher_pid = os.getpid()
        if start_flusher:
            flusher = threading.Thread(target=self._flush_every_so_often, name="access-log")
            flusher.daemon = True
            flusher.start()
        if full:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            if not self._lines:
                return
            text = "\n".join(self._lines) + "\n"
            self._lines.clear()
            stream = self.stream or sys.stdout
            try:
                stream.write(text)
                stream.flush()
            except Exception as error:  # noqa: BLE001 - a log is never worth a failed request
                # As logging's handlers do: the lines are dropped and the request stands
                # (a session was already committed). Said on stderr at most once a minute.
                self._report_lost(text.count("\n"), error)

    def _report_lost(self, count: int, error: Exception) -> None:
        now = time.monotonic()
        if now < self._quiet_until:
            return
        self._quiet_until = now + 60
        with contextlib.suppress(Exception):  # stderr gone too: nothing left to tell
            sys.stderr.write(
                f"psoas-api: {count} access lines lost, the log stream failed: {error}\n"
            )

    def _flush_every_so_often(self) -> None:
        while True:
            time.sleep(self.MAX_DELAY_SECONDS)
            self.flush()


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
