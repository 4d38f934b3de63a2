"""The change feed of a client app: written with each change, read in commit order.

`record` is a write's last statement before its commit. It takes the next `seq` from the
app's counter with one UPDATE ... RETURNING, which locks the counter's row until the
commit: so a later seq always belongs to a later commit, and a reader that has seen seq n
will never be shown a change numbered n or lower that it missed. The lock is held only
from that statement to the commit (the idempotency record, if any, then the commit
itself), so the app's writers queue for a moment, not for their whole transactions. On
SQLite, writers are serialised by the database anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.models import Change, ClientApp
from app.models.base import utc_now


class ChangeType(StrEnum):
    ATHLETE_CREATED = "athlete.created"
    ATHLETE_UPDATED = "athlete.updated"
    ATHLETE_DELETED = "athlete.deleted"
    WORKOUT_CREATED = "workout.created"
    WORKOUT_UPDATED = "workout.updated"
    WORKOUT_DELETED = "workout.deleted"


def record(
    session: Session,
    client_app_id: int,
    change: ChangeType,
    athlete_id: uuid.UUID,
    workout_id: uuid.UUID | None = None,
) -> int:
    """Append a change to the app's feed, in the caller's transaction; its seq."""
    seq: int = session.execute(
        update(ClientApp)
        .where(ClientApp.id == client_app_id)
        .values(last_change_seq=ClientApp.last_change_seq + 1)
        .returning(ClientApp.last_change_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.execute(
        insert(Change).values(
            client_app_id=client_app_id,
            seq=seq,
            type=change.value,
            athlete_id=athlete_id,
            workout_id=workout_id,
            occurred_at=utc_now(),
        )
    )
    return seq


def list_changes(
    session: Session,
    client_app_id: int,
    *,
    after: int,
    limit: int,
    types: Sequence[str] = (),
) -> Sequence[Change]:
    """Changes after seq `after`, oldest first, by the (client app, seq) index."""
    query = select(Change).where(Change.client_app_id == client_app_id, Change.seq > after)
    if types:
        query = query.where(Change.type.in_(types))
    return session.scalars(query.order_by(Change.seq).limit(limit)).all()


def latest_seq(session: Session, client_app_id: int) -> int:
    found = session.scalar(select(ClientApp.last_change_seq).where(ClientApp.id == client_app_id))
    return found or 0
