"""The HTTP edge: everything between a request and a resource's view.

The request pipeline (`pipeline.py`), problems, flask-smorest wiring, conditional requests,
pagination, strict query parameters, API keys, idempotency, rate limits, CORS, request ids,
access logs and metrics. It imports services and the domain, never a resource: `app/api`
registers its blueprints on the `Api` that `init_app` returns, then calls `publish`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from app.models.base import utc_now
from app.services.catalog import ReadModel
from app.web import database, enums, observability, pipeline, problems, query
from app.web.auth import VerifiedKeys
from app.web.conditional import Representation
from app.web.converters import SlugConverter, slug_parameter_schema
from app.web.pagination import CursorCodec
from app.web.ratelimit import limiter_for
from app.web.smorest import (
    Api,
    LocalizedOperations,
    PathParameterDescriptions,
    PipelineHeaders,
)

# The URL space behind an API key, with a budget per key; the rest of /v1 is public.
KEYED_PREFIXES = ("/v1/athletes", "/v1/changes", "/v1/webhook-endpoints")


def init_app(app: Flask, api_config: dict[str, Any]) -> Api:
    """Wire the edge into `app`; resources register their blueprints on the Api returned."""
    settings = app.config["SETTINGS"]
    database.init_app(app, settings)
    if settings.trusted_proxies:
        # Behind load balancers: the client address is in X-Forwarded-For, N hops back.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)  # type: ignore[method-assign]
    limiter = app.extensions["rate_limiter"] = limiter_for(settings, KEYED_PREFIXES)
    access_log = app.extensions["access_log"] = observability.AccessLog()
    pipeline.install(
        app,
        before=pipeline.before_view(limiter, KEYED_PREFIXES),
        after=pipeline.after_view(limiter, access_log),
    )
    problems.init_app(app)
    app.extensions["verified_keys"] = VerifiedKeys(settings.api_key_cache_seconds)
    # One signer for every list's cursors: the catalog's and the athletes'.
    app.extensions["cursor_codec"] = CursorCodec(app.config["SECRET_KEY"].encode())
    app.extensions["catalog"] = ReadModel()
    # What "now" is for the recommendation (layoffs) and for refusing future workouts.
    app.extensions["clock"] = utc_now

    app.config.update(api_config)
    app.url_map.converters["slug"] = SlugConverter
    # "//" is a 404 problem like any unknown path, not an HTML redirect.
    app.url_map.merge_slashes = False
    api = app.extensions["smorest_api"] = Api(
        app,
        spec_kwargs={
            "extra_plugins": [
                PipelineHeaders(),
                LocalizedOperations(),
                PathParameterDescriptions(api_config.get("PATH_PARAMETERS", {})),
            ]
        },
    )
    api.register_converter(SlugConverter, slug_parameter_schema)
    api.ma_plugin.converter.add_attribute_function(enums.enum_property)
    return api


def publish(app: Flask, api: Api) -> None:
    """Once every route is registered: the spec as served, and what it allows."""
    document = api.spec.to_dict()
    app.extensions["openapi_document"] = Representation.of(document)
    app.extensions[query.ALLOWED] = query.allowed_query_parameters(app, document)


def now() -> datetime:
    """The app's clock: `app.extensions["clock"]` (the wall clock; a simulation sets its own)."""
    clock: Callable[[], datetime] = current_app.extensions["clock"]
    return clock()
