"""Examples for the athletes part of the spec."""

ATHLETE_ID = "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1c7e30"
ATHLETE_EXAMPLE = {
    "id": ATHLETE_ID,
    "external_id": "user-8812",
    "display_name": "Sam",
    "created_at": "2026-11-20T08:00:00+00:00",
    "updated_at": "2026-11-20T08:00:00+00:00",
}
SESSION_EXAMPLE = {
    "id": "c2e0a7d4-91f3-4b8e-8a61-5f0d3e9b2c14",
    "athlete_id": ATHLETE_ID,
    "performed_at": "2026-11-21T06:30:00+00:00",
    "exercise": "half-kneeling-banded-psoas-hold",
    "band_tension": "medium",
    "shoulder_flexion": False,
    "reps": [{"hold_seconds": 5.0, "strict_form": True, "high_flexion": True}] * 5,
    "verdict": "mastered",
    "created_at": "2026-11-21T06:31:02+00:00",
}
SESSION_REQUEST_EXAMPLE = {
    "exercise": "half-kneeling-banded-psoas-hold",
    "band_tension": "medium",
    "shoulder_flexion": False,
    "reps": [{"hold_seconds": 5, "strict_form": True, "high_flexion": True}] * 5,
    "performed_at": "2026-11-21T07:30:00+01:00",
}
PROGRESS_EXAMPLE = {
    "athlete_id": ATHLETE_ID,
    "exercises": [
        {
            "exercise": "half-kneeling-banded-psoas-hold",
            "level": 3,
            "sessions": 12,
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
        "reps": 3,
        "hold_seconds": 2,
    },
    "reasons": [
        {
            "rule": "counting-rep",
            "message": "5 of 5 rep(s) counted (held at least 2 s, strict form, high hip flexion).",
        },
        {
            "rule": "mastered-set",
            "message": "5 counting reps held at least 5 s: the set is mastered.",
        },
        {"rule": "step-up", "message": "Band medium to heavy, same level."},
        {"rule": "restart-after-change", "message": "New position: start again at 3 reps x 2 s."},
        {
            "rule": "history",
            "message": "The last 2 sessions at this position were mastered: step up.",
        },
    ],
}
