"""Examples for the athletes part of the spec."""

ATHLETE_ID = "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1c7e30"
ATHLETE_EXAMPLE = {
    "id": ATHLETE_ID,
    "external_id": "user-8812",
    "display_name": "Sam",
    "created_at": "2026-11-20T08:00:00+00:00",
    "updated_at": "2026-11-20T08:00:00+00:00",
}
