"""Workouts over HTTP on both engines: the log, corrections, and what the recommendation makes
of them (domain.md 4-6)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event

from tests.api.workout_bodies import (
    HALF_KNEELING,
    WORKOUT,
    both_sides,
    days_ago,
    ladder_set,
    reps,
    workout,
)
from tests.helpers import assert_problem


@pytest.fixture
def athlete(client, acme) -> str:
    response = client.post("/v1/athletes", json={"external_id": f"w-{uuid.uuid4()}"}, headers=acme)
    return response.headers["Location"]


def log(client, acme, athlete, body, status=201):
    response = client.post(f"{athlete}/workouts", json=body, headers=acme)
    assert response.status_code == status, response.get_json()
    return response


def advice(client, acme, athlete) -> dict:
    response = client.get(f"{athlete}/recommendation", headers=acme)
    assert response.status_code == 200
    return response.get_json()


def rules(answer: dict) -> list[str]:
    return [reason["rule"] for reason in answer["reasons"]]


# --- the log


def test_a_workout_is_stored_judged_and_named(client, acme, athlete):
    warm_up = ladder_set("left", "supine-psoas-activation", "none", count=3, hold=3)
    body = workout(
        [*both_sides(), warm_up],
        at="2026-11-20T08:30:00+01:00",
        complementary=[{"exercise": "deep-lunge", "side": "left", "reps": 8, "load_kg": 20}],
    )
    response = log(client, acme, athlete, body)
    saved = response.get_json()
    assert response.headers["Location"] == f"{athlete}/workouts/{saved['id']}"
    assert response.headers["ETag"].startswith('"')
    assert saved["performed_at"] == "2026-11-20T07:30:00+00:00"
    assert [(s["verdict"], s["counted"]) for s in saved["sets"]] == [
        ("mastered", True),
        ("mastered", True),
        ("in_range", False),
    ]
    assert saved["counting"] is True
    assert saved["verdict"] == "mastered"
    assert saved["position"] == {
        "exercise": HALF_KNEELING,
        "level": 3,
        "band_tension": "medium",
        "shoulder_flexion": False,
    }
    assert saved["complementary"] == [
        {
            "exercise": "deep-lunge",
            "side": "left",
            "reps": 8,
            "load_kg": 20.0,
            "pain": False,
            "rpe": None,
        }
    ]
    read = client.get(response.headers["Location"], headers=acme)
    assert read.get_json() == saved
    assert read.headers["ETag"] == response.headers["ETag"]


def test_an_unchanged_workout_is_a_304(client, acme, athlete):
    created = log(client, acme, athlete, WORKOUT)
    url, etag = created.headers["Location"], created.headers["ETag"]
    again = client.get(url, headers={**acme, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, no-cache"
    assert not again.data and "Content-Type" not in again.headers


def test_workouts_list_newest_first_filter_and_page(client, acme, athlete):
    for day, context in [(3, "activation"), (1, "recovery_day"), (2, "filler")]:
        log(client, acme, athlete, workout(both_sides(), at=days_ago(day), context=context))
    listed = client.get(f"{athlete}/workouts", headers=acme).get_json()["items"]
    assert [w["context"] for w in listed] == ["recovery_day", "filler", "activation"]
    only = client.get(f"{athlete}/workouts?context=filler", headers=acme).get_json()["items"]
    assert [w["context"] for w in only] == ["filler"]
    window = f"performed_after={days_ago(2)}&performed_before={days_ago(1)}".replace("+", "%2B")
    between = client.get(f"{athlete}/workouts?{window}", headers=acme).get_json()["items"]
    assert [w["context"] for w in between] == ["filler"]
    seen, url = [], f"{athlete}/workouts?page_size=2"
    while url:
        response = client.get(url, headers=acme)
        seen += [w["context"] for w in response.get_json()["items"]]
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
    assert seen == ["recovery_day", "filler", "activation"]


def test_a_replay_with_the_same_key_stores_nothing(client, acme, athlete):
    headers = {**acme, "Idempotency-Key": str(uuid.uuid4())}
    first = client.post(f"{athlete}/workouts", json=WORKOUT, headers=headers)
    again = client.post(f"{athlete}/workouts", json=WORKOUT, headers=headers)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(client.get(f"{athlete}/workouts", headers=acme).get_json()["items"]) == 1
    other = client.post(f"{athlete}/workouts", json={**WORKOUT, "notes": "other"}, headers=headers)
    assert assert_problem(other, 422)["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (workout([ladder_set("left", "deep-lunge", "none")]), "sets.0.exercise"),
        (workout([ladder_set("left", band="none")]), "sets.0.band_tension"),
        (workout([ladder_set("left", "supine-psoas-activation", "light")]), "sets.0.band_tension"),
        (workout([ladder_set("both")]), "sets.0.side"),
        (workout([ladder_set("left", rpe=11)]), "sets.0.rpe"),
        (workout([ladder_set("left", hold=61)]), "sets.0.reps.0.hold_seconds"),
        (workout([ladder_set("left")] * 41), "sets"),
        (workout([]), "sets"),
        (
            workout([], complementary=[{"exercise": HALF_KNEELING, "side": "left", "reps": 5}]),
            "complementary.0.exercise",
        ),
        (
            workout([], complementary=[{"exercise": "deep-lunge", "side": "left", "reps": 0}]),
            "complementary.0.reps",
        ),
        ({**WORKOUT, "context": "warm_up"}, "context"),
        ({**WORKOUT, "performed_at": days_ago(-2)}, "performed_at"),
        ({**WORKOUT, "performed_at": "2026-11-20T07:30:00"}, "performed_at"),
        ({**WORKOUT, "verdict": "mastered"}, "verdict"),
        ({**WORKOUT, "counted": True}, "counted"),
        ({**WORKOUT, "colour": "red"}, "colour"),
        ({**WORKOUT, "notes": "x" * 2001}, "notes"),
    ],
)
def test_bad_workouts_are_a_422_that_names_the_field_and_store_nothing(
    client, acme, athlete, body, field
):
    problem = assert_problem(client.post(f"{athlete}/workouts", json=body, headers=acme), 422)
    assert field in {error["field"] for error in problem["errors"]}
    assert client.get(f"{athlete}/workouts", headers=acme).get_json()["items"] == []
    assert client.get(f"{athlete}/progress", headers=acme).get_json()["exercises"] == []


# --- corrections and deletions


def test_a_correction_needs_the_current_etag(client, acme, athlete):
    created = log(client, acme, athlete, WORKOUT)
    url, etag = created.headers["Location"], created.headers["ETag"]
    assert_problem(client.patch(url, json={"notes": "x"}, headers=acme), 428)
    corrected = client.patch(url, json={"notes": "x"}, headers={**acme, "If-Match": etag})
    assert corrected.status_code == 200
    assert corrected.get_json()["notes"] == "x"
    assert corrected.headers["ETag"] != etag
    stale = client.patch(url, json={"notes": "y"}, headers={**acme, "If-Match": etag})
    assert_problem(stale, 412)
    assert client.get(url, headers=acme).get_json()["notes"] == "x"
    empty = client.patch(url, json={}, headers={**acme, "If-Match": corrected.headers["ETag"]})
    assert_problem(empty, 422)


def test_a_correction_is_judged_again_and_the_recommendation_follows(client, acme, athlete):
    log(client, acme, athlete, workout(both_sides(), at=days_ago(2)))
    created = log(client, acme, athlete, workout(both_sides(), at=days_ago(1)))
    assert advice(client, acme, athlete)["decision"] == "up"
    headers = {**acme, "If-Match": created.headers["ETag"]}
    short = [ladder_set(side, count=2) for side in ("left", "right")]
    corrected = client.patch(created.headers["Location"], json={"sets": short}, headers=headers)
    assert corrected.get_json()["verdict"] == "falls_short"
    assert advice(client, acme, athlete)["decision"] == "down"
    headers["If-Match"] = corrected.headers["ETag"]
    recovery = client.patch(
        created.headers["Location"], json={"context": "recovery_day"}, headers=headers
    )
    assert recovery.get_json()["counting"] is False
    assert all(not s["counted"] for s in recovery.get_json()["sets"])
    assert advice(client, acme, athlete)["based_on"] == [
        client.get(f"{athlete}/workouts", headers=acme).get_json()["items"][1]["id"]
    ]


def test_progress_follows_corrections_and_deletions(client, acme, athlete):
    first = log(client, acme, athlete, workout(both_sides(), at=days_ago(2)))
    log(client, acme, athlete, workout(both_sides(hold=6), at=days_ago(1)))
    (entry,) = client.get(f"{athlete}/progress", headers=acme).get_json()["exercises"]
    assert (entry["workouts"], entry["sets"], entry["counted_sets"]) == (2, 4, 4)
    assert entry["best_hold_seconds"] == 6.0
    light = both_sides(band="light", hold=7)
    client.patch(
        first.headers["Location"],
        json={"sets": light, "context": "filler"},
        headers={**acme, "If-Match": first.headers["ETag"]},
    )
    (entry,) = client.get(f"{athlete}/progress", headers=acme).get_json()["exercises"]
    assert (entry["workouts"], entry["sets"], entry["counted_sets"]) == (2, 4, 2)
    assert entry["best_hold_seconds"] == 7.0
    assert entry["current_position"]["band_tension"] == "medium"  # the latest set's
    for item in client.get(f"{athlete}/workouts", headers=acme).get_json()["items"]:
        gone = client.delete(f"{athlete}/workouts/{item['id']}", headers=acme)
        assert gone.status_code == 204 and "Content-Type" not in gone.headers
    assert client.get(f"{athlete}/progress", headers=acme).get_json()["exercises"] == []
    assert advice(client, acme, athlete)["based_on"] == []


def test_a_stale_if_match_on_delete_is_a_412_and_deletes_nothing(client, acme, athlete):
    url = log(client, acme, athlete, WORKOUT).headers["Location"]
    assert_problem(client.delete(url, headers={**acme, "If-Match": '"stale-1"'}), 412)
    assert client.get(url, headers=acme).status_code == 200
    assert_problem(client.get(f"{athlete}/workouts/{uuid.uuid4()}", headers=acme), 404)


# --- the recommendation (domain.md 6)


def test_two_training_days_step_up_and_based_on_names_them(client, acme, athlete):
    first = log(client, acme, athlete, workout(both_sides(), at=days_ago(2))).get_json()
    second = log(client, acme, athlete, workout(both_sides(), at=days_ago(1))).get_json()
    answer = advice(client, acme, athlete)
    assert answer["decision"] == "up"
    assert (answer["next"]["band_tension"], answer["next"]["reps"]) == ("heavy", 4)
    assert answer["based_on"] == [second["id"], first["id"]]


def test_the_same_day_twice_is_not_two_training_days(client, acme, athlete):
    log(client, acme, athlete, workout(both_sides(), at=days_ago(1, hour=7)))
    log(client, acme, athlete, workout(both_sides(), at=days_ago(1, hour=8)))
    answer = advice(client, acme, athlete)
    assert answer["decision"] == "stay"
    assert "two training days" in answer["reasons"][-1]["message"]


def test_set_order_and_warm_ups_logged_last_do_not_change_the_answer(client, acme, athlete):
    warm_up = ladder_set("left", "supine-psoas-activation", "none", count=3, hold=3)
    short_right = ladder_set("right", count=2)
    log(client, acme, athlete, workout([ladder_set("left"), short_right, warm_up], at=days_ago(1)))
    forward = advice(client, acme, athlete)
    other = client.post("/v1/athletes", json={"external_id": f"w-{uuid.uuid4()}"}, headers=acme)
    mirror = other.headers["Location"]
    log(client, acme, mirror, workout([warm_up, short_right, ladder_set("left")], at=days_ago(1)))
    backward = advice(client, acme, mirror)
    assert forward["decision"] == backward["decision"] == "down"
    assert forward["next"] == backward["next"]


def test_one_side_only_is_in_range_at_best(client, acme, athlete):
    log(client, acme, athlete, workout([ladder_set("left")], at=days_ago(2)))
    log(client, acme, athlete, workout([ladder_set("left")], at=days_ago(1)))
    answer = advice(client, acme, athlete)
    assert (answer["decision"], answer["verdict"]) == ("stay", "in_range")
    assert "one side" in answer["reasons"][0]["message"]


def test_one_broken_rep_does_not_step_down(client, acme, athlete):
    log(client, acme, athlete, workout(both_sides(broken=1), at=days_ago(1)))
    answer = advice(client, acme, athlete)
    assert (answer["decision"], answer["verdict"]) == ("stay", "in_range")


def test_pain_steps_down_whatever_the_verdict(client, acme, athlete):
    log(client, acme, athlete, workout(both_sides(), at=days_ago(2)))
    sets = [ladder_set("left", pain=True), ladder_set("right")]
    log(client, acme, athlete, workout(sets, at=days_ago(1)))
    answer = advice(client, acme, athlete)
    assert (answer["decision"], answer["verdict"]) == ("down", "mastered")
    assert "pain" in rules(answer)


def test_a_layoff_steps_down_one_notch(client, acme, athlete):
    log(client, acme, athlete, workout(both_sides(), at=days_ago(31)))
    log(client, acme, athlete, workout(both_sides(), at=days_ago(30)))
    answer = advice(client, acme, athlete)
    assert (answer["decision"], answer["next"]["band_tension"]) == ("down", "light")
    assert "layoff" in rules(answer)


def test_a_plateau_adds_a_set_and_stays(client, acme, athlete):
    for day in range(6, 0, -1):
        log(client, acme, athlete, workout(both_sides(count=4, hold=4), at=days_ago(day)))
    answer = advice(client, acme, athlete)
    assert (answer["decision"], answer["next"]["sets"]) == ("stay", 2)
    assert "plateau" in rules(answer)
    assert len(answer["based_on"]) == 6


def test_an_assessment_is_the_fast_track(client, acme, athlete):
    climb = [
        *both_sides(exercise="supine-psoas-activation", band="none"),
        *both_sides(exercise="standing-psoas-activation", band="none"),
        *both_sides(exercise="side-plank-banded-psoas-hold", band="heavy"),
        *both_sides(exercise="side-plank-banded-psoas-hold", band="extra_heavy", count=3),
    ]
    saved = log(client, acme, athlete, workout(climb, context="assessment")).get_json()
    assert saved["position"]["band_tension"] == "heavy"
    answer = advice(client, acme, athlete)
    assert answer["decision"] == "up"
    assert (answer["next"]["level"], answer["next"]["band_tension"]) == (4, "extra_heavy")
    assert answer["based_on"] == [saved["id"]]


def test_logging_the_recovery_day_routine_as_given_never_demotes(client, acme, athlete):
    """The review's case: up at side-plank extra_heavy, then the recovery_day routine."""
    side_plank = {"exercise": "side-plank-banded-psoas-hold", "band": "extra_heavy"}
    log(client, acme, athlete, workout(both_sides(**side_plank), at=days_ago(3)))
    log(client, acme, athlete, workout(both_sides(**side_plank), at=days_ago(2)))
    before = advice(client, acme, athlete)
    assert before["decision"] == "up"
    routine = client.post(
        "/v1/routines",
        json={
            "context": "recovery_day",
            "exercise": "side-plank-banded-psoas-hold",
            "band_tension": "extra_heavy",
        },
    ).get_json()
    sets = [
        {
            "exercise": block["exercise"],
            "side": side,
            "band_tension": block["band_tension"],
            "shoulder_flexion": block["shoulder_flexion"],
            "reps": reps(block["reps"], block["hold_seconds"]),
        }
        for block in routine["blocks"]
        for side in ("left", "right")
    ]
    log(client, acme, athlete, workout(sets, at=days_ago(1), context="recovery_day"))
    assert advice(client, acme, athlete) == before


