"""Client apps and their API keys: made, listed, revoked, and checked on each request.

A live key (`psk_...`) reaches its client app's data; a sandbox key (`psk_test_...`)
reaches the app's sandbox, a twin client app made with its first sandbox key, whose
athletes, workouts, change feed and webhooks are its own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiKey, ClientApp
from app.models.base import utc_now
from app.services.errors import NotFound

KEY_PREFIX, SANDBOX_KEY_PREFIX = "psk_", "psk_test_"
# psk_[test_]<8 lower-case hex: the public id>_<43 url-safe characters: the secret>
KEY_PATTERN = re.compile(r"psk_(?:test_)?[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
LOOKS_LIKE_A_KEY = re.compile(r"psk_(?:test_)?[0-9a-f]{8}_")
PUBLIC_PART = re.compile(r"psk_(?:test_)?[0-9a-f]{8}_")


def public_part(key: str) -> str:
    """The key's public prefix, up to its id: what is stored in clear, and listed."""
    found = PUBLIC_PART.match(key)
    return found.group(0) if found else key[: len(KEY_PREFIX) + 9]


@dataclass(frozen=True)
class KeyInfo:
    prefix: str
    client_app: str
    sandbox: bool
    created_at: datetime
    revoked_at: datetime | None


def _hash(key: str) -> str:
    # Keys are 256-bit random: a fast hash is enough, a slow KDF would only cost latency.
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, app_name: str, *, sandbox: bool = False) -> str:
    """A new key for the client app (made on first use), or for its sandbox; the only
    time the key is ever shown."""
    client_app = _app(session, app_name, sandbox=False, live=None)
    if sandbox:
        client_app = _app(session, app_name, sandbox=True, live=client_app)
    public_id = secrets.token_hex(4)
    prefix = SANDBOX_KEY_PREFIX if sandbox else KEY_PREFIX
    key = f"{prefix}{public_id}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(client_app=client_app, prefix=public_part(key), secret_hash=_hash(key)))
    session.commit()
    return key


def _app(session: Session, name: str, *, sandbox: bool, live: ClientApp | None) -> ClientApp:
    found = session.scalar(
        select(ClientApp).where(ClientApp.name == name, ClientApp.sandbox == sandbox)
    )
    if found is None:
        found = ClientApp(name=name, sandbox=sandbox, live_app_id=live.id if live else None)
        session.add(found)
        session.flush()
    return found


def list_keys(session: Session) -> list[KeyInfo]:
    rows = session.execute(
        select(ApiKey, ClientApp.name, ClientApp.sandbox)
        .join(ClientApp)
        .order_by(ClientApp.name, ClientApp.sandbox, ApiKey.created_at)
    )
    return [
        KeyInfo(key.prefix, name, sandbox, key.created_at, key.revoked_at)
        for key, name, sandbox in rows
    ]


def revoke_key(session: Session, prefix: str) -> None:
    """Revoke the key whose public prefix is `prefix` (or that begins with it)."""
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == public_part(prefix)))
    if key is None:
        raise NotFound(f"No key starts with {prefix}.")
    if key.revoked_at is None:
        key.revoked_at = utc_now()
    session.commit()


def client_app_for(session: Session, presented: str) -> int | None:
    """The client app a live key belongs to; None for anything else."""
    if not KEY_PATTERN.fullmatch(presented):
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == public_part(presented)))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _hash(presented)):
        return None
    return key.client_app_id
