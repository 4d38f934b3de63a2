"""POST /v1/progressions/evaluate."""

from typing import Any

from app.api.shared.catalog import current_ladder
from app.api.shared.catalog_facts import worked_examples
from app.api.shared.engine import (
    EvaluationRequestSchema,
    EvaluationSchema,
    evaluation_body,
)
from app.api.shared.positions import position_from
from app.api.shared.wording import english, spoken
from app.domain.engine import Rep, evaluate
from app.domain.ladder import Ladder
from app.domain.messages import Wording
from app.web.smorest import SPOKEN, Blueprint

blp = Blueprint(
    "progressions",
    __name__,
    url_prefix="/v1/progressions",
    description="The progression engine: what an athlete does after a set.",
)


def _reps(holds: list[float], strict: bool = True, high: bool = True) -> list[dict[str, Any]]:
    return [{"hold_seconds": h, "strict_form": strict, "high_flexion": high} for h in holds]


REQUEST_EXAMPLES = {
    "up": {
        "summary": "Mastered: 5 counting reps of 5 s raise the band one notch",
        "value": {
            "exercise": "half-kneeling-banded-psoas-hold",
            "band_tension": "medium",
            "shoulder_flexion": False,
            "reps": _reps([5, 5, 5.5, 6, 5]),
        },
    },
    "stay": {
        "summary": "In range: stay and aim one rep and one second further",
        "value": {
            "exercise": "standing-psoas-activation",
            "band_tension": "none",
            "shoulder_flexion": False,
            "reps": _reps([3.4, 4, 3.8]),
        },
    },
    "down": {
        "summary": "Falls short: only 2 reps count, so the add-on is dropped",
        "value": {
            "exercise": "standing-banded-psoas-hold",
            "band_tension": "extra_heavy",
            "shoulder_flexion": True,
            "reps": _reps([5, 4]) + _reps([2], strict=False),
        },
    },
}


def reps_from(body: dict[str, Any]) -> list[Rep]:
    return [Rep(**rep) for rep in body["reps"]]


def answer(body: dict[str, Any], ladder: Ladder, words: Wording | None = None) -> dict[str, Any]:
    evaluation = evaluate(position_from(body, ladder), reps_from(body))
    return evaluation_body(evaluation, ladder, words or english())


@blp.route("/evaluate", methods=["POST"])
@blp.arguments(EvaluationRequestSchema, examples=REQUEST_EXAMPLES)
@blp.response(
    200,
    EvaluationSchema,
    examples=worked_examples(
        REQUEST_EXAMPLES, EvaluationRequestSchema(), EvaluationSchema(), answer
    ),
    description="The decision, the next prescription, and the rules behind them.",
    headers=SPOKEN,
)
@blp.problems(415, 422)
def evaluate_set(body: dict[str, Any]) -> dict[str, Any]:
    """Evaluate a set

    Judges one set done at a position (exercise, band, add-on) and answers
    what to do next. A rep counts when held at least 2 s with strict form in
    the high-flexion range; 5 counting reps of at least 5 s are mastered (step
    up) when no rep broke form; fewer than 3 counting reps, or 2 broken reps, fall
    short (step down); anything else is in range (stay, and aim for one more rep
    and one second over the median hold). After a change of position the next
    prescription restarts lower: 4 x 4 s after a band notch, 3 x 3 s after a new
    exercise or the add-on (rule `restart-after-change`).
    `decision` is `up` or `down` exactly when the position changes; every
    reason names a rule served by `GET /v1/rules` (the engine's thresholds are
    there too, with `decided_by: project`). A complementary lift, a band the
    level cannot take, or empty or absurd reps are a 422.
    """
    return answer(body, current_ladder(), spoken())
