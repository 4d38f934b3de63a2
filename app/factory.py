"""Psoas API: the application factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from app import api, cli, db, metrics, observability, security
from app.api.json_body import BoundedJSONProvider
from app.config import Settings


class PsoasFlask(Flask):
    """Flask, checking once per hook (not on every request) that it is not a coroutine,
    and reading JSON bodies within bounds."""

    json_provider_class = BoundedJSONProvider

    def __init__(self, import_name: str) -> None:
        super().__init__(import_name)
        self._sync_callables: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        sync = self._sync_callables.get(func)
        if sync is None:
            sync = self._sync_callables[func] = super().ensure_sync(func)
        return sync


class NoSessions(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> None:
        return None  # Flask then uses its null session: nothing read, nothing saved


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_environ()
    app = PsoasFlask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SETTINGS=settings,
        CATALOG_CACHE_CONTROL=f"public, max-age={settings.cache_max_age}",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
    )
    # An API with no cookies: Flask's signed-cookie session would be opened on every request.
    app.session_interface = NoSessions()
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented order
    observability.init_app(app)  # first: every later hook and log line has the request id
    db.init_app(app, settings)
    metrics.init_app(app)
    if settings.trusted_proxies:
        # Behind load balancers: the client address is in X-Forwarded-For, N hops back.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)  # type: ignore[method-assign]
    security.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app
