"""Request bodies for workouts, shared by the API tests (recent dates: no layoff)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

HALF_KNEELING = "half-kneeling-banded-psoas-hold"


def days_ago(days: float, hour: int = 7) -> str:
    """An RFC 3339 instant `days` before today at `hour` UTC (never in the future)."""
    day = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return (day - timedelta(days=days + 1)).isoformat()


def reps(count: int, hold: float, *, broken: int = 0) -> list[dict[str, Any]]:
    good = [{"hold_seconds": hold, "strict_form": True, "high_flexion": True}] * (count - broken)
    return good + [{"hold_seconds": hold, "strict_form": False, "high_flexion": True}] * broken


def ladder_set(
    side: str,
    exercise: str = HALF_KNEELING,
    band: str = "medium",
    *,
    count: int = 5,
    hold: float = 5,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "exercise": exercise,
        "side": side,
        "band_tension": band,
        "reps": reps(count, hold, broken=extra.pop("broken", 0)),
        **extra,
    }


def both_sides(**kwargs: Any) -> list[dict[str, Any]]:
    return [ladder_set("left", **kwargs), ladder_set("right", **kwargs)]


def workout(
    sets: list[dict[str, Any]], *, at: str | None = None, context: str = "activation", **extra: Any
) -> dict[str, Any]:
    return {"performed_at": at or days_ago(1), "context": context, "sets": sets, **extra}


WORKOUT = workout(both_sides(), notes="Before squats.")