def test_an_athletes_routine_follows_the_prescription_and_never_demotes(client, acme, athlete):
    log(client, acme, athlete, workout(both_sides(), at=days_ago(3)))
    log(client, acme, athlete, workout(both_sides(), at=days_ago(2)))
    prescription = advice(client, acme, athlete)["next"]
    routine = client.post(f"{athlete}/routines", json={"context": "activation"}, headers=acme)
    (block,) = routine.get_json()["blocks"]
    assert (block["band_tension"], block["reps"], block["hold_seconds"]) == (
        prescription["band_tension"],
        prescription["reps"],
        prescription["hold_seconds"],
    )
    sets = [
        {
            "exercise": block["exercise"],
            "side": side,
            "band_tension": block["band_tension"],
            "reps": reps(block["reps"], block["hold_seconds"]),
        }
        for _ in range(block["sets"])
        for side in ("left", "right")
    ]
    log(client, acme, athlete, workout(sets, at=days_ago(1)))
    after = advice(client, acme, athlete)
    assert after["decision"] != "down"
    assert after["next"]["band_tension"] == prescription["band_tension"]
    filler = client.post(
        f"{athlete}/routines",
        json={"context": "filler", "include_complementary": True},
        headers=acme,
    )
    assert assert_problem(filler, 422)["errors"][0]["field"] == "include_complementary"


