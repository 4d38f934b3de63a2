"""The rate limiter's counting: clock-aligned windows, expiry, several windows per budget."""

from __future__ import annotations

import pytest

from app.web.ratelimit import BREAKER_SECONDS, Budget, LocalCounters, RateLimiter, Standing, Window


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_local_counts_grow_then_start_again_once_the_window_has_passed():
    clock = Clock(1000.0)
    counters = LocalCounters(clock)
    assert [counters.incr([("k", 60)])[0] for _ in range(3)] == [1, 2, 3]
    assert counters.incr([("other", 60)]) == [1]
    clock.now += 61
    assert counters.incr([("k", 60)]) == [1]


def test_a_peek_reads_counts_without_changing_them():
    clock = Clock(1000.0)
    counters = LocalCounters(clock)
    counters.incr([("k", 60)])
    assert counters.peek(["k", "never"]) == [1, 0]
    assert counters.peek(["k"]) == [1]
    clock.now += 61
    assert counters.peek(["k"]) == [0]


def test_expired_keys_are_swept_so_memory_stays_bounded():
    clock = Clock(0.0)
    counters = LocalCounters(clock)
    for number in range(1000):
        counters.incr([(f"client-{number}", 1)])
    clock.now += 20
    counters.incr([("fresh", 60)])
    assert len(counters._counts) == 1


def test_a_budget_has_a_window_per_configured_rate():
    budget = Budget.parse("public", "600 per minute; 20 per second", lambda: "ip:x")
    assert budget.windows == (
        Window(600, 60, "600 per 1 minute"),
        Window(20, 1, "20 per 1 second"),
    )


@pytest.mark.parametrize(
    ("used", "remaining", "exceeded"), [(1, 1, False), (2, 0, False), (3, 0, True)]
)
def test_a_standing_counts_down_and_is_exceeded_past_the_amount(used, remaining, exceeded):
    standing = Standing(Window(2, 60, "2 per 1 minute"), used, resets_at=120)
    assert (standing.remaining, standing.exceeded) == (remaining, exceeded)


class Unreachable:
    """Counters whose store does not answer, as a frozen Redis does after its timeout."""

    def __init__(self) -> None:
        self.asked = 0

    def incr(self, keys):
        self.asked += 1
        raise OSError("timed out")


def test_after_a_failure_the_counters_are_not_asked_again_for_a_few_seconds(caplog):
    now = [1000.0]
    counters = Unreachable()
    limiter = RateLimiter(
        counters,
        public=Budget.parse("public", "5 per minute", lambda: "ip:1"),
        per_key=Budget.parse("per-key", "5 per minute", lambda: "key:1"),
        auth_failures=Budget.parse("auth", "5 per minute", lambda: "ip:1"),
        keyed_prefixes=("/v1/athletes",),
        clock=lambda: now[0],
    )
    served = [limiter._count([("k", 60, 1060)]) for _ in range(10)]
    assert served == [None] * 10  # fail open
    assert counters.asked == 1  # one timeout paid, nine requests served at once
    now[0] += BREAKER_SECONDS - 0.1
    limiter._count([("k", 60, 1060)])
    assert counters.asked == 1
    now[0] += 0.2  # the breaker closes: one request tries again, and it opens again
    limiter._count([("k", 60, 1060)])
    limiter._count([("k", 60, 1060)])
    assert counters.asked == 2
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
