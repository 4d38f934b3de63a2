"""Settings read from the environment once, checked at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "instance" / "psoas.db"
# Used only outside production, so that `make run` works with no set-up; cursors
# signed with it are not secret, which is harmless for a development server.
# Explained above: never used when APP_ENV=production (Settings refuses to start without one).
DEVELOPMENT_SECRET = "psoas-api-development-secret"  # nosec B105


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def normalize_database_url(url: str) -> str:
    """Accept the usual `postgres://` / `postgresql://` spellings and pick psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _int_setting(environ: dict[str, str], name: str, default: int, minimum: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _limit_setting(environ: dict[str, str], name: str, default: str) -> str:
    from limits import parse_many

    value = environ.get(name) or default
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(
            f"{name} must be a rate such as '600 per minute', got {value!r}"
        ) from None
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    database_url: str
    secret_key: str
    environment: str = "development"
    cache_max_age: int = 300
    database_connect_timeout: int = 3
    statement_timeout_ms: int = 5_000
    max_body_bytes: int = 64 * 1024
    redis_url: str | None = None
    rate_limit_public: str = "600 per minute"
    rate_limit_per_key: str = "1200 per minute"
    rate_limit_auth_failures: str = "60 per minute"
    trusted_proxies: int = 0
    api_key_cache_seconds: int = 10

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        environment = env.get("APP_ENV", "development")
        if environment not in {"development", "production", "test"}:
            raise ConfigError(
                f"APP_ENV must be development, production or test, got {environment!r}"
            )
        secret = env.get("SECRET_KEY", "")
        if not secret:
            if environment == "production":
                raise ConfigError(
                    "SECRET_KEY must be set in production (it signs pagination cursors; "
                    "give every instance the same value)"
                )
            secret = DEVELOPMENT_SECRET
        url = env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
        if "://" not in url:
            raise ConfigError(f"DATABASE_URL must be a database URL, got {url!r}")
        redis_url = env.get("REDIS_URL") or None
        if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(f"REDIS_URL must be a redis:// URL, got {redis_url!r}")
        # gunicorn's settings too, so a typo stops the start with one line, before migrating.
        for name, default in (
            ("PORT", 8000),
            ("WEB_CONCURRENCY", 1),
            ("GUNICORN_WORKER_CONNECTIONS", 1000),
            ("CLIENT_IDLE_TIMEOUT", 20),
            ("GUNICORN_GRACEFUL_TIMEOUT", 20),
        ):
            _int_setting(env, name, default, 1)
        statement_timeout_ms = _int_setting(env, "DATABASE_STATEMENT_TIMEOUT_MS", 5_000, 100)
        worker_timeout = _int_setting(env, "GUNICORN_TIMEOUT", 30, 1)
        if statement_timeout_ms >= worker_timeout * 1000:
            raise ConfigError(
                "DATABASE_STATEMENT_TIMEOUT_MS must be below GUNICORN_TIMEOUT, so a slow query "
                "is cancelled with a clean error before the worker is killed"
            )
        return cls(
            database_url=normalize_database_url(url),
            secret_key=secret,
            environment=environment,
            cache_max_age=_int_setting(env, "CACHE_MAX_AGE", 300, 0),
            database_connect_timeout=_int_setting(env, "DATABASE_CONNECT_TIMEOUT", 3, 1),
            statement_timeout_ms=statement_timeout_ms,
            max_body_bytes=_int_setting(env, "MAX_BODY_BYTES", 64 * 1024, 1024),
            redis_url=redis_url,
            rate_limit_public=_limit_setting(env, "RATE_LIMIT_PUBLIC", "600 per minute"),
            rate_limit_per_key=_limit_setting(env, "RATE_LIMIT_PER_KEY", "1200 per minute"),
            rate_limit_auth_failures=_limit_setting(
                env, "RATE_LIMIT_AUTH_FAILURES", "60 per minute"
            ),
            trusted_proxies=_int_setting(env, "TRUSTED_PROXIES", 0, 0),
            api_key_cache_seconds=_int_setting(env, "API_KEY_CACHE_SECONDS", 10, 0),
        )
