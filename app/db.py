"""The database engine: tuned so that a dead or frozen database fails fast.

The per-request session is the web layer's (app/web/database.py).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import InvalidatePoolError

from app.config import Settings
from app.db_watchdog import Watchdog, deadlines_capped

log = logging.getLogger(__name__)
# A pooled connection idle this long is pinged before use; one in steady use is not.
PING_AFTER_IDLE_SECONDS = 1.0
# A round trip may outlast the server's statement_timeout by this much before the watchdog
# takes the server for frozen (the server's own cancel comes first).
WATCHDOG_GRACE_SECONDS = 1.0
# A ping is one empty round trip: a server that does not answer it within this is taken
# for gone, and the pool reconnects (within the connect timeout).
PING_DEADLINE_SECONDS = 1.0


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured URL, tuned so a dead database fails fast."""
    url = settings.database_url
    if url.startswith("sqlite"):
        _ensure_sqlite_directory(url)
        engine = create_engine(url, connect_args={"timeout": 15}, hide_parameters=True)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    engine = create_engine(
        url,
        # Errors name the statement, never its values (they can be client data).
        hide_parameters=True,
        pool_size=5,
        max_overflow=5,
        pool_timeout=settings.database_connect_timeout,
        connect_args={
            "connect_timeout": settings.database_connect_timeout,
            # Below the worker timeout: a runaway query ends as a clean error, not a killed worker.
            "options": f"-c statement_timeout={settings.statement_timeout_ms}",
            # A frozen server (not a stopped one) is noticed within seconds, not hung on.
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": 10_000,
        },
    )
    watchdog = Watchdog(settings.statement_timeout_ms / 1000 + WATCHDOG_GRACE_SECONDS)
    _watch_round_trips(engine, watchdog)
    _ping_connections_after_idle(engine, watchdog)
    return engine


def _watch_round_trips(engine: Engine, watchdog: Watchdog) -> None:
    """Arm the watchdog for every round trip: statements, commits, rollbacks, pool resets."""

    def arm_statement(_conn: Any, cursor: Any, *_args: Any) -> None:
        watchdog.arm(cursor.connection)

    def disarm_statement(_conn: Any, cursor: Any, *_args: Any) -> None:
        watchdog.disarm(cursor.connection)

    def arm_transaction_end(conn: Any) -> None:  # disarmed when the connection is checked in
        if conn.invalidated or conn.closed:  # nothing left to wait on
            return
        watchdog.arm(conn.connection.dbapi_connection)

    def arm_reset(dbapi_connection: Any, *_args: Any) -> None:
        watchdog.arm(dbapi_connection)

    def disarm_pooled(dbapi_connection: Any, *_args: Any) -> None:
        if dbapi_connection is not None:
            watchdog.disarm(dbapi_connection)

    event.listen(engine, "before_cursor_execute", arm_statement)
    event.listen(engine, "after_cursor_execute", disarm_statement)
    event.listen(engine, "commit", arm_transaction_end)
    event.listen(engine, "rollback", arm_transaction_end)
    event.listen(engine, "reset", arm_reset)
    for checked_in_or_gone in ("checkin", "invalidate", "close", "close_detached"):
        event.listen(engine, checked_in_or_gone, disarm_pooled)


def _ping_connections_after_idle(engine: Engine, watchdog: Watchdog) -> None:
    """Ping a pooled connection before use only if it sat idle, not on every checkout.

    `pool_pre_ping` costs a round trip per request, which under load was a fifth of a
    recommendation's time (bench/RESULTS.md). A connection that outlived an outage of a
    second or more sat idle through it, so it is pinged and replaced (with every older
    one) before any request sees it. One used through the outage failed there, and
    SQLAlchemy then discarded the pool's connections. What pre-ping caught and this does
    not: a restart shorter than a second under load can fail each connection that was in
    use once, as a 503 like the requests during the outage, before the pool is replaced.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")  # None: a new connection
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        watchdog.arm(dbapi_connection, PING_DEADLINE_SECONDS)
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool reconnects, and replaces every connection older than this one.
            raise InvalidatePoolError(f"a pooled connection failed its ping: {error}") from error
        finally:
            watchdog.disarm(dbapi_connection)


def _ensure_sqlite_directory(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # SQLite ignores foreign keys unless asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def database_is_ready(engine: Engine, within: float) -> bool:
    """The database answers within `within` seconds, is migrated, and holds the catalog."""
    try:
        with deadlines_capped(within), engine.connect() as connection:
            loaded = connection.execute(text("SELECT data_version FROM catalog_meta")).first()
    except Exception:  # noqa: BLE001 - any failure to answer means "not ready"
        return False
    return loaded is not None