def test_the_recommendation_reads_a_few_rows_however_long_the_history(app, client, acme, athlete):
    for day in range(30, 0, -1):
        log(client, acme, athlete, workout(both_sides(), at=days_ago(day)))
    statements: list[str] = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        advice(client, acme, athlete)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    workout_queries = [s for s in statements if "workout" in s]
    # The latest few counting workouts, pain since then, and (a step up due) the falls above
    # it and the workouts since: never more, whatever the history's length.
    assert 1 <= len(workout_queries) <= 4
    assert all("LIMIT" in query for query in workout_queries)


# --- the deprecated sessions routes


def test_sessions_say_they_are_deprecated_and_name_the_successor(client, acme, athlete):
    body = {**both_sides()[0], "performed_at": days_ago(1)}
    del body["side"]
    created = client.post(f"{athlete}/sessions", json=body, headers=acme)
    assert created.status_code == 201
    athlete_id = athlete.rsplit("/", 1)[1]
    for response in (created, client.get(f"{athlete}/sessions", headers=acme)):
        assert response.headers["Deprecation"] == "@1796256000"
        assert response.headers["Sunset"] == "Wed, 30 Jun 2027 00:00:00 GMT"
    assert created.headers["Link"] == (
        f'</v1/athletes/{athlete_id}/workouts>; rel="successor-version"'
    )
    (logged,) = client.get(f"{athlete}/workouts", headers=acme).get_json()["items"]
    assert (logged["context"], logged["sets"][0]["side"]) == ("activation", "both")


