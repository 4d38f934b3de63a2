"""Examples for the athletes part of the spec."""

from app.api.shared.examples import ATHLETE_ID

ATHLETE_EXAMPLE = {
    "id": ATHLETE_ID,
    "external_id": "user-8812",
    "display_name": "Sam",
    "created_at": "2026-11-20T08:00:00+00:00",
    "updated_at": "2026-11-20T08:00:00+00:00",
}
