"""API keys: only as `Authorization: Bearer <key>`; anywhere else a key is refused."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import unquote_plus

from cachetools import TTLCache
from flask import current_app, g, request

from app.services.keys import LOOKS_LIKE_A_KEY, client_app_for
from app.web import json_body
from app.web.database import get_session
from app.web.problems import Problem

REALM = 'Bearer realm="psoas-api"'


def unauthorized(detail: str, error: str | None = None) -> Problem:
    challenge = f'{REALM}, error="{error}"' if error else REALM
    return Problem(401, detail, headers={"WWW-Authenticate": challenge})


class VerifiedKeys:
    """Keys this worker verified lately, with their client apps: one lookup per key per TTL.

    Looking the key up cost a database round trip on every athlete request. A key seen in
    the last `seconds` is trusted without one, so a revocation takes up to that long to
    reach every worker (API_KEY_CACHE_SECONDS, 0 to look up every time). Only valid keys
    are kept, by hash, and at most MAX_KEYS of them (the least recently used go first).
    """

    MAX_KEYS = 10_000

    def __init__(self, seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._verified: TTLCache[bytes, int] = TTLCache(
            self.MAX_KEYS, ttl=max(seconds, 1), timer=clock
        )
        self._lock = threading.Lock()  # a cachetools cache is not thread-safe, even to read

    def client_app(self, key: str, look_up: Callable[[str], int | None]) -> int | None:
        if not self._seconds:
            return look_up(key)
        digest = hashlib.sha256(key.encode()).digest()
        with self._lock:
            client_app_id = self._verified.get(digest)
        if client_app_id is not None:
            return client_app_id
        client_app_id = look_up(key)
        if client_app_id is not None:
            with self._lock:
                self._verified[digest] = client_app_id
        return client_app_id


def require_client_app() -> None:
    """Before every athlete route: the caller's client app from its key, or a 401."""
    if request.method == "OPTIONS":
        return  # CORS preflights carry no credentials, by the Fetch standard
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if not header:
        raise unauthorized("Send your API key as `Authorization: Bearer <key>`.")
    if scheme.lower() != "bearer" or not presented.strip():
        raise unauthorized(
            "Use the Bearer scheme: `Authorization: Bearer <key>`.", "invalid_request"
        )
    verified: VerifiedKeys = current_app.extensions["verified_keys"]
    client_app_id = verified.client_app(
        presented.strip(), lambda key: client_app_for(get_session(), key)
    )
    if client_app_id is None:
        raise unauthorized("This API key is unknown or revoked.", "invalid_token")
    g.client_app_id = client_app_id


def current_client_app() -> int:
    client_app_id: int = g.client_app_id
    return client_app_id


def refuse_keys_outside_the_authorization_header() -> None:
    """A key in a URL, a body or another header leaks into logs: refuse it on every route."""
    for place, text in _places_a_key_could_hide():
        if LOOKS_LIKE_A_KEY.search(text):
            raise unauthorized(
                f"An API key was sent in {place}. Keys go only in `Authorization: Bearer "
                "<key>`; treat this one as leaked and revoke it.",
                "invalid_request",
            )


def _places_a_key_could_hide() -> Iterator[tuple[str, str]]:
    environ = request.environ
    yield "the URL", _percent_decoded(request.path)
    yield "the query string", _percent_decoded(environ.get("QUERY_STRING", ""))
    # The WSGI environ holds each header once, as HTTP_<NAME> (two without the prefix).
    yield (
        "another header",
        " ".join(
            value
            for name, value in environ.items()
            if (name.startswith("HTTP_") and name != "HTTP_AUTHORIZATION")
            or name in ("CONTENT_TYPE", "CONTENT_LENGTH")
        ),
    )
    if environ.get("CONTENT_LENGTH", "0") in ("", "0") and not environ.get("wsgi.input_terminated"):
        return  # no body: werkzeug reads none either (chunked bodies come input_terminated)
    body = request.get_data(cache=True).decode("utf-8", "replace")
    yield "the body", body
    if "\\u" in body:  # JSON escapes can spell a key: look at the decoded strings too
        try:
            yield "the body", json.dumps(json_body.loads(body), ensure_ascii=False)
        except ValueError:
            pass


def _percent_decoded(text: str) -> str:
    # Twice-encoded URLs reach us with "%" left in them; most URLs have none to decode.
    return unquote_plus(text) if "%" in text else text
