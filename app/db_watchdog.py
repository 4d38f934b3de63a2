"""A deadline on every wait for PostgreSQL, so a frozen server is a 503, never a hang.

PostgreSQL's `statement_timeout` ends a slow query, and `connect_timeout` a connection that
is not accepted. Neither ends a wait on a server that is frozen (SIGSTOP, a paused VM):
the kernel still acknowledges every packet, so TCP keepalives and `tcp_user_timeout` see a
healthy peer, and the wait lasts until the server resumes. The watchdog shuts down the
socket of a connection that waited past its deadline; the driver then fails the wait with
its own "server closed the connection", which the API answers with a 503 and the pool with
a fresh connection.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)
# How often an armed watchdog looks at the clock: the deadline's precision.
TICK_SECONDS = 0.1
_cap: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline_cap", default=None)


class Watchdog:
    """Deadlines of connections waiting on the server, enforced from one background thread.

    A connection is armed when it starts a round trip and disarmed when the round trip ends
    or the connection goes back to the pool; arming again moves its deadline.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._armed: dict[int, tuple[float, Any]] = {}  # id(connection): (deadline, connection)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread_pid: int | None = None

    def arm(self, connection: Any, seconds: float | None = None) -> None:
        """Give the connection's round trip `seconds` (the watchdog's own by default)."""
        seconds = self.seconds if seconds is None else seconds
        cap = _cap.get()
        seconds = seconds if cap is None else min(cap, seconds)
        with self._lock:
            self._armed[id(connection)] = (time.monotonic() + seconds, connection)
            self._ensure_watching()

    def disarm(self, connection: Any) -> None:
        with self._lock:
            self._armed.pop(id(connection), None)

    def _ensure_watching(self) -> None:
        """Wake this process's watching thread, starting it on first use (under the lock,
        so two first round trips at once start one thread)."""
        self._wake.set()
        if self._thread_pid == os.getpid():
            return
        # First use in this process (gunicorn forks workers): start this process's thread.
        self._thread_pid = os.getpid()
        threading.Thread(target=self._watch, name="db-watchdog", daemon=True).start()

    def _watch(self) -> None:
        while True:
            if not self._armed:
                self._wake.wait()
            self._wake.clear()
            time.sleep(TICK_SECONDS)
            self._expire(time.monotonic())

    def _expire(self, now: float) -> None:
        with self._lock:  # disarming waits, so a connection is never closed under our hands
            overdue = [key for key, (deadline, _) in self._armed.items() if deadline <= now]
            for key in overdue:
                _, connection = self._armed.pop(key)
                _shut_down(connection)


@contextlib.contextmanager
def deadlines_capped(seconds: float) -> Iterator[None]:
    """Shorter deadlines for the waits inside the block (a readiness probe's, say)."""
    token = _cap.set(seconds)
    try:
        yield
    finally:
        _cap.reset(token)


def _shut_down(connection: Any) -> None:
    """Shut the connection's socket down: its pending wait fails at once."""
    try:
        if connection.closed:
            return
        descriptor = connection.pgconn.socket
        with socket.socket(fileno=os.dup(descriptor)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except Exception as error:  # noqa: BLE001 - closed under us: nothing left to end
        log.debug("watchdog found the connection closed: %s", error)
        return
    log.warning("database did not answer in time; its connection was shut down")
