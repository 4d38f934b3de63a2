"""Athletes of one client app: create, list, read, update with a version check, delete.

Updates and deletions commit here; a creation commits with its retry record
(app/services/idempotency.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.models import Athlete
from app.models.base import utc_now
from app.services.changes import ChangeType, record
from app.services.errors import Conflict, NotFound, Stale
from app.services.versions import Expected, check_version


def duplicate(external_id: str) -> Conflict:
    return Conflict(
        f"This client app already has an athlete with external_id `{external_id}`.",
        fields=("external_id",),
    )


def create_athlete(
    session: Session, client_app_id: int, external_id: str, display_name: str | None
) -> Athlete:
    if _by_external_id(session, client_app_id, external_id) is not None:
        raise duplicate(external_id)
    athlete = Athlete(
        client_app_id=client_app_id, external_id=external_id, display_name=display_name
    )
    session.add(athlete)
    try:
        session.flush()
    except IntegrityError:  # a concurrent create won the race for this external_id
        session.rollback()
        raise duplicate(external_id) from None
    record(session, client_app_id, ChangeType.ATHLETE_CREATED, athlete.id)
    return athlete


def _by_external_id(session: Session, client_app_id: int, external_id: str) -> Athlete | None:
    return session.scalar(
        select(Athlete).where(
            Athlete.client_app_id == client_app_id, Athlete.external_id == external_id
        )
    )


def get_athlete(
    session: Session, client_app_id: int, athlete_id: uuid.UUID, *, lock: str | None = None
) -> Athlete:
    """The athlete, if it is this client app's; another tenant's is simply not found.

    `lock="update"` (PATCH, DELETE) or `"share"` (logging a session) holds the row
    for the transaction, so concurrent writes queue up instead of colliding.
    """
    for_update: bool | dict[str, Any] = {"read": True} if lock == "share" else lock == "update"
    athlete = session.get(Athlete, athlete_id, with_for_update=for_update, populate_existing=True)
    if athlete is None or athlete.client_app_id != client_app_id:
        raise NotFound(f"There is no athlete {athlete_id}.")
    return athlete


def list_athletes(
    session: Session,
    client_app_id: int,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    external_id: str | None = None,
) -> Sequence[Athlete]:
    """One page in (created_at, id) order, found by the index, whatever the page's depth."""
    query = select(Athlete).where(Athlete.client_app_id == client_app_id)
    if external_id is not None:
        query = query.where(Athlete.external_id == external_id)
    if after is not None:
        query = query.where(tuple_(Athlete.created_at, Athlete.id) > tuple_(*after))
    return session.scalars(query.order_by(Athlete.created_at, Athlete.id).limit(limit)).all()


def update_athlete(
    session: Session, athlete: Athlete, expected: Expected | None, changes: dict[str, str | None]
) -> Athlete:
    """Apply `changes` and commit, only if `expected` names the athlete's current version."""
    check_version(expected, athlete.version, "athlete", required=True)
    new_external_id = changes.get("external_id")
    if new_external_id is not None and new_external_id != athlete.external_id:
        if _by_external_id(session, athlete.client_app_id, new_external_id) is not None:
            raise duplicate(new_external_id)
    for name, value in changes.items():
        setattr(athlete, name, value)
    athlete.updated_at = utc_now()
    try:
        # UPDATE ... WHERE version = expected: a concurrent update makes this match nothing.
        session.flush()
        record(session, athlete.client_app_id, ChangeType.ATHLETE_UPDATED, athlete.id)
        session.commit()
    except StaleDataError:
        session.rollback()
        raise Stale("athlete") from None
    except IntegrityError:
        session.rollback()
        raise duplicate(str(new_external_id)) from None
    return athlete


def delete_athlete(session: Session, athlete: Athlete, expected: Expected | None) -> None:
    """Remove the athlete and, through the foreign keys, every workout of theirs; commit."""
    check_version(expected, athlete.version, "athlete", required=False)
    deleted: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        delete(Athlete)
        .where(Athlete.id == athlete.id, Athlete.client_app_id == athlete.client_app_id)
        .execution_options(synchronize_session=False)
    )
    if deleted.rowcount == 0:  # gone in the meantime (without row locks, on SQLite)
        raise NotFound(f"There is no athlete {athlete.id}.")
    session.expunge(athlete)
    # One tombstone: the athlete's workouts went with it (no workout.deleted for each).
    record(session, athlete.client_app_id, ChangeType.ATHLETE_DELETED, athlete.id)
    session.commit()
