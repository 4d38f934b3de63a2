"""The change feed's schemas."""

from __future__ import annotations

from marshmallow import fields

from app.services.changes import ChangeType
from app.web.enums import shared_enum
from app.web.schemas import PageQuerySchema, StrictSchema


class ChangeSchema(StrictSchema):
    seq = fields.Integer(
        required=True,
        metadata={
            "description": "The change's place in this client app's feed: 1, 2, 3... in "
            "commit order, with no gap."
        },
    )
    type = shared_enum(
        fields.Enum(
            ChangeType,
            by_value=True,
            required=True,
            metadata={"description": "What happened, to which kind of resource."},
        ),
        "ChangeType",
    )
    athlete_id = fields.UUID(
        required=True, metadata={"description": "The athlete, or the workout's athlete."}
    )
    workout_id = fields.UUID(
        required=True,
        allow_none=True,
        metadata={"description": "The workout (`workout.*`); null for `athlete.*`."},
    )
    occurred_at = fields.AwareDateTime(
        required=True, metadata={"description": "When the change was written (UTC)."}
    )
    tombstone = fields.Boolean(
        required=True,
        metadata={
            "description": "True for a deletion: the resource is gone. An "
            "`athlete.deleted` took the athlete's workouts with it (no `workout.deleted` "
            "follows for each)."
        },
    )
    url = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Where the resource is read now (it may have changed again "
            "since); null for a deletion."
        },
    )


class ChangeFeedSchema(StrictSchema):
    items = fields.List(fields.Nested(ChangeSchema), required=True)
    next_cursor = fields.String(
        required=True,
        metadata={
            "description": "Where to resume: pass it as `cursor` next time, whether or not "
            "`has_more`. Keep it: it is a position in the feed, not a page of a query."
        },
    )
    has_more = fields.Boolean(
        required=True,
        metadata={"description": "More changes are there now: ask again at once."},
    )


class ChangeQuerySchema(PageQuerySchema):
    pass
