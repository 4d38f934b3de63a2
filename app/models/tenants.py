"""Client apps (tenants), their API keys, and the idempotency keys of their writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utc_now


class ClientApp(Base):
    """A client app, or its sandbox: a twin with its own data, reached by `psk_test_` keys.

    Every row of a client's data names one of the two, so sandbox and live data never
    meet: the sandbox is simply another tenant, tied to its live app by `live_app_id`.
    """

    __tablename__ = "client_apps"
    __table_args__ = (UniqueConstraint("name", "sandbox"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    sandbox: Mapped[bool] = mapped_column(Boolean, default=False)
    live_app_id: Mapped[int | None] = mapped_column(
        ForeignKey("client_apps.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # The seq of the app's latest change (app/models/changes.py); locked by each write.
    last_change_seq: Mapped[int] = mapped_column(Integer, default=0)

    keys: Mapped[list[ApiKey]] = relationship(back_populates="client_app")


class ApiKey(Base):
    """An API key: its public prefix, to find it, and a hash of the whole key, to check it."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_app_id: Mapped[int] = mapped_column(
        ForeignKey("client_apps.id", ondelete="CASCADE"), index=True
    )
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client_app: Mapped[ClientApp] = relationship(back_populates="keys")


class IdempotencyRecord(Base):
    """A write's Idempotency-Key and the answer it got, kept so a replay gets it again."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("client_app_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_app_id: Mapped[int] = mapped_column(ForeignKey("client_apps.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


__all__ = ["ApiKey", "ClientApp", "IdempotencyRecord"]
