"""API keys: only as `Authorization: Bearer <key>`; anywhere else a key is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import unquote_plus

from flask import Flask, g, request

from app.api.problems import Problem
from app.db import get_session
from app.services.keys import LOOKS_LIKE_A_KEY, client_app_for

REALM = 'Bearer realm="psoas-api"'


def unauthorized(detail: str, error: str | None = None) -> Problem:
    challenge = f'{REALM}, error="{error}"' if error else REALM
    return Problem(401, detail, headers={"WWW-Authenticate": challenge})


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
    client_app_id = client_app_for(get_session(), presented.strip())
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
    yield "the URL", _percent_decoded(request.path)
    yield "the query string", _percent_decoded(request.query_string.decode("latin-1"))
    yield (
        "another header",
        " ".join(value for name, value in request.headers.items() if name != "Authorization"),
    )
    body = request.get_data(cache=True).decode("utf-8", "replace")
    yield "the body", body
    if "\\u" in body:  # JSON escapes can spell a key: look at the decoded strings too
        try:
            yield "the body", json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            pass


def _percent_decoded(text: str) -> str:
    # Twice-encoded URLs reach us with "%" left in them; most URLs have none to decode.
    return unquote_plus(text) if "%" in text else text


def init_app(app: Flask) -> None:
    app.before_request(refuse_keys_outside_the_authorization_header)
