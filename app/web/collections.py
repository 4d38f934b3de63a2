"""Read-only collections served from precomputed bodies: items, pages and ETags built once.

For data that only changes with a deploy (the catalog): every GET is answered from
these bodies; list pages are computed once per distinct query and kept in a bounded,
least-recently-built table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from cachetools import LRUCache

from app.web.conditional import Representation
from app.web.pagination import CursorCodec, SortKey, paginate, query_scope
from app.web.problems import Problem

R = TypeVar("R")
PAGE_CACHE_SIZE = 1024


class Collection(Generic[R]):
    """One catalog resource: its items in list order and the answers built from them."""

    def __init__(
        self,
        path: str,
        records: Sequence[R],
        *,
        slug_of: Callable[[R], str],
        sort_key: Callable[[R], SortKey],
        dump: Callable[[R], dict[str, Any]],
        select: Callable[[Sequence[R], Mapping[str, Any]], Sequence[R]],
        codec: CursorCodec,
    ) -> None:
        self.path = path
        self.records = sorted(records, key=sort_key)
        self._slug_of, self._sort_key, self._select, self._codec = slug_of, sort_key, select, codec
        self._dumped = {slug_of(r): dump(r) for r in self.records}
        self._items = {slug: Representation.of(body) for slug, body in self._dumped.items()}
        self._pages: LRUCache[tuple[Any, ...], Representation] = LRUCache(PAGE_CACHE_SIZE)
        self._lock = threading.Lock()

    def all_items(self) -> list[dict[str, Any]]:
        """Every item's body, in list order."""
        return [self._dumped[self._slug_of(r)] for r in self.records]

    def item(self, slug: str) -> Representation:
        try:
            return self._items[slug]
        except KeyError:
            raise Problem(404, f"There is no {self.path} entry `{slug}`.") from None

    def page(self, query: Mapping[str, Any]) -> Representation:
        """The list answer for validated query parameters (filters, page_size, cursor)."""
        key = tuple(sorted((k, v) for k, v in query.items() if v is not None))
        with self._lock:  # a cachetools cache is not thread-safe, even to read
            cached = self._pages.get(key)
        if cached is None:
            cached = self._build_page(query)
            with self._lock:
                self._pages[key] = cached
        return cached

    def _build_page(self, query: Mapping[str, Any]) -> Representation:
        filters = {k: v for k, v in query.items() if k not in ("page_size", "cursor")}
        page = paginate(
            self._select(self.records, filters),
            sort_key=self._sort_key,
            page_size=query["page_size"],
            cursor=query.get("cursor"),
            scope=query_scope(self.path, filters),
            codec=self._codec,
        )
        body = {
            "items": [self._dumped[self._slug_of(r)] for r in page.items],
            "next_cursor": page.next_cursor,
        }
        link = page.link_header(self.path, query)
        return Representation.of(body, {"Link": link} if link else None)


def everything(records: Sequence[R], _filters: Mapping[str, Any]) -> Sequence[R]:
    return records
