"""Idempotent writes: a replayed key gets the first answer, and nothing is stored twice.

The key is recorded in the same transaction as the write it protects, so a
write and its key commit together or not at all. While that transaction runs,
the key is locked: on PostgreSQL with a transaction-scoped advisory lock (held
across every instance), on SQLite with a lock in this process; a replay that
finds the lock taken is told the first request is still in flight. The unique
(client app, key) constraint backs both.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import IdempotencyRecord
from app.models.base import utc_now
from app.services.errors import Conflict, Invalid

KEEP_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    response: StoredResponse
    replayed: bool


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


_local_locks: dict[tuple[int, str], threading.Lock] = {}
_local_locks_guard = threading.Lock()


@contextmanager
def key_lock(session: Session, client_app_id: int, key: str) -> Iterator[None]:
    """Hold the key for this transaction, or refuse at once if another request holds it."""
    if session.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(f"{client_app_id}:{key}".encode()).digest()
        lock_id = int.from_bytes(digest[:8], "big", signed=True)
        taken = session.scalar(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": lock_id})
        if not taken:
            raise in_flight()
        yield  # released by the transaction's end
        return
    with _local_locks_guard:
        lock = _local_locks.setdefault((client_app_id, key), threading.Lock())
    if not lock.acquire(blocking=False):
        raise in_flight()
    try:
        yield
    finally:
        lock.release()


def in_flight() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is still in flight; retry when it has finished.",
        field="Idempotency-Key",
    )


def run_once(
    session: Session,
    client_app_id: int,
    key: str,
    request_fingerprint: str,
    write: Callable[[Session], StoredResponse],
) -> Outcome:
    """Do `write` once per key; a replay with the same request returns the stored answer."""
    with key_lock(session, client_app_id, key):
        record = _live_record(session, client_app_id, key)
        if record is not None:
            session.commit()
            return Outcome(_replay(record, request_fingerprint), replayed=True)
        response = write(session)
        now = utc_now()
        session.add(
            IdempotencyRecord(
                client_app_id=client_app_id,
                key=key,
                fingerprint=request_fingerprint,
                status=response.status,
                body=response.body,
                headers=response.headers,
                created_at=now,
                expires_at=now + KEEP_FOR,
            )
        )
        try:
            session.commit()
        except IntegrityError:
            # Another process stored this key first (only possible without a shared lock).
            session.rollback()
            record = _live_record(session, client_app_id, key)
            if record is None:
                raise
            return Outcome(_replay(record, request_fingerprint), replayed=True)
        return Outcome(response, replayed=False)


def _live_record(session: Session, client_app_id: int, key: str) -> IdempotencyRecord | None:
    record = session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.client_app_id == client_app_id, IdempotencyRecord.key == key
        )
    )
    if record is not None and record.expires_at <= utc_now():
        session.delete(record)
        session.flush()
        return None
    return record


def _replay(record: IdempotencyRecord, request_fingerprint: str) -> StoredResponse:
    if record.fingerprint != request_fingerprint:
        raise Invalid(
            "This Idempotency-Key was used for another request; use a new key for a new request.",
            field="Idempotency-Key",
        )
    return StoredResponse(record.status, record.body, dict(record.headers))


def purge_expired(session: Session) -> int:
    """Delete the records past their 24 hours; returns how many went."""
    count = (
        session.scalar(select(func.count()).where(IdempotencyRecord.expires_at <= utc_now())) or 0
    )
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utc_now()))
    session.commit()
    return count