def test_the_spec_marks_the_sessions_routes_deprecated(app):
    paths = app.extensions["smorest_api"].spec.to_dict()["paths"]
    for path, operations in paths.items():
        for operation in operations.values():
            if isinstance(operation, dict) and "operationId" in operation:
                assert operation.get("deprecated", False) == ("/sessions" in path), path


# --- found by the outside review


def test_a_correction_that_empties_the_workout_is_a_409_and_changes_nothing(client, acme, athlete):
    created = log(client, acme, athlete, WORKOUT)
    emptied = client.patch(
        created.headers["Location"],
        json={"sets": []},
        headers={**acme, "If-Match": created.headers["ETag"]},
    )
    assert_problem(emptied, 409)
    assert client.get(created.headers["Location"], headers=acme).get_json() == created.get_json()


@pytest.mark.parametrize("target", ["workout", "athlete"])
def test_an_empty_if_match_on_delete_is_a_422_and_deletes_nothing(client, acme, athlete, target):
    url = (
        log(client, acme, athlete, WORKOUT).headers["Location"] if target == "workout" else athlete
    )
    assert_problem(client.delete(url, headers={**acme, "If-Match": ""}), 422)
    assert client.get(url, headers=acme).status_code == 200


def test_pain_in_a_filler_after_a_pair_holds_the_step_up(client, acme, athlete):
    log(client, acme, athlete, workout(both_sides(), at=days_ago(3)))
    log(client, acme, athlete, workout(both_sides(), at=days_ago(2)))
    hurt = both_sides(count=5, hold=3, pain=True)
    log(client, acme, athlete, workout(hurt, at=days_ago(1), context="filler"))
    answer = advice(client, acme, athlete)
    assert (answer["decision"], answer["next"]["band_tension"]) == ("stay", "medium")
    assert "pain" in rules(answer)


