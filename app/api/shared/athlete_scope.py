"""What every route under /v1/athletes shares: its security, and the caller's own athlete."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.models import Athlete
from app.services import athletes as athletes_service
from app.web.auth import current_client_app

SECURED = {"security": [{"bearerAuth": []}]}


def owned_athlete(db: Session, athlete_id: uuid.UUID, lock: str | None = None) -> Athlete:
    """The athlete, if it is the caller's client app's: another app's is a 404."""
    return athletes_service.get_athlete(db, current_client_app(), athlete_id, lock=lock)
