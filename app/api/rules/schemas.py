"""Rule schemas."""

from marshmallow import fields, validate

from app.api.schemas import PageQuerySchema, StrictSchema, list_schema
from app.catalog.data import DECIDED_BY, RULE_KINDS


class RuleSchema(StrictSchema):
    slug = fields.String(required=True, metadata={"example": "hold-duration"})
    name = fields.String(required=True)
    kind = fields.String(
        required=True,
        validate=validate.OneOf(RULE_KINDS),
        metadata={
            "description": "`range`: a value between `min` and `max` in `unit`; "
            "`enum`: one of `values`; `condition`: a yes/no requirement."
        },
    )
    statement = fields.String(required=True, metadata={"description": "The rule, for a person."})
    min = fields.Integer(required=True, allow_none=True)
    max = fields.Integer(required=True, allow_none=True)
    unit = fields.String(
        required=True, allow_none=True, metadata={"description": "`s`, `reps` or `deg`."}
    )
    values = fields.List(
        fields.String(),
        required=True,
        allow_none=True,
        metadata={"description": "For `enum` rules: the allowed values, in order."},
    )
    parameters = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "Further machine-readable details, specific to the rule."},
    )
    decided_by = fields.String(
        required=True,
        validate=validate.OneOf(DECIDED_BY),
        metadata={
            "description": "`article` when the rule is the article's; `project` when it is "
            "Psoas API's own decision."
        },
    )
    source = fields.String(required=True, metadata={"description": "The article's words."})
    note = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Decisions the project took in applying the rule."},
    )


RuleListSchema = list_schema(RuleSchema, "RuleList")


class RuleQuerySchema(PageQuerySchema):
    decided_by = fields.String(
        validate=validate.OneOf(DECIDED_BY),
        metadata={"description": "Only the article's rules, or only the project's decisions."},
    )
