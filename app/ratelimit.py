"""Rate limits: per API key on the athlete routes, per client address on the public ones.

Counters live in Redis when REDIS_URL is set, so every instance shares them; else
in this process (fine for `make run`). If Redis fails, requests are served (fail
open) and the failure is logged: a limit is a protection, not a dependency.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import Blueprint, Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.config import Settings


def client_address() -> str:
    return f"ip:{get_remote_address()}"


def api_key_or_address() -> str:
    """The presented key's hash (never the key), so a limit follows the key, not the address."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return "key:" + hashlib.sha256(key.strip().encode()).hexdigest()[:32]
    return client_address()


def init_app(
    app: Flask,
    settings: Settings,
    *,
    per_key: Iterable[Blueprint],
    exempt: Iterable[Blueprint],
) -> Limiter:
    limiter = Limiter(
        key_func=client_address,
        app=app,
        default_limits=[settings.rate_limit_public],
        storage_uri=settings.redis_url or "memory://",
        headers_enabled=True,
        swallow_errors=True,  # fail open; flask-limiter logs the storage error
        key_prefix="psoas",
    )
    for blueprint in per_key:
        limiter.limit(
            settings.rate_limit_per_key, key_func=api_key_or_address, override_defaults=True
        )(blueprint)
    for blueprint in exempt:
        limiter.exempt(blueprint)
    limiter.exempt(app.view_functions["static"])
    app.extensions["rate_limiter"] = limiter
    return limiter
