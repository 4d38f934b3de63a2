"""Rate limits: one budget per API key on the athlete routes, one per client address on the
other /v1 routes, and a budget of failed authentications per address (key guessing).

Counters live in Redis when REDIS_URL is set, so every instance shares them; else
in this process (fine for `make run`). If Redis fails, requests are served (fail
open) and the failure is logged: a limit is a protection, not a dependency.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import Blueprint, Flask, Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.config import Settings


def client_address() -> str:
    return f"ip:{get_remote_address()}"


def api_key() -> str:
    """The presented key's hash (never the key): a budget follows the key, not the address."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return "key:" + hashlib.sha256(key.strip().encode()).hexdigest()[:32]
    return client_address()


def is_preflight() -> bool:
    return request.method == "OPTIONS"


def keep_retry_after_meaningful(response: Response) -> Response:
    """flask-limiter adds Retry-After to every answer; keep it on 429s, and a 503's own."""
    own = g.get("retry_after")
    if own is not None:
        response.headers["Retry-After"] = own
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def init_app(
    app: Flask,
    settings: Settings,
    *,
    public: Iterable[Blueprint],
    per_key: Iterable[Blueprint],
) -> Limiter:
    # Registered before the limiter's own hook, so it runs after it (Flask runs them reversed).
    app.after_request(keep_retry_after_meaningful)
    limiter = Limiter(
        key_func=client_address,
        app=app,
        storage_uri=settings.redis_url or "memory://",
        # A slow Redis must not slow every request: give up fast and fail open.
        storage_options={"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
        headers_enabled=True,
        swallow_errors=True,  # fail open; flask-limiter logs the storage error
        key_prefix="psoas",
    )
    # shared_limit with one scope: one budget across all these routes, not one per route.
    public_limit = limiter.shared_limit(
        settings.rate_limit_public, scope="public", exempt_when=is_preflight
    )
    for blueprint in public:
        public_limit(blueprint)
    key_limit = limiter.shared_limit(
        settings.rate_limit_per_key, scope="per-key", key_func=api_key, exempt_when=is_preflight
    )
    guessing = limiter.shared_limit(
        settings.rate_limit_auth_failures,
        scope="auth-failures",
        exempt_when=is_preflight,
        deduct_when=lambda response: response.status_code == 401,
    )
    for blueprint in per_key:
        key_limit(blueprint)
        guessing(blueprint)
    app.extensions["rate_limiter"] = limiter
    return limiter
