"""POST /v1/routines."""

from typing import Any

from app.api.shared.catalog import current_ladder
from app.api.shared.catalog_facts import worked_examples
from app.api.shared.positions import position_from
from app.api.shared.routines import RoutineRequestSchema, RoutineSchema
from app.api.shared.wording import blocks_body, english, spoken
from app.domain.ladder import Ladder
from app.domain.messages import Wording
from app.domain.routines import build_routine
from app.web.smorest import SPOKEN, Blueprint

blp = Blueprint(
    "routines",
    __name__,
    url_prefix="/v1/routines",
    description="Routines for activation, recovery days and fillers.",
)

REQUEST_EXAMPLES = {
    "activation": {
        "summary": "Prep work at the athlete's current level",
        "value": {
            "context": "activation",
            "exercise": "side-plank-banded-psoas-hold",
            "band_tension": "heavy",
        },
    },
    "recovery_day": {
        "summary": "The ladder up to the current level, lighter, with scissor work",
        "value": {
            "context": "recovery_day",
            "exercise": "side-plank-banded-psoas-hold",
            "band_tension": "heavy",
            "include_complementary": True,
        },
    },
    "filler": {
        "summary": "One set between sets of a hip-dominant lift",
        "value": {
            "context": "filler",
            "exercise": "standing-psoas-activation",
            "band_tension": "none",
            "pair_with": "Romanian deadlift",
        },
    },
}


def answer(body: dict[str, Any], ladder: Ladder, words: Wording | None = None) -> dict[str, Any]:
    blocks = build_routine(
        body["context"],
        position_from(body, ladder),
        ladder,
        include_complementary=body["include_complementary"],
        pair_with=body.get("pair_with"),
    )
    return {"context": body["context"], "blocks": blocks_body(blocks, words or english())}


@blp.route("", methods=["POST"])
@blp.arguments(RoutineRequestSchema, examples=REQUEST_EXAMPLES)
@blp.response(
    200,
    RoutineSchema,
    examples=worked_examples(REQUEST_EXAMPLES, RoutineRequestSchema(), RoutineSchema(), answer),
    description="The routine's blocks, in the order they are done.",
    headers=SPOKEN,
)
@blp.problems(415, 422)
def build_routine_for_context(body: dict[str, Any]) -> dict[str, Any]:
    """Build a routine

    Blocks of work for one context, from the athlete's current position
    (`exercise`, `band_tension`, optional `shoulder_flexion`):
    `activation` is 2 sets x 5 reps x 3 s of the current level, before the
    main work; `recovery_day` climbs the ladder from level 1 to the current
    level, 1 set x 3 reps x 3 s each, lighter (no add-on; the current level one
    band notch lower, never below light; lower banded levels at light);
    `filler` is one set of the current level between sets of the hip-dominant
    lift named in `pair_with`. `include_complementary` adds the scissor work
    (deep lunge, high-box step-up). Every block is per side and within the
    rule ranges. Nothing is stored.
    """
    return answer(body, current_ladder(), spoken())
