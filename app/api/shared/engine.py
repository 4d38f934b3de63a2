"""The engine's answers, shared by evaluate and the athlete's recommendation: the set as
evaluate takes it, the decision, the next prescription and the reasons."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from app.api.shared.positions import (
    BAND_FITS_LEVEL,
    LEVEL,
    band_field,
    ladder_exercise,
    ladder_exercise_field,
    reps_field,
    shoulder_flexion_field,
)
from app.api.shared.wording import reasons_body
from app.domain.engine import Decision, Evaluation, Prescription, Verdict
from app.domain.ladder import Ladder
from app.domain.messages import Wording
from app.web.enums import shared_enum
from app.web.schemas import StrictSchema


class EvaluationRequestSchema(StrictSchema):
    exercise = ladder_exercise_field()
    band_tension = band_field(required=True)
    shoulder_flexion = shoulder_flexion_field()
    reps = reps_field()


# The spec states the engine's own constraint: the band must fit the level.
EVALUATION_REQUEST_CONSTRAINTS = [BAND_FITS_LEVEL]


class NextSchema(StrictSchema):
    # The ladder's slugs, as a set's `exercise` takes them: a client logs `next` back as is.
    exercise = ladder_exercise(required=True)
    level = fields.Integer(required=True, validate=LEVEL)
    band_tension = band_field(required=True)
    shoulder_flexion = fields.Boolean(required=True)
    sets = fields.Integer(required=True)
    reps = fields.Integer(required=True)
    hold_seconds = fields.Integer(required=True)


class ReasonSchema(StrictSchema):
    rule = shared_enum(
        fields.String(required=True, metadata={"description": "A slug of GET /v1/rules."}),
        "RuleSlug",
    )
    message = fields.String(
        required=True,
        metadata={
            "description": "What the rule says here, in the answer's language "
            "(`Content-Language`); read `rule`, not the prose."
        },
    )


def verdict_field(description: str, **kwargs: Any) -> fields.String:
    """A verdict in an answer (the `Verdict` enum): a Verdict or its stored value."""
    return shared_enum(
        fields.String(
            required=True,
            validate=validate.OneOf([v.value for v in Verdict]),
            metadata={"description": description},
            **kwargs,
        ),
        "Verdict",
    )


class EvaluationSchema(StrictSchema):
    decision = shared_enum(
        fields.Enum(
            Decision,
            by_value=True,
            required=True,
            metadata={"description": "`up` or `down` exactly when the position changes."},
        ),
        "Decision",
    )
    verdict = verdict_field("How the set went (rules `mastered-set`, `falling-short`).")
    next = fields.Nested(NextSchema, required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)


def evaluation_body(evaluation: Evaluation, ladder: Ladder, words: Wording) -> dict[str, Any]:
    return {
        "decision": evaluation.decision,
        "verdict": evaluation.verdict,
        "next": prescription_body(evaluation.next, ladder),
        "reasons": reasons_body(evaluation.reasons, words),
    }


def prescription_body(prescription: Prescription, ladder: Ladder) -> dict[str, Any]:
    """The `next` object: where the athlete trains next, and how much."""
    return {
        "exercise": ladder.exercise_at(prescription.position.level),
        "level": prescription.position.level,
        "band_tension": prescription.position.band,
        "shoulder_flexion": prescription.position.shoulder_flexion,
        "sets": prescription.sets,
        "reps": prescription.reps,
        "hold_seconds": prescription.hold_seconds,
    }
