"""The database session of each request: opened on first use, closed when it ends.

Services commit; this module only hands them the session and closes it.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, has_request_context, request
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine
from app.web import problems

log = logging.getLogger(__name__)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask, settings: Settings) -> None:
    engine = make_engine(settings)
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    # Reads need no transaction on PostgreSQL: at READ COMMITTED every statement takes its
    # own snapshot anyway, and BEGIN and ROLLBACK would cost two more round trips.
    reader = engine
    if engine.dialect.name == "postgresql":
        reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    app.extensions["db_reader_sessionmaker"] = sessionmaker(reader, expire_on_commit=False)
    app.teardown_appcontext(_close_session)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(PoolTimeoutError, database_unavailable)


def engine_of(app: Flask) -> Engine:
    engine: Engine = app.extensions["db_engine"]
    return engine


def get_session() -> Session:
    """The session of the current request, opened on first use."""
    if "db_session" not in g:
        reading = has_request_context() and request.method in READ_ONLY_METHODS
        maker = "db_reader_sessionmaker" if reading else "db_sessionmaker"
        g.db_session = current_app.extensions[maker]()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except Exception:  # noqa: BLE001 - a dead connection cannot be rolled back; the pool drops it
        log.warning(
            "closing a database session failed; its connection was discarded", exc_info=True
        )


def database_error(error: DBAPIError) -> Response:
    """A lost connection is an outage (503); any other database error is a bug (500)."""
    if error.connection_invalidated or isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(error)
    return problems.handle_unexpected_error(error)


def database_unavailable(error: Exception) -> Response:
    # A lost or refused connection is a passing outage, not a bug: say so with 503,
    # and leave the cause to the operators' log.
    route = request.url_rule.rule if request.url_rule else None
    log.warning("database unavailable on %s %s: %s", request.method, route, error)
    return problems.problem_response(
        problems.unavailable("The database is unavailable; retry shortly.")
    )
