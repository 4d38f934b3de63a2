"""Examples for the deprecated sessions routes."""

from app.api.shared.examples import ATHLETE_ID

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
