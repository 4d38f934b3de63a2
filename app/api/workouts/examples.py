"""Examples for the workouts part of the spec: one real activation workout."""

from app.api.shared.examples import ATHLETE_ID, WORKOUT_ID


def _reps(*holds: float) -> list[dict[str, object]]:
    return [{"hold_seconds": h, "strict_form": True, "high_flexion": True} for h in holds]


WORKOUT_REQUEST_EXAMPLE = {
    "performed_at": "2026-11-21T07:30:00+01:00",
    "context": "activation",
    "notes": "Before squats.",
    "sets": [
        {
            "exercise": "half-kneeling-banded-psoas-hold",
            "side": "left",
            "band_tension": "medium",
            "shoulder_flexion": False,
            "reps": _reps(5, 5, 5.5, 6, 5),
            "rpe": 7,
        },
        {
            "exercise": "half-kneeling-banded-psoas-hold",
            "side": "right",
            "band_tension": "medium",
            "shoulder_flexion": False,
            "reps": _reps(5, 5, 5, 5, 5),
            "rpe": 8,
        },
    ],
    "complementary": [
        {"exercise": "deep-lunge", "side": "left", "reps": 8, "load_kg": 20},
        {"exercise": "deep-lunge", "side": "right", "reps": 8, "load_kg": 20},
    ],
}


def _out(entry: dict[str, object]) -> dict[str, object]:
    return {"pain": False, "rpe": None, **entry}


WORKOUT_EXAMPLE = {
    "id": WORKOUT_ID,
    "athlete_id": ATHLETE_ID,
    "performed_at": "2026-11-21T06:30:00+00:00",
    "context": "activation",
    "notes": "Before squats.",
    "sets": [
        {
            **_out(entry),
            "reps": [{**rep, "hold_seconds": float(rep["hold_seconds"])} for rep in entry["reps"]],
            "rpe": float(entry["rpe"]),
            "verdict": "mastered",
            "counted": True,
        }
        for entry in WORKOUT_REQUEST_EXAMPLE["sets"]
    ],
    "complementary": [
        {**_out(entry), "load_kg": 20.0} for entry in WORKOUT_REQUEST_EXAMPLE["complementary"]
    ],
    "counting": True,
    "position": {
        "exercise": "half-kneeling-banded-psoas-hold",
        "level": 3,
        "band_tension": "medium",
        "shoulder_flexion": False,
    },
    "verdict": "mastered",
    "created_at": "2026-11-21T06:31:02+00:00",
    "updated_at": "2026-11-21T06:31:02+00:00",
}
