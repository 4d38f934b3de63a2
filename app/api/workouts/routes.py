"""/v1/athletes/{athlete_id}/workouts: the training log (API key required)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from sqlalchemy.orm import Session

from app.api.shared.athlete_scope import SECURED, owned_athlete
from app.api.shared.catalog import current_ladder
from app.api.shared.positions import position_from
from app.api.workouts.examples import WORKOUT_EXAMPLE, WORKOUT_REQUEST_EXAMPLE
from app.api.workouts.schemas import (
    WorkoutCreateSchema,
    WorkoutListSchema,
    WorkoutQuerySchema,
    WorkoutSchema,
    WorkoutUpdateSchema,
)
from app.domain.ladder import BandTension, Ladder
from app.domain.workouts import Side, WorkoutContext
from app.models import Athlete, Workout
from app.services import workouts as workouts_service
from app.services.workouts import LiftInput, SetInput, WorkoutInput
from app.web import now
from app.web.auth import current_client_app
from app.web.conditional import (
    etag_of,
    expected_versions,
    if_match,
    not_modified,
    versioned_response,
)
from app.web.database import get_session
from app.web.idempotency import IDEMPOTENCY_KEY_PARAMETER, create_once
from app.web.pagination import codec, fetched_page, keyset_position, list_response, query_scope
from app.web.smorest import CREATED, IF_NONE_MATCH, LISTED, VERSIONED, Blueprint

blp = Blueprint(
    "workouts",
    __name__,
    url_prefix="/v1/athletes",
    description="An athlete's workouts: sets per side in a context, each judged, and the "
    "training log the recommendation is computed from. Needs `Authorization: Bearer <key>`.",
)


def workout_input(body: dict[str, Any], ladder: Ladder) -> WorkoutInput:
    return WorkoutInput(
        body["performed_at"],
        body["context"],
        body.get("notes"),
        [
            SetInput(
                s["exercise"],
                position_from(s, ladder),
                Side(s["side"]),
                s["reps"],
                s["pain"],
                s.get("rpe"),
            )
            for s in body["sets"]
        ],
        [
            LiftInput(
                lift["exercise"],
                Side(lift["side"]),
                lift["reps"],
                lift.get("load_kg"),
                lift["pain"],
                lift.get("rpe"),
            )
            for lift in body["complementary"]
        ],
    )


SET_FIELDS = ("exercise", "side", "band_tension", "shoulder_flexion", "reps", "pain", "rpe")
LIFT_FIELDS = ("exercise", "side", "reps", "load_kg", "pain", "rpe")


def fields_of(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def stored_input(workout: Workout) -> dict[str, Any]:
    """The stored workout as a body, so that a correction can replace some of its fields."""
    return {
        "performed_at": workout.performed_at,
        "context": WorkoutContext(workout.context),
        "notes": workout.notes,
        "sets": [
            {**fields_of(s, SET_FIELDS), "band_tension": BandTension(s.band_tension)}
            for s in workout.sets
        ],
        "complementary": [fields_of(lift, LIFT_FIELDS) for lift in workout.lifts],
    }


def workout_body(workout: Workout, ladder: Ladder) -> dict[str, Any]:
    position = None
    if workout.counting and workout.level is not None:
        position = {
            "exercise": ladder.exercise_at(workout.level),
            "level": workout.level,
            "band_tension": workout.band_tension,
            "shoulder_flexion": workout.shoulder_flexion,
        }
    return {
        "id": str(workout.id),
        "athlete_id": str(workout.athlete_id),
        "performed_at": workout.performed_at.isoformat(),
        "context": workout.context,
        "notes": workout.notes,
        "sets": [
            {
                **fields_of(s, SET_FIELDS),
                "reps": [{**rep, "hold_seconds": float(rep["hold_seconds"])} for rep in s.reps],
                "verdict": s.verdict,
                "counted": s.counted,
            }
            for s in workout.sets
        ],
        "complementary": [fields_of(lift, LIFT_FIELDS) for lift in workout.lifts],
        "counting": workout.counting,
        "position": position,
        "verdict": workout.verdict,
        "created_at": workout.created_at.isoformat(),
        "updated_at": workout.updated_at.isoformat(),
    }


def owned_workout(
    db: Session, athlete_id: uuid.UUID, workout_id: uuid.UUID, lock: bool = False
) -> Workout:
    return owned_athlete_and_workout(db, athlete_id, workout_id, lock)[1]


def owned_athlete_and_workout(
    db: Session, athlete_id: uuid.UUID, workout_id: uuid.UUID, lock: bool = False
) -> tuple[Athlete, Workout]:
    athlete = owned_athlete(db, athlete_id, lock="share" if lock else None)
    return athlete, workouts_service.get_workout(db, athlete, workout_id, lock=lock)


@blp.route("/<uuid:athlete_id>/workouts", methods=["POST"])
@blp.arguments(WorkoutCreateSchema, example=WORKOUT_REQUEST_EXAMPLE)
@blp.response(
    201,
    WorkoutSchema,
    example=WORKOUT_EXAMPLE,
    description="Logged and judged: every set's `verdict` and whether it `counted`. "
    "`Location` names the workout, `ETag` versions it.",
    headers=CREATED,
)
@blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER], **SECURED)
@blp.problems(401, 404, 409, 415, 422)
def log_workout(body: dict[str, Any], athlete_id: uuid.UUID) -> Response:
    """Log a workout

    A training day's work in one context: `sets` (ladder drills, each on one side, as
    evaluate takes them, with optional `pain` and `rpe`) and `complementary` lifts.
    Only the sets at the workout's highest position count (lower ones are warm-ups);
    each side's best counting set is judged, and the workout takes the weaker side's
    verdict. `recovery_day` and `filler` workouts never count; an `assessment` places
    the athlete one step above the highest position mastered on both sides. Progress and
    the recommendation follow at once. Send an `Idempotency-Key` to retry safely.
    """
    client_app_id = current_client_app()
    ladder = current_ladder()
    data = workout_input(body, ladder)

    def write(db: Session) -> tuple[dict[str, Any], dict[str, str]]:
        athlete = owned_athlete(db, athlete_id, lock="share")  # a DELETE waits for this
        workout = workouts_service.log_workout(db, athlete, data, now())
        location = f"/v1/athletes/{athlete.id}/workouts/{workout.id}"
        return workout_body(workout, ladder), {"Location": location, "ETag": etag_of(workout)}

    return create_once(client_app_id, write)


@blp.route("/<uuid:athlete_id>/workouts")
@blp.arguments(WorkoutQuerySchema, location="query", as_kwargs=True)
@blp.response(
    200,
    WorkoutListSchema,
    example={"items": [WORKOUT_EXAMPLE], "next_cursor": None},
    description="One page of workouts, newest first.",
    headers=LISTED,
)
@blp.doc(**SECURED)
@blp.problems(401, 404, 422)
def list_workouts(athlete_id: uuid.UUID, **query: Any) -> Response:
    """List an athlete's workouts

    Newest first (by `performed_at`, then `id`), cursor-paginated; filter by `context`
    and by `performed_after` (inclusive) / `performed_before`.
    """
    db = get_session()
    athlete = owned_athlete(db, athlete_id)
    filters = {k: query.get(k) for k in ("context", "performed_after", "performed_before")}
    path = f"/v1/athletes/{athlete.id}/workouts"
    scope = query_scope(path, {k: str(v) for k, v in filters.items() if v is not None})
    rows = workouts_service.list_workouts(
        db,
        athlete,
        before=keyset_position(query, scope),
        limit=query["page_size"] + 1,
        **filters,
    )
    page = fetched_page(
        rows,
        page_size=query["page_size"],
        scope=scope,
        codec=codec(),
        sort_key=lambda w: [w.performed_at.isoformat(), w.id.hex],
    )
    ladder = current_ladder()
    items = [workout_body(workout, ladder) for workout in page.items]
    return list_response(page, items, path, query)


@blp.route("/<uuid:athlete_id>/workouts/<uuid:workout_id>")
@blp.response(
    200,
    WorkoutSchema,
    example=WORKOUT_EXAMPLE,
    description="The workout; `ETag` is its current version.",
    headers=VERSIONED,
)
@blp.alt_response(304, response="NOT_MODIFIED")
@blp.doc(parameters=[{**IF_NONE_MATCH, "in": "header"}], **SECURED)
@blp.problems(401, 404, 422)
def get_workout(athlete_id: uuid.UUID, workout_id: uuid.UUID) -> Response:
    """Get a workout

    One workout with every set's verdict and whether it counted. Send its ETag in
    `If-None-Match` and an unchanged workout is a bodiless 304.
    """
    workout = owned_workout(get_session(), athlete_id, workout_id)
    if (unchanged := not_modified(workout)) is not None:
        return unchanged
    return versioned_response(workout_body(workout, current_ladder()), workout)


@blp.route("/<uuid:athlete_id>/workouts/<uuid:workout_id>", methods=["PATCH"])
@blp.arguments(WorkoutUpdateSchema, example={"notes": "Left hip felt tight.", "context": "filler"})
@blp.response(
    200,
    WorkoutSchema,
    example=WORKOUT_EXAMPLE,
    description="Corrected and judged again; the new `ETag`.",
    headers=VERSIONED,
)
@blp.doc(parameters=[if_match(required=True, what="workout")], **SECURED)
@blp.problems(401, 404, 409, 412, 415, 422, 428)
def correct_workout(body: dict[str, Any], athlete_id: uuid.UUID, workout_id: uuid.UUID) -> Response:
    """Correct a workout

    The fields sent replace the stored ones (`sets` and `complementary` as whole lists);
    the workout is judged again, and progress and the recommendation follow. Needs
    `If-Match` with the workout's current ETag: without it a 428, with a stale one a 412
    and nothing changes. A correction that would leave no set and no lift is a 409
    (delete the workout instead).
    """
    db = get_session()
    ladder = current_ladder()
    athlete, workout = owned_athlete_and_workout(db, athlete_id, workout_id, lock=True)
    expected = expected_versions(workout.id)
    data = workout_input({**stored_input(workout), **body}, ladder)
    workouts_service.correct_workout(db, athlete, workout, expected, data, now())
    return versioned_response(workout_body(workout, ladder), workout)


@blp.route("/<uuid:athlete_id>/workouts/<uuid:workout_id>", methods=["DELETE"])
@blp.response(204, description="Deleted; progress and the recommendation follow.")
@blp.doc(parameters=[if_match(required=False, what="workout")], **SECURED)
@blp.problems(401, 404, 412, 422)
def delete_workout(athlete_id: uuid.UUID, workout_id: uuid.UUID) -> Response:
    """Delete a workout

    Removes the workout with its sets and lifts; progress and the recommendation follow.
    An `If-Match` is optional; a stale one is a 412.
    """
    db = get_session()
    athlete, workout = owned_athlete_and_workout(db, athlete_id, workout_id, lock=True)
    workouts_service.delete_workout(db, athlete, workout, expected_versions(workout.id))
    return Response(status=204)
