"""Idempotent writes: a replayed key gets the first answer, and nothing is stored twice.

This is where a creation commits, with or without a key. The answer to a keyed write is
kept verbatim (`Reply`: what the caller answered, opaque here) so a replay gets it again.
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
from app.services.errors import RetryInFlight, RetryMismatch

KEEP_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Reply:
    """The first write's answer as its caller made it (a code, a text, named values)."""

    code: int
    text: str
    meta: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    reply: Reply
    replayed: bool


def fingerprint(*request: Any) -> str:
    """A digest of what identifies a write (its target and its input), in any JSON values."""
    canonical = json.dumps(list(request), sort_keys=True, separators=(",", ":"))
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


def in_flight() -> RetryInFlight:
    return RetryInFlight("The first request with this key is still in flight.")


def run_once(
    session: Session,
    client_app_id: int,
    key: str | None,
    request_fingerprint: str,
    write: Callable[[Session], Reply],
) -> Outcome:
    """Do `write` and commit, once per key; a replay of the same request gets the first reply.

    Without a key the write is simply done and committed.
    """
    if key is None:
        reply = write(session)
        session.commit()
        return Outcome(reply, replayed=False)
    with key_lock(session, client_app_id, key):
        record = _live_record(session, client_app_id, key)
        if record is not None:
            session.commit()
            return Outcome(_replay(record, request_fingerprint), replayed=True)
        reply = write(session)
        now = utc_now()
        session.add(
            IdempotencyRecord(
                client_app_id=client_app_id,
                key=key,
                fingerprint=request_fingerprint,
                status=reply.code,
                body=reply.text,
                headers=reply.meta,
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
        return Outcome(reply, replayed=False)


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


def _replay(record: IdempotencyRecord, request_fingerprint: str) -> Reply:
    if record.fingerprint != request_fingerprint:
        raise RetryMismatch("This key was used for another request.")
    return Reply(record.status, record.body, dict(record.headers))


def purge_expired(session: Session) -> int:
    """Delete the records past their 24 hours; returns how many went."""
    count = (
        session.scalar(select(func.count()).where(IdempotencyRecord.expires_at <= utc_now())) or 0
    )
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utc_now()))
    session.commit()
    return count
