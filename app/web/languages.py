"""Accept-Language (RFC 9110 12.5.4): the language of an answer that comes in several.

werkzeug parses the header (ranges in order of preference, malformed parts ignored); the
choice is RFC 4647's "lookup": for each range the client accepts, most preferred first,
drop subtags from the end until a language we serve matches, so `de-CH, en;q=0.5` is
German, not English (werkzeug's own `best_match` prefers any exact match, at any weight).
"""

from __future__ import annotations

from functools import lru_cache

from flask import request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header


def negotiated(available: tuple[str, ...]) -> str:
    """The best of `available` for this request; the first of them when nothing matches."""
    header = request.headers.get("Accept-Language")
    if not header:  # most API clients send none: no parsing on the hot path
        return available[0]
    return lookup(header, available)


@lru_cache(maxsize=256)  # browsers send a handful of distinct headers, over and over
def lookup(header: str, available: tuple[str, ...]) -> str:
    ranges = parse_accept_header(header, LanguageAccept)
    # werkzeug orders by specificity before quality (`*` before `de;q=0.1`); preference
    # is the quality alone, and the sort keeps the header's order among equals.
    for language_range, quality in sorted(ranges, key=lambda r: -r[1]):
        if quality <= 0:
            continue
        if language_range == "*":
            break
        subtags = language_range.lower().replace("_", "-").split("-")
        while subtags:
            if (tag := "-".join(subtags)) in available:
                return tag
            subtags.pop()
    return available[0]
