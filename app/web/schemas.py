"""Schemas shared by every resource: problems, list envelopes, paging parameters."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from app.web.pagination import (
    CURSOR_MAX_LENGTH,
    CURSOR_PATTERN,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
)


class StrictSchema(ma.Schema):
    """Unknown fields are an error, never silently dropped; text must be storable."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def refuse_unstorable_text(self, data: Any, **_kwargs: Any) -> Any:
        field = _first_unstorable(data)
        if field:
            raise ma.ValidationError({field: ["Contains NUL or an unpaired surrogate."]})
        return data


SERVER_OWNED = (
    "id",
    "created_at",
    "updated_at",
    "client_app_id",
    "client_app",
    "tenant",
    "tenant_id",
    "version",
    "athlete_id",
    "verdict",
    "counted",
    "counting",
)


class RefusesServerOwnedFields(StrictSchema):
    """A body naming a server-owned field is a 422 that says so (mass assignment)."""

    @ma.pre_load
    def refuse_server_owned(self, data: Any, **_kwargs: Any) -> Any:
        if isinstance(data, dict):
            owned = sorted(name for name in data if name in SERVER_OWNED)
            if owned:
                raise ma.ValidationError(
                    {name: ["Server-owned: the API sets it; leave it out."] for name in owned}
                )
        return data


class QueryInteger(fields.Integer):
    """A whole number in ASCII digits: no "+", spaces or digits of other scripts."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,9}", value):
            raise self.make_error("invalid")
        result: int = super()._deserialize(value, attr, data, **kwargs)
        return result


# The offset too is checked here: Python reads "-00:60" as an hour, and "-00:99" as well.
RFC_3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)"
)


class Rfc3339DateTime(fields.AwareDateTime):
    """A timestamp exactly as RFC 3339 writes it (an offset required), served in UTC."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or not RFC_3339.fullmatch(value):
            raise ma.ValidationError(
                "Not an RFC 3339 timestamp with an offset, e.g. 2026-11-20T07:30:00+01:00."
            )
        moment = super()._deserialize(value.upper(), attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # e.g. 9999-12-31T23:59:59-23:59 is in the year 10000 in UTC
            raise ma.ValidationError(
                "Out of range: in UTC the instant must fall between years 1 and 9999."
            ) from None


def performed_at_field(what: str) -> Rfc3339DateTime:
    return Rfc3339DateTime(
        required=True,
        metadata={
            "description": f"When the {what} was done: RFC 3339 with an offset, not in the "
            "future (5 minutes of clock skew allowed), not before 2000.",
            "example": "2026-11-20T07:30:00+01:00",
        },
    )


def performed_after_field(what: str) -> Rfc3339DateTime:
    return Rfc3339DateTime(
        metadata={"description": f"Only {what} at or after this instant (RFC 3339)."}
    )


def performed_before_field(what: str) -> Rfc3339DateTime:
    return Rfc3339DateTime(metadata={"description": f"Only {what} before this instant (RFC 3339)."})


class JsonInteger(fields.Integer):
    """A JSON integer, as JSON Schema means it: no strings, no booleans, 3.0 allowed."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        result: int = super()._deserialize(value, attr, data, **kwargs)
        return result


class JsonNumber(fields.Float):
    """A JSON number: no strings, no booleans."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        result: float = super()._deserialize(value, attr, data, **kwargs)
        return result


class JsonBoolean(fields.Boolean):
    """A JSON boolean: `true` or `false`, not "yes", 1 or "on"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


# Written the same in Python and ECMA-262, so the spec's pattern and the check agree.
NO_NUL = r"^[^\x00]*$"
NOT_ONLY_SPACES = r"^[^\x00]*[^\x00\t\n\v\f\r ][^\x00]*$"


def not_only_spaces(value: str) -> None:
    if value and not re.search(NOT_ONLY_SPACES, value):  # empty: Length says so
        raise ma.ValidationError("Must contain something other than spaces, and no NUL.")


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_text(value: str) -> bool:
    """NUL and unpaired surrogates: no database stores them, no client can mean them."""
    return UNSTORABLE.search(value) is not None


def _any_unstorable(data: Any) -> bool:
    if isinstance(data, str):
        return unstorable_text(data)
    if isinstance(data, dict):
        return any(_any_unstorable(value) for value in data.values())
    if isinstance(data, list):
        return any(_any_unstorable(value) for value in data)
    return False


def _first_unstorable(data: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first unstorable string in `data`, if any."""
    if not path and not _any_unstorable(data):  # the usual answer, found without paths
        return None
    if isinstance(data, str):
        return ".".join(path) or "(body)" if unstorable_text(data) else None
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found = _first_unstorable(value, (*path, str(key)))
        if found:
            return found
    return None


class FieldErrorSchema(StrictSchema):
    location = fields.String(
        required=True,
        metadata={"description": "Where the field is: `query`, `path`, `header` or `body`."},
    )
    field = fields.String(
        required=True,
        metadata={"description": "The parameter or body field, dotted for nested fields."},
    )
    message = fields.String(required=True, metadata={"description": "What is wrong with it."})


class ProblemSchema(StrictSchema):
    """RFC 9457 problem details."""

    type = fields.String(
        required=True,
        metadata={
            "description": "A URI naming the kind of problem; `about:blank` for plain HTTP errors."
        },
    )
    title = fields.String(required=True, metadata={"description": "A short summary of the kind."})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    detail = fields.String(
        required=True, metadata={"description": "What went wrong with this request, for a person."}
    )
    instance = fields.String(metadata={"description": "The path of the request."})
    request_id = fields.String(
        allow_none=True,
        metadata={"description": "This request's X-Request-ID: quote it when reporting a problem."},
    )
    errors = fields.List(
        fields.Nested(FieldErrorSchema),
        metadata={"description": "On 422 only: one entry per offending field."},
    )


class PageQuerySchema(StrictSchema):
    page_size = QueryInteger(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(1, MAX_PAGE_SIZE),
        metadata={"description": f"Items per page, 1-{MAX_PAGE_SIZE}."},
    )
    cursor = fields.String(
        validate=[validate.Length(max=CURSOR_MAX_LENGTH), validate.Regexp(CURSOR_PATTERN)],
        metadata={
            "description": "Opaque: the `next_cursor` of the previous page, with the same filters.",
        },
    )


def list_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The `{"items": [...], "next_cursor": ...}` envelope of a list."""
    return type(
        name,
        (StrictSchema,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last."},
            ),
        },
    )
