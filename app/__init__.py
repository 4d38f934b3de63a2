"""Psoas API: the application factory."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import api, cli, db, metrics, observability, security
from app.config import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_environ()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SETTINGS=settings,
        CATALOG_CACHE_CONTROL=f"public, max-age={settings.cache_max_age}",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
    )
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
