"""Examples for progress, the recommendation and an athlete's routine."""

from app.api.shared.examples import ATHLETE_ID, WORKOUT_ID

PROGRESS_EXAMPLE = {
    "athlete_id": ATHLETE_ID,
    "exercises": [
        {
            "exercise": "half-kneeling-banded-psoas-hold",
            "level": 3,
            "workouts": 12,
            "sets": 26,
            "counted_sets": 24,
            "sessions": 26,
            "best_hold_seconds": 5.5,
            "last_performed_at": "2026-11-21T06:30:00+00:00",
            "current_position": {"band_tension": "medium", "shoulder_flexion": False},
        }
    ],
}
RECOMMENDATION_EXAMPLE = {
    "decision": "up",
    "verdict": "mastered",
    "next": {
        "exercise": "half-kneeling-banded-psoas-hold",
        "level": 3,
        "band_tension": "heavy",
        "shoulder_flexion": False,
        "sets": 1,
        "reps": 4,
        "hold_seconds": 4,
    },
    "reasons": [
        {
            "rule": "workout-verdict",
            "message": "The latest workout (2026-11-21) at level 3, band medium: mastered, "
            "judged by the weaker side's best set.",
        },
        {
            "rule": "history",
            "message": "The last 2 counting workouts at level 3, band medium were mastered, "
            "on two training days: step up.",
        },
        {"rule": "step-up", "message": "Band medium to heavy, same level."},
        {
            "rule": "restart-after-change",
            "message": "New position (a band notch): start at 4 reps x 4 s.",
        },
    ],
    "based_on": [WORKOUT_ID, "3f7c1b2a-5d4e-4a6f-9b8c-0d1e2f3a4b5c"],
}
