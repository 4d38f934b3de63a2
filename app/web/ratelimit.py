"""Rate limits: one budget per API key on the athlete routes, one per client address on the
other /v1 routes, and a budget of failed authentications per address (key guessing).

Budgets are fixed windows aligned to the clock (a per-minute window ends at the top of
the minute), the policy flask-limiter applied before. A request costs one counter update:
one Redis round trip when REDIS_URL is set, so every instance shares the counts, else a
dict in this process (fine for `make run`). flask-limiter re-resolved every limit on every
request, which cost more than serving a catalog page; see bench/RESULTS.md. If Redis fails,
requests are served (fail open) and the failure is logged: a limit is a protection, not a
dependency. After a failure, Redis is not asked again for a few seconds (a circuit
breaker), so an outage costs one timeout per worker every few seconds, not one per request.
Failed authentications have their own budget per address; over it, a wrong key is a 429
rather than a 401, and a valid key is served as ever (a shared NAT, or a proxy without
TRUSTED_PROXIES, must not lock every client out because one guesses).

A conditional GET answered 304 costs nothing (as GitHub's API does): it is what a client
that caches well sends, and it costs us little. Such a request is only checked against
the budget first (refused when it is already spent), and counted afterwards unless the
answer is a 304.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import redis
from flask import Response, g, request
from limits import parse_many

from app.config import Settings
from app.web.problems import Problem, problem_response

log = logging.getLogger(__name__)
# Redis slow or gone: give up fast and serve; say so at most this often per worker.
REDIS_TIMEOUT_SECONDS = 0.25
OUTAGE_LOG_INTERVAL_SECONDS = 60.0
# After a failure, serve without asking Redis for this long, then try again.
BREAKER_SECONDS = 5.0


@dataclass(frozen=True)
class Window:
    amount: int
    seconds: int
    text: str  # as configured, e.g. "600 per 1 minute"


@dataclass(frozen=True)
class Budget:
    scope: str
    windows: tuple[Window, ...]
    identity: Callable[[], str]

    @classmethod
    def parse(cls, scope: str, rates: str, identity: Callable[[], str]) -> Budget:
        windows = tuple(Window(r.amount, r.get_expiry(), str(r)) for r in parse_many(rates))
        return cls(scope, windows, identity)


@dataclass(frozen=True)
class Standing:
    """Where a client stands in its tightest window: what the X-RateLimit headers say."""

    window: Window
    used: int
    resets_at: int

    @property
    def remaining(self) -> int:
        return max(0, self.window.amount - self.used)

    @property
    def exceeded(self) -> bool:
        return self.used > self.window.amount


class Counters(Protocol):
    def incr(self, keys: Sequence[tuple[str, int]]) -> list[int]:
        """Add one to each key (creating it with the given lifetime); the new counts."""

    def peek(self, keys: Sequence[str]) -> list[int]:
        """Each key's count, without changing it (0 for a key not counted yet)."""


class LocalCounters:
    """Counts in this process; a key is forgotten once its window has passed."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._next_sweep = 0.0

    def incr(self, keys: Sequence[tuple[str, int]]) -> list[int]:
        now = self._clock()
        counts = []
        with self._lock:
            if now >= self._next_sweep:
                self._counts = {k: v for k, v in self._counts.items() if v[0] > now}
                self._next_sweep = now + 10
            for key, lifetime in keys:
                expires, count = self._counts.get(key, (now + lifetime, 0))
                self._counts[key] = (expires, count + 1)
                counts.append(count + 1)
        return counts

    def peek(self, keys: Sequence[str]) -> list[int]:
        now = self._clock()
        with self._lock:
            found = [self._counts.get(key) for key in keys]
        return [entry[1] if entry and entry[0] > now else 0 for entry in found]


class RedisCounters:
    """Counts in Redis, shared by every instance: one round trip per request."""

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )

    def incr(self, keys: Sequence[tuple[str, int]]) -> list[int]:
        pipe = self._redis.pipeline(transaction=False)
        for key, lifetime in keys:
            pipe.incr(key)
            pipe.expire(key, lifetime)
        return [int(count) for count in pipe.execute()[0::2]]

    def peek(self, keys: Sequence[str]) -> list[int]:
        return [int(count or 0) for count in self._redis.mget(keys)]


def client_address() -> str:
    return f"ip:{request.remote_addr}"


def api_key() -> str:
    """The presented key's hash (never the key): a budget follows the key, not the address."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return "key:" + hashlib.sha256(key.strip().encode()).hexdigest()[:32]
    return client_address()


