"""Opaque, signed cursors and the one pager every list goes through."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from flask import Response, current_app
from itsdangerous import BadSignature, Signer
from itsdangerous.encoding import base64_decode, base64_encode

from app.web.conditional import JSON_MEDIA_TYPE, dumps
from app.web.problems import Problem, validation_problem

T = TypeVar("T")
SortKey = list[Any]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
CURSOR_MAX_LENGTH = 256


def query_scope(path: str, filters: Mapping[str, Any]) -> str:
    """A short fingerprint of a list and its filters: a cursor only works for its own query."""
    canonical = json.dumps([path, sorted((k, v) for k, v in filters.items() if v is not None)])
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class CursorCodec:
    """Signs cursors with the app's secret (itsdangerous): a tampered cursor fails the check,
    never the query."""

    def __init__(self, secret: bytes) -> None:
        self._signer = Signer(secret, salt="psoas-api.cursor", digest_method=hashlib.sha256)

    def encode(self, after: SortKey, scope: str) -> str:
        payload = json.dumps({"a": after, "q": scope}, separators=(",", ":")).encode()
        return self._signer.sign(base64_encode(payload)).decode("ascii")

    def decode(self, cursor: str, scope: str) -> SortKey:
        try:
            signed = cursor.encode("ascii")
            payload = self._signer.unsign(signed)
        except (UnicodeError, BadSignature):
            raise invalid_cursor("was altered or was not made by this API") from None
        # base64 ignores the spare bits of a last character: only our own spelling counts.
        if self._signer.sign(payload) != signed:
            raise invalid_cursor("was altered or was not made by this API")
        try:
            decoded = json.loads(base64_decode(payload))
        except ValueError:  # signed by us, so never; but a cursor is no reason for a 500
            raise invalid_cursor("is malformed") from None
        if decoded["q"] != scope:
            raise invalid_cursor("belongs to a query with other filters")
        after: SortKey = decoded["a"]
        return after


def invalid_cursor(reason: str) -> Problem:
    message = f"The cursor {reason}; use a next_cursor this list returned, with the same filters."
    return validation_problem(
        [{"location": "query", "field": "cursor", "message": message}], detail=message
    )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None

    def link_header(self, path: str, query: Mapping[str, Any]) -> str | None:
        """RFC 8288 `Link` to the next page, relative to the request's own URL."""
        if self.next_cursor is None:
            return None
        params = {k: v for k, v in query.items() if v is not None and k != "cursor"}
        params["cursor"] = self.next_cursor
        return f'<{path}?{urlencode(params)}>; rel="next"'


def paginate(
    items: Sequence[T],
    *,
    sort_key: Callable[[T], SortKey],
    page_size: int,
    cursor: str | None,
    scope: str,
    codec: CursorCodec,
) -> Page[T]:
    """One page of `items` (already sorted by `sort_key`) after the cursor's position.

    Keyset, not offset: a cursor names the last item seen, so pages stay right
    when items are added or removed between requests.
    """
    start = 0
    if cursor is not None:
        after = codec.decode(cursor, scope)
        start = next((i for i, item in enumerate(items) if sort_key(item) > after), len(items))
    chunk = list(items[start : start + page_size])
    has_more = start + page_size < len(items)
    next_cursor = codec.encode(sort_key(chunk[-1]), scope) if has_more and chunk else None
    return Page(chunk, next_cursor)


def fetched_page(
    rows: Sequence[T],
    *,
    page_size: int,
    sort_key: Callable[[T], SortKey],
    scope: str,
    codec: CursorCodec,
) -> Page[T]:
    """A page from a query that fetched page_size + 1 rows: the extra one says there is more."""
    chunk = list(rows[:page_size])
    has_more = len(rows) > page_size
    next_cursor = codec.encode(sort_key(chunk[-1]), scope) if has_more and chunk else None
    return Page(chunk, next_cursor)


def codec() -> CursorCodec:
    """The app's one cursor signer: the catalog's lists and the athletes' use it alike."""
    cursors: CursorCodec = current_app.extensions["cursor_codec"]
    return cursors


def keyset_position(query: Mapping[str, Any], scope: str) -> tuple[datetime, uuid.UUID] | None:
    """The (timestamp, id) a cursor names; the stored lists sort by exactly that pair."""
    if "cursor" not in query:
        return None
    stamp, row_id = codec().decode(query["cursor"], scope)
    return datetime.fromisoformat(stamp), uuid.UUID(row_id)


def list_response(
    page: Page[Any], items: list[Any], path: str, query: Mapping[str, Any]
) -> Response:
    """A page of a stored list: never cached, `Link` to the next page when there is one."""
    body = dumps({"items": items, "next_cursor": page.next_cursor})
    response = Response(body, mimetype=JSON_MEDIA_TYPE, headers={"Cache-Control": "no-store"})
    params = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in query.items()}
    link = page.link_header(path, params)
    if link:
        response.headers["Link"] = link
    return response
