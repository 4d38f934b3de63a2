"""Cursor pagination: signed cursors, and every item exactly once."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.web.pagination import CursorCodec, paginate, query_scope
from app.web.problems import Problem

CODEC = CursorCodec(b"secret")
SCOPE = query_scope("/v1/things", {})


def walk(items: list[int], page_size: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = paginate(
            items,
            sort_key=lambda i: [i],
            page_size=page_size,
            cursor=cursor,
            scope=SCOPE,
            codec=CODEC,
        )
        pages.append(page.items)
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


@given(st.lists(st.integers(), unique=True).map(sorted), st.integers(1, 100))
def test_walking_the_pages_yields_every_item_once_in_order(items, page_size):
    pages = walk(items, page_size)
    assert [i for page in pages for i in page] == items
    assert all(len(page) <= page_size for page in pages)
    assert all(pages[:-1])  # no empty page before the last


def test_the_last_page_has_no_cursor():
    page = paginate(
        [1, 2], sort_key=lambda i: [i], page_size=2, cursor=None, scope=SCOPE, codec=CODEC
    )
    assert page.next_cursor is None
    assert page.link_header("/v1/things", {"page_size": 2}) is None


def test_link_header_keeps_the_filters_and_adds_the_cursor():
    page = paginate(
        [1, 2, 3], sort_key=lambda i: [i], page_size=1, cursor=None, scope=SCOPE, codec=CODEC
    )
    link = page.link_header("/v1/things", {"page_size": 1, "role": "ladder", "q": None})
    assert link == f'</v1/things?page_size=1&role=ladder&cursor={page.next_cursor}>; rel="next"'


def tampered(cursor: str) -> str:
    payload, signature = cursor.split(".")
    flipped = "A" if payload[5] != "A" else "B"
    return f"{payload[:5]}{flipped}{payload[6:]}.{signature}"


@pytest.mark.parametrize("bad", ["", "abc", "a.b.c", "!!!.???", "eyJ9.AAAA"])
def test_malformed_cursors_are_a_422_naming_the_cursor(bad):
    with pytest.raises(Problem) as caught:
        CODEC.decode(bad, SCOPE)
    assert caught.value.status == 422
    assert caught.value.errors[0]["field"] == "cursor"


def test_a_tampered_cursor_is_a_422():
    cursor = CODEC.encode([3], SCOPE)
    with pytest.raises(Problem, match="altered"):
        CODEC.decode(tampered(cursor), SCOPE)


def test_a_cursor_signed_with_another_secret_is_a_422():
    cursor = CursorCodec(b"other").encode([3], SCOPE)
    with pytest.raises(Problem, match="altered"):
        CODEC.decode(cursor, SCOPE)


def test_a_cursor_is_bound_to_its_filters():
    cursor = CODEC.encode([3], query_scope("/v1/things", {"role": "ladder"}))
    with pytest.raises(Problem, match="other filters"):
        CODEC.decode(cursor, query_scope("/v1/things", {"role": "complementary"}))


def test_a_cursor_is_bound_to_its_list():
    cursor = CODEC.encode(["a"], query_scope("/v1/muscles", {}))
    with pytest.raises(Problem, match="other filters"):
        CODEC.decode(cursor, query_scope("/v1/rules", {}))


def test_another_spelling_of_the_same_bytes_is_a_422():
    # base64 ignores the spare low bits of a final character: "...w" and "...x" decode alike.
    cursor = CODEC.encode([3], SCOPE)
    payload, signature = cursor.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    respelled = f"{payload}.{signature[:-1]}{alphabet[last ^ 1]}"
    with pytest.raises(Problem, match="altered"):
        CODEC.decode(respelled, SCOPE)
