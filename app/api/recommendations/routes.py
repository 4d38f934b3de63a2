"""/v1/athletes/{athlete_id}/progress, /recommendation and /routines (API key required)."""

from __future__ import annotations

import uuid
from typing import Any

from app.api.recommendations.examples import PROGRESS_EXAMPLE, RECOMMENDATION_EXAMPLE
from app.api.recommendations.schemas import ProgressSchema, RecommendationSchema
from app.api.shared.athlete_scope import SECURED
from app.api.shared.catalog import current_ladder
from app.api.shared.engine import evaluation_body, prescription_body
from app.api.shared.routines import RoutineOptionsSchema, RoutineSchema
from app.api.shared.wording import blocks_body, reasons_body, spoken
from app.domain.engine import Decision
from app.domain.history import first_steps, first_steps_reason
from app.domain.ladder import Ladder
from app.domain.messages import Wording
from app.domain.routines import build_routine
from app.services import workouts as workouts_service
from app.web import now
from app.web.auth import current_client_app
from app.web.database import get_session
from app.web.smorest import SPOKEN, Blueprint

blp = Blueprint(
    "recommendations",
    __name__,
    url_prefix="/v1/athletes",
    description="What an athlete's workouts add up to: progress per exercise, the "
    "recommendation (what to do next) and a routine at the athlete's prescription. Needs "
    "`Authorization: Bearer <key>`.",
)


@blp.route("/<uuid:athlete_id>/progress")
@blp.response(200, ProgressSchema, example=PROGRESS_EXAMPLE, description="Per exercise, by level.")
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def get_progress(athlete_id: uuid.UUID) -> dict[str, Any]:
    """Get an athlete's progress

    Per ladder exercise: how many workouts and sets (and how many sets counted), the
    longest counting hold, when last done and the band and add-on of the latest set.
    Read from a summary kept by every write (a correction or a deletion recomputes the
    exercises it touches): its cost does not grow with history.
    """
    ladder = current_ladder()
    rows = sorted(
        workouts_service.progress(get_session(), current_client_app(), athlete_id),
        key=lambda p: ladder.level_of(p.exercise) or 0,
    )
    return {
        "athlete_id": athlete_id,
        "exercises": [
            {
                "exercise": row.exercise,
                "level": ladder.level_of(row.exercise),
                "workouts": row.workouts,
                "sets": row.sets,
                "counted_sets": row.counted_sets,
                "sessions": row.sets,
                "best_hold_seconds": row.best_hold_seconds,
                "last_performed_at": row.last_performed_at,
                "current_position": {
                    "band_tension": row.band_tension,
                    "shoulder_flexion": row.shoulder_flexion,
                },
            }
            for row in rows
        ],
    }


def recommendation_body(
    athlete_id: uuid.UUID, ladder: Ladder, words: Wording
) -> tuple[dict[str, Any], Any]:
    """The recommendation's body, and the prescription it ends in."""
    found = workouts_service.recommendation(get_session(), current_client_app(), athlete_id, now())
    if found is None:
        return no_history_answer(ladder, words), first_steps()
    body = evaluation_body(found.evaluation, ladder, words)
    return {**body, "based_on": list(found.based_on)}, found.evaluation.next


@blp.route("/<uuid:athlete_id>/recommendation")
@blp.response(
    200,
    RecommendationSchema,
    example=RECOMMENDATION_EXAMPLE,
    description="What to do next, from the workouts; `based_on` names the ones judged.",
    headers=SPOKEN,
)
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def get_recommendation(athlete_id: uuid.UUID) -> dict[str, Any]:
    """Get a recommendation

    Evaluate's answer, judged from the athlete's workouts (domain rules `workout-verdict`,
    `history`, `pain`, `layoff`, `plateau`, `assessment`, served by `GET /v1/rules`):
    the current position is the latest counting workout's (recovery days and fillers never
    count); step up when the two latest counting workouts there are mastered, on two
    training days 20 h to 14 days apart; step down when the latest falls short or a set
    there was marked pain; come back a notch lower after 28 days off; a plateau never
    bounces between two positions; an assessment places the athlete one step above the
    highest position mastered on both sides. `based_on` lists the workouts judged. With
    no counting workout yet: start at level 1 (`verdict` null, `based_on` empty). A few
    index seeks: the cost does not grow with history.
    """
    body, _ = recommendation_body(athlete_id, current_ladder(), spoken())
    return body


def no_history_answer(ladder: Ladder, words: Wording) -> dict[str, Any]:
    return {
        "decision": Decision.STAY,
        "verdict": None,
        "next": prescription_body(first_steps(), ladder),
        "reasons": reasons_body([first_steps_reason()], words),
        "based_on": [],
    }


@blp.route("/<uuid:athlete_id>/routines", methods=["POST"])
@blp.arguments(RoutineOptionsSchema, example={"context": "activation"})
@blp.response(
    200,
    RoutineSchema,
    example={
        "context": "activation",
        "blocks": [
            {
                "exercise": "half-kneeling-banded-psoas-hold",
                "sets": 2,
                "reps": 4,
                "hold_seconds": 4,
                "per_side": True,
                "band_tension": "heavy",
                "shoulder_flexion": False,
                "notes": "Prep work: do this before the main training, each side, to turn "
                "the psoas on.",
            }
        ],
    },
    description="The routine's blocks at the athlete's current prescription.",
    headers=SPOKEN,
)
@blp.doc(**SECURED)
@blp.problems(401, 404, 415, 422)
def build_athlete_routine(query: dict[str, Any], athlete_id: uuid.UUID) -> dict[str, Any]:
    """Build a routine for an athlete

    `POST /v1/routines` at the athlete's current prescription (the recommendation's
    `next`): its position, reps and hold instead of the context's fixed numbers; the body
    names only the context (and `include_complementary`, `pair_with`). Logging
    its blocks exactly as given never demotes the athlete: an activation at the
    prescription is at least in range, and recovery days and fillers never count. A
    filler takes no complementary work (a 422).
    """
    ladder = current_ladder()
    words = spoken()
    _, prescription = recommendation_body(athlete_id, ladder, words)
    blocks = build_routine(
        query["context"],
        prescription.position,
        ladder,
        include_complementary=query["include_complementary"],
        pair_with=query.get("pair_with"),
        prescription=prescription,
    )
    return {"context": query["context"], "blocks": blocks_body(blocks, words)}
