"""Helpers shared by the test modules: keys in headers, a session body, the problem shape."""

from __future__ import annotations

import time

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}

SESSION = {
    "exercise": "half-kneeling-banded-psoas-hold",
    "band_tension": "medium",
    "shoulder_flexion": False,
    "reps": [{"hold_seconds": 5, "strict_form": True, "high_flexion": True}] * 5,
    "performed_at": "2026-11-20T07:30:00+01:00",
}


def a_fresh_minute(margin: float = 3.0) -> None:
    """Rate-limit budgets are fixed windows aligned to the clock: a test that counts requests
    up to a 429 must not straddle the top of a minute, where every count starts again. Wait
    for the next minute when fewer than `margin` seconds are left in this one."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.05)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert PROBLEM_KEYS <= set(body)
    assert body["status"] == status
    return body
