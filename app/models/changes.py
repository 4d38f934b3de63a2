"""The change feed: what happened to a client app's athletes and workouts, in commit order."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Change(Base):
    """One change, written in the transaction that made it (a transactional outbox).

    `seq` numbers a client app's changes 1, 2, 3... with no gap, in the order their
    transactions committed: it is taken from the app's counter (ClientApp.last_change_seq)
    as the transaction's last write, and the counter's row stays locked until the commit.
    The ids are plain values, not foreign keys: a deletion's tombstone outlives its row.
    """

    __tablename__ = "changes"
    __table_args__ = (UniqueConstraint("client_app_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_app_id: Mapped[int] = mapped_column(ForeignKey("client_apps.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    athlete_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    workout_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