def test_pain_above_an_assessments_placement_holds_it_below(client, acme, athlete):
    climb = [
        *both_sides(band="light"),
        *both_sides(band="medium", pain=True),
    ]
    log(client, acme, athlete, workout(climb, context="assessment"))
    answer = advice(client, acme, athlete)
    assert (answer["decision"], answer["next"]["band_tension"]) == ("stay", "light")
    assert "pain" in rules(answer)


def test_progress_shows_the_counted_position_not_a_later_recovery_set(client, acme, athlete):
    top_of_level_4 = {"exercise": "side-plank-banded-psoas-hold", "band": "extra_heavy"}
    sets = [{**s, "shoulder_flexion": True} for s in both_sides(**top_of_level_4)]
    log(client, acme, athlete, workout(sets, at=days_ago(2)))
    lighter = both_sides(exercise="side-plank-banded-psoas-hold", band="heavy")
    log(client, acme, athlete, workout(lighter, at=days_ago(1), context="recovery_day"))
    (entry,) = client.get(f"{athlete}/progress", headers=acme).get_json()["exercises"]
    assert entry["current_position"] == {"band_tension": "extra_heavy", "shoulder_flexion": True}
    assert entry["last_performed_at"] == days_ago(1)


def test_the_recommendations_next_is_typed_as_a_set_exercise(app):
    schemas = app.extensions["smorest_api"].spec.to_dict()["components"]["schemas"]
    # One shared enum, so a generated client can log `next.exercise` as a set's exercise.
    ladder_exercise = "#/components/schemas/LadderExercise"
    assert schemas["Next"]["properties"]["exercise"]["$ref"] == ladder_exercise
    assert schemas["Set"]["properties"]["exercise"]["$ref"] == ladder_exercise
    assert "half-kneeling-banded-psoas-hold" in schemas["LadderExercise"]["enum"]


def test_an_idempotency_key_sent_twice_is_a_422_and_stores_nothing(client, acme, athlete):
    """A server joins a header sent twice with a comma: `a,b` is two keys, not one."""
    headers = {**acme, "Idempotency-Key": "first-key,second-key"}
    problem = assert_problem(client.post(f"{athlete}/workouts", json=WORKOUT, headers=headers), 422)
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert client.get(f"{athlete}/workouts", headers=acme).get_json()["items"] == []
