"""JSON bodies parsed within limits no real client reaches, so no body can crash a reader.

Python's parser accepts what only an attack sends: nesting deep enough to exhaust the
recursion of every function that walks the result (about 330 levels here), integers of more
than 4,300 digits (Python refuses to make them, with a ValueError no JSON reader expects),
and `NaN` and `Infinity`, which are not JSON. Each is a JSONDecodeError here, which every
reader (webargs, Flask's `get_json`, the key scan) already answers as "not valid JSON".
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

# Our deepest body (a workout's set with its reps) is 4 levels deep.
MAX_DEPTH = 32
# A JSON number longer than this means nothing to a training log (or to a float).
MAX_NUMBER_LENGTH = 100


def loads(document: str | bytes | bytearray) -> Any:
    """`json.loads`, refusing what only an attack sends; raises `json.JSONDecodeError`.

    Bytes that are not UTF-8 raise UnicodeDecodeError, as `json.loads` does.
    """
    text = document.decode("utf-8") if isinstance(document, bytes | bytearray) else document
    try:
        data = json.loads(
            text,
            parse_int=_bounded(int, text),
            parse_float=_bounded(float, text),
            parse_constant=_no_constant(text),
        )
    except RecursionError:
        raise _too_deep(text) from None
    if _deeper_than(data, MAX_DEPTH):
        raise _too_deep(text)
    return data


def _bounded(kind: type[int] | type[float], text: str) -> Any:
    def parse(literal: str) -> int | float:
        if len(literal) > MAX_NUMBER_LENGTH:
            raise json.JSONDecodeError(
                f"a number longer than {MAX_NUMBER_LENGTH} characters", text, text.find(literal)
            )
        return kind(literal)

    return parse


def _no_constant(text: str) -> Any:
    def refuse(name: str) -> None:
        raise json.JSONDecodeError(f"{name} is not JSON", text, text.find(name))

    return refuse


def _too_deep(text: str) -> json.JSONDecodeError:
    return json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text, 0)


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (without recursing)."""
    pending = [(data, 1)] if isinstance(data, dict | list) else []
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading request bodies with `loads` above (`request.get_json`)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)
