"""Client apps and their API keys: made, listed, revoked, and checked on each request."""

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

KEY_PREFIX = "psk_"
# psk_<8 lower-case hex: the public id>_<43 url-safe characters: the secret>
KEY_PATTERN = re.compile(r"psk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
LOOKS_LIKE_A_KEY = re.compile(r"psk_[0-9a-f]{8}_")


@dataclass(frozen=True)
class KeyInfo:
    prefix: str
    client_app: str
    created_at: datetime
    revoked_at: datetime | None


def _hash(key: str) -> str:
    # Keys are 256-bit random: a fast hash is enough, a slow KDF would only cost latency.
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, app_name: str) -> str:
    """A new key for the client app (made on first use); the only time it is ever shown."""
    client_app = session.scalar(select(ClientApp).where(ClientApp.name == app_name))
    if client_app is None:
        client_app = ClientApp(name=app_name)
        session.add(client_app)
    public_id = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{public_id}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(client_app=client_app, prefix=key[:13], secret_hash=_hash(key)))
    session.commit()
    return key


def list_keys(session: Session) -> list[KeyInfo]:
    rows = session.execute(
        select(ApiKey, ClientApp.name).join(ClientApp).order_by(ClientApp.name, ApiKey.created_at)
    )
    return [KeyInfo(key.prefix, name, key.created_at, key.revoked_at) for key, name in rows]


def revoke_key(session: Session, prefix: str) -> None:
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise NotFound(f"No key starts with {prefix}.")
    if key.revoked_at is None:
        key.revoked_at = utc_now()
    session.commit()


def client_app_for(session: Session, presented: str) -> int | None:
    """The client app a live key belongs to; None for anything else."""
    if not KEY_PATTERN.fullmatch(presented):
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == presented[:13]))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _hash(presented)):
        return None
    return key.client_app_id
