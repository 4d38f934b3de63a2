"""Accept-Language (RFC 9110 12.5.4): the language of an answer that comes in several.

werkzeug parses the header (ranges in order of preference, malformed parts ignored); the
choice is RFC 4647's "lookup": for each range the client accepts, most preferred first,
drop subtags from the end until a language we serve matches, so `de-CH, en;q=0.5` is
German, not English (werkzeug's own `best_match` prefers any exact match, at any weight).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import request


def negotiated(available: Sequence[str]) -> str:
    """The best of `available` for this request; the first of them when nothing matches."""
    for language_range, quality in request.accept_languages:
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
