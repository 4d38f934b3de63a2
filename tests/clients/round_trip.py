"""A new athlete follows the API for DAYS days with a client generated from the committed
spec by openapi-python-client, checked with `mypy --strict`: each day it takes the
recommendation and logs it back, to the letter, as a workout. No cast, no `Any`: what the
API answers types as what it takes. One JSON line per day on stdout, for the test.

Usage: python round_trip.py BASE_URL API_KEY EXTERNAL_ID DAYS (psoas_api_client importable)
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime, timedelta

from psoas_api_client import AuthenticatedClient
from psoas_api_client.api.athletes import create_athlete
from psoas_api_client.api.recommendations import get_recommendation
from psoas_api_client.api.workouts import log_workout
from psoas_api_client.models import (
    AthleteCreate,
    Decision,
    Next,
    Problem,
    Rep,
    Set,
    Side,
    Verdict,
    WorkoutContext,
    WorkoutCreate,
)


def workout_from(next_: Next, performed_at: datetime) -> WorkoutCreate:
    rep = Rep(hold_seconds=next_.hold_seconds, strict_form=True, high_flexion=True)
    sets = [
        Set(
            exercise=next_.exercise,
            side=side,
            band_tension=next_.band_tension,
            shoulder_flexion=next_.shoulder_flexion,
            reps=[rep] * next_.reps,
        )
        for side in (Side.LEFT, Side.RIGHT)
        for _ in range(next_.sets)
    ]
    return WorkoutCreate(performed_at=performed_at, context=WorkoutContext.ACTIVATION, sets=sets)


def fail(step: str, answer: Problem | None) -> None:
    raise SystemExit(f"{step}: {answer.to_dict() if answer else 'no answer'}")


def main(base_url: str, api_key: str, external_id: str, days: int) -> None:
    with AuthenticatedClient(base_url=base_url, token=api_key) as client:
        athlete = create_athlete.sync(
            client=client,
            body=AthleteCreate(external_id=external_id),
            idempotency_key=str(uuid.uuid4()),
        )
        if athlete is None or isinstance(athlete, Problem):
            return fail("create", athlete)
        # Training days one day apart, the last one an hour ago (never in the future).
        first = datetime.now(UTC) - timedelta(hours=1, days=days - 1)
        for day in range(days):
            advice = get_recommendation.sync(athlete.id, client=client)
            if advice is None or isinstance(advice, Problem):
                return fail("recommend", advice)
            next_: Next = advice.next_
            workout = log_workout.sync(
                athlete.id,
                client=client,
                body=workout_from(next_, first + timedelta(days=day)),
                idempotency_key=str(uuid.uuid4()),
            )
            if workout is None or isinstance(workout, Problem):
                return fail("log", workout)
            verdict: Verdict | None = workout.verdict
            decision: Decision = advice.decision
            line = {"decision": decision, "next": next_.to_dict(), "workout": str(workout.id)}
            print(json.dumps({**line, "verdict": verdict}))
        last = get_recommendation.sync(athlete.id, client=client)
        if last is None or isinstance(last, Problem):
            return fail("recommend", last)
        based_on = [str(workout_id) for workout_id in last.based_on]
        print(json.dumps({**last.to_dict(), "based_on": based_on}))
    return None


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