class RateLimiter:
    def __init__(
        self,
        counters: Counters,
        *,
        public: Budget,
        per_key: Budget,
        auth_failures: Budget,
        keyed_prefixes: Sequence[str],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._counters, self._clock = counters, clock
        self._public, self._per_key, self._auth_failures = public, per_key, auth_failures
        self._keyed_prefixes = tuple(keyed_prefixes)
        self._quiet_until = 0.0
        self._skip_until = 0.0

    def _keys(self, budget: Budget) -> list[tuple[str, int, int]]:
        """(counter key, its lifetime, when its window ends) for each window of the budget."""
        now, identity = int(self._clock()), budget.identity()
        keys = []
        for window in budget.windows:
            start = now - now % window.seconds
            key = f"psoas:{budget.scope}:{window.amount}/{window.seconds}:{identity}:{start}"
            keys.append((key, window.seconds, start + window.seconds))
        return keys

    def _standing(
        self, budget: Budget, keys: list[tuple[str, int, int]], counts: list[int]
    ) -> Standing:
        standings = [
            Standing(window, used, ends)
            for window, (_, _, ends), used in zip(budget.windows, keys, counts, strict=True)
        ]
        return min(standings, key=lambda s: (not s.exceeded, s.remaining))

    def _counted(self, operation: Callable[[], list[int]]) -> list[int] | None:
        if self._clock() < self._skip_until:  # the breaker is open: don't wait on Redis
            return None
        try:
            return operation()
        except (redis.RedisError, OSError) as error:
            now = self._clock()
            self._skip_until = now + BREAKER_SECONDS
            if now >= self._quiet_until:
                self._quiet_until = now + OUTAGE_LOG_INTERVAL_SECONDS
                log.warning("rate-limit counters unavailable, serving unlimited: %s", error)
            return None

    def _count(self, keys: list[tuple[str, int, int]]) -> list[int] | None:
        return self._counted(lambda: self._counters.incr([(k, life) for k, life, _ in keys]))

    def _spend(self, budget: Budget) -> None:
        keys = self._keys(budget)
        counts = self._count(keys)
        if counts is None:
            return
        standing = self._standing(budget, keys, counts)
        g.rate_limit = standing
        if standing.exceeded:
            raise self._too_many(standing)

    def _check(self, budget: Budget) -> None:
        """Refuse if the budget is spent, without spending from it (a conditional GET)."""
        keys = self._keys(budget)
        counts = self._counted(lambda: self._counters.peek([k for k, _, _ in keys]))
        if counts is None:
            return
        g.rate_limit = standing = self._standing(budget, keys, counts)
        g.rate_limit_owed = budget
        if standing.remaining == 0:
            raise self._too_many(replace(standing, used=standing.used + 1))

    def _too_many(self, standing: Standing) -> Problem:
        return Problem(
            429,
            f"Too many requests: the limit is {standing.window.text}. Retry after the "
            "number of seconds in Retry-After.",
            headers={
                "Retry-After": str(max(1, standing.resets_at - int(self._clock()))),
                **rate_limit_headers(standing),
            },
        )

    def _keyed(self, rule: str) -> bool:
        return any(rule == p or rule.startswith(p + "/") for p in self._keyed_prefixes)

    def before_request(self) -> None:
        """Spend a request from its budget: a route under /v1 that exists, preflights aside."""
        rule = request.url_rule.rule if request.url_rule else ""
        if request.method == "OPTIONS" or not rule.startswith("/v1/"):
            return
        budget = self._per_key if self._keyed(rule) else self._public
        if request.method in ("GET", "HEAD") and "If-None-Match" in request.headers:
            self._check(budget)  # counted by after_request, unless it is a 304
            return
        self._spend(budget)

    def after_request(self, response: Response) -> Response:
        owed: Budget | None = g.pop("rate_limit_owed", None)
        if owed is not None and response.status_code != 304:
            self._settle(owed)
        standing: Standing | None = g.get("rate_limit")
        if standing is not None and "X-RateLimit-Limit" not in response.headers:  # a 429 has them
            response.headers.extend(rate_limit_headers(standing))
        rule = request.url_rule.rule if request.url_rule else ""
        if response.status_code == 401 and self._keyed(rule) and request.method != "OPTIONS":
            return self._count_failure(response)
        return response

    def _settle(self, budget: Budget) -> None:
        """Count a conditional GET that was not a 304. It is served even if it was the last
        of the budget twice over (the work is done); the next request is refused."""
        keys = self._keys(budget)
        counts = self._count(keys)
        if counts is not None:
            g.rate_limit = self._standing(budget, keys, counts)

    def _count_failure(self, response: Response) -> Response:
        """Count a failed authentication; past the budget, answer 429 instead of 401.

        Only a request whose key failed is ever refused: the key is checked first.
        """
        failures = self._auth_failures
        keys = self._keys(failures)
        counts = self._count(keys)
        if counts is None:
            return response
        standing = self._standing(failures, keys, counts)
        return problem_response(self._too_many(standing)) if standing.exceeded else response


def rate_limit_headers(standing: Standing) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(standing.window.amount),
        "X-RateLimit-Remaining": str(standing.remaining),
        "X-RateLimit-Reset": str(standing.resets_at),
    }


def limiter_for(settings: Settings, keyed_prefixes: Sequence[str]) -> RateLimiter:
    """The limiter the settings describe: per API key under `keyed_prefixes`, per client
    address on the other /v1 routes."""
    counters: Counters = (
        RedisCounters(settings.redis_url) if settings.redis_url else LocalCounters()
    )
    return RateLimiter(
        counters,
        public=Budget.parse("public", settings.rate_limit_public, client_address),
        per_key=Budget.parse("per-key", settings.rate_limit_per_key, api_key),
        auth_failures=Budget.parse(
            "auth-failures", settings.rate_limit_auth_failures, client_address
        ),
        keyed_prefixes=keyed_prefixes,
    )
