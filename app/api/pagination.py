"""Opaque, signed cursors and the one pager every list goes through."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from app.api.problems import Problem, validation_problem

T = TypeVar("T")
SortKey = list[Any]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
CURSOR_MAX_LENGTH = 256


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def query_scope(path: str, filters: Mapping[str, Any]) -> str:
    """A short fingerprint of a list and its filters: a cursor only works for its own query."""
    canonical = json.dumps([path, sorted((k, v) for k, v in filters.items() if v is not None)])
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CursorCodec:
    """Signs cursors with the app's secret: a tampered cursor fails the check, never the query."""

    secret: bytes

    def encode(self, after: SortKey, scope: str) -> str:
        payload = json.dumps({"a": after, "q": scope}, separators=(",", ":"))
        raw = payload.encode()
        return f"{_b64encode(raw)}.{_b64encode(self._sign(raw))}"

    def decode(self, cursor: str, scope: str) -> SortKey:
        try:
            payload_part, signature_part = cursor.split(".")
            raw = _b64decode(payload_part)
            signature = _b64decode(signature_part)
        except (ValueError, binascii.Error):
            raise invalid_cursor("is malformed") from None
        # base64 ignores the spare bits of its last character: only our own spelling counts.
        if (_b64encode(raw), _b64encode(signature)) != (payload_part, signature_part):
            raise invalid_cursor("was altered or was not made by this API")
        if not hmac.compare_digest(signature, self._sign(raw)):
            raise invalid_cursor("was altered or was not made by this API")
        payload = json.loads(raw)
        if payload["q"] != scope:
            raise invalid_cursor("belongs to a query with other filters")
        after: SortKey = payload["a"]
        return after

    def _sign(self, raw: bytes) -> bytes:
        return hmac.new(self.secret, raw, hashlib.sha256).digest()[:16]


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
