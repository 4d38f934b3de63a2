"""POST /v1/prescriptions/validate."""

from typing import Any

from app.api.prescriptions.schemas import PrescriptionSchema, ValidationResultSchema
from app.api.shared.catalog import current_ladder
from app.api.shared.catalog_facts import worked_examples
from app.api.shared.positions import ladder_level
from app.api.shared.wording import english, spoken, violations_body
from app.domain.ladder import Ladder
from app.domain.messages import Wording
from app.domain.prescriptions import PrescriptionRequest, check_prescription
from app.web.smorest import SPOKEN, Blueprint

blp = Blueprint(
    "prescriptions",
    __name__,
    url_prefix="/v1/prescriptions",
    description="Check a planned set against the programming rules.",
)

REQUEST_EXAMPLES = {
    "valid": {
        "summary": "Activation inside every rule",
        "value": {
            "exercise": "half-kneeling-banded-psoas-hold",
            "sets": 2,
            "reps": 5,
            "hold_seconds": 3,
            "band_tension": "medium",
            "shoulder_flexion": False,
            "context": "activation",
        },
    },
    "off-rule": {
        "summary": "Well-formed but breaking five rules: a 200 listing them all",
        "value": {
            "exercise": "supine-psoas-activation",
            "sets": 3,
            "reps": 8,
            "hold_seconds": 10,
            "band_tension": "light",
            "shoulder_flexion": True,
            "context": "recovery_day",
        },
    },
}


def check(body: dict[str, Any], ladder: Ladder, words: Wording | None = None) -> dict[str, Any]:
    violations = check_prescription(
        PrescriptionRequest(
            level=ladder_level(body["exercise"], ladder),
            sets=body["sets"],
            reps=body["reps"],
            hold_seconds=body["hold_seconds"],
            band=body["band_tension"],
            shoulder_flexion=body.get("shoulder_flexion", False),
            context=body["context"],
        )
    )
    return {"valid": not violations, "violations": violations_body(violations, words or english())}


@blp.route("/validate", methods=["POST"])
@blp.arguments(PrescriptionSchema, examples=REQUEST_EXAMPLES)
@blp.response(
    200,
    ValidationResultSchema,
    examples=worked_examples(
        REQUEST_EXAMPLES, PrescriptionSchema(), ValidationResultSchema(), check
    ),
    description="Whether the prescription keeps the rules, and every rule it breaks.",
    headers=SPOKEN,
)
@blp.problems(415, 422)
def validate_prescription(body: dict[str, Any]) -> dict[str, Any]:
    """Validate a prescription

    Checks a planned set (exercise, sets, reps, hold, band, add-on, context)
    against the programming rules and lists every violation at once, each
    naming its `rule` (a slug of `GET /v1/rules`), the `field` and what to
    change. Breaking the rules is a 200 with `valid: false`; a malformed body
    (wrong types, unknown fields, an unknown or complementary exercise, an
    unknown context, absurd numbers) is a 422.
    """
    return check(body, current_ladder(), spoken())
