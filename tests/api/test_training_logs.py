"""The deprecated one-set sessions, progress, recommendation and idempotency over HTTP,
on both engines."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from app.models import IdempotencyRecord, Workout, WorkoutSet
from tests.api.workout_bodies import days_ago
from tests.helpers import SESSION, assert_problem, auth

MASTERED = [{"hold_seconds": 5, "strict_form": True, "high_flexion": True}] * 5
IN_RANGE = [{"hold_seconds": 3.5, "strict_form": True, "high_flexion": True}] * 3
SHORT = [{"hold_seconds": 5, "strict_form": False, "high_flexion": True}]


@pytest.fixture
def athlete_url(client, acme) -> str:
    response = client.post("/v1/athletes", json={"external_id": f"t-{uuid.uuid4()}"}, headers=acme)
    return response.headers["Location"]


def log(client, acme, url, *, reps=MASTERED, at=None, **changes):
    body = {**SESSION, "reps": reps, "performed_at": at or days_ago(1), **changes}
    response = client.post(f"{url}/sessions", json=body, headers=acme)
    assert response.status_code == 201, response.get_json()
    return response


def recommendation(client, acme, url) -> dict:
    response = client.get(f"{url}/recommendation", headers=acme)
    assert response.status_code == 200
    return response.get_json()


# --- sessions


def test_a_session_is_stored_in_utc_and_judged(client, acme, athlete_url):
    response = log(client, acme, athlete_url, at="2026-11-20T08:30:00+01:00")
    body = response.get_json()
    assert body["performed_at"] == "2026-11-20T07:30:00+00:00"
    assert body["verdict"] == "mastered"
    assert client.get(response.headers["Location"], headers=acme).get_json() == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"performed_at": "2026-11-20T07:30:00"}, "performed_at"),  # no offset
        ({"performed_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}, "performed_at"),
        ({"performed_at": "1999-12-31T23:00:00+00:00"}, "performed_at"),
        (
            {"reps": [{"hold_seconds": 61, "strict_form": True, "high_flexion": True}]},
            "reps.0.hold_seconds",
        ),
        ({"reps": MASTERED * 200}, "reps"),
        ({"exercise": "deep-lunge"}, "exercise"),
        ({"band_tension": "none"}, "band_tension"),
        ({"id": str(uuid.uuid4())}, "id"),
    ],
)
def test_absurd_or_malformed_sessions_are_a_422_and_store_nothing(
    client, acme, athlete_url, change, field
):
    response = client.post(f"{athlete_url}/sessions", json={**SESSION, **change}, headers=acme)
    body = assert_problem(response, 422)
    assert field in {error["field"] for error in body["errors"]}
    assert client.get(f"{athlete_url}/sessions", headers=acme).get_json()["items"] == []


def test_sessions_list_newest_first_and_filter(client, acme, athlete_url):
    for day, exercise, band in [
        (1, "standing-psoas-activation", "none"),
        (3, "half-kneeling-banded-psoas-hold", "light"),
        (2, "half-kneeling-banded-psoas-hold", "medium"),
    ]:
        log(
            client,
            acme,
            athlete_url,
            at=f"2026-11-0{day}T07:00:00+00:00",
            exercise=exercise,
            band_tension=band,
        )
    listed = client.get(f"{athlete_url}/sessions", headers=acme).get_json()["items"]
    assert [s["performed_at"][:10] for s in listed] == ["2026-11-03", "2026-11-02", "2026-11-01"]
    only = client.get(
        f"{athlete_url}/sessions?exercise=standing-psoas-activation", headers=acme
    ).get_json()["items"]
    assert [s["performed_at"][:10] for s in only] == ["2026-11-01"]
    window = client.get(
        f"{athlete_url}/sessions?performed_after=2026-11-02T00:00:00Z"
        "&performed_before=2026-11-03T00:00:00Z",
        headers=acme,
    ).get_json()["items"]
    assert [s["performed_at"][:10] for s in window] == ["2026-11-02"]


def test_sessions_page_through_with_cursors(client, acme, athlete_url):
    for day in range(1, 6):
        log(client, acme, athlete_url, at=f"2026-11-0{day}T07:00:00+00:00")
    seen, url = [], f"{athlete_url}/sessions?page_size=2"
    while url:
        response = client.get(url, headers=acme)
        seen += [s["performed_at"][:10] for s in response.get_json()["items"]]
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
    assert seen == [f"2026-11-0{day}" for day in range(5, 0, -1)]


# --- progress


def test_progress_per_exercise(client, acme, athlete_url):
    log(
        client,
        acme,
        athlete_url,
        at="2026-11-01T07:00:00+00:00",
        band_tension="light",
        reps=IN_RANGE,
    )
    log(client, acme, athlete_url, at="2026-11-03T07:00:00+00:00", band_tension="heavy")
    log(
        client,
        acme,
        athlete_url,
        at="2026-11-02T07:00:00+00:00",
        band_tension="medium",
        reps=[{"hold_seconds": 7.5, "strict_form": True, "high_flexion": True}] * 3,
    )
    progress = client.get(f"{athlete_url}/progress", headers=acme).get_json()
    (entry,) = progress["exercises"]
    assert entry["sessions"] == 3
    assert entry["best_hold_seconds"] == 7.5
    assert entry["last_performed_at"] == "2026-11-03T07:00:00+00:00"
    # The latest by performed_at, though it was not the last logged.
    assert entry["current_position"] == {"band_tension": "heavy", "shoulder_flexion": False}


# --- recommendation (domain.md section 4, with history)


def test_no_session_yet_starts_at_the_bottom(client, acme, athlete_url):
    answer = recommendation(client, acme, athlete_url)
    assert answer["decision"] == "stay"
    assert answer["verdict"] is None
    assert (answer["next"]["level"], answer["next"]["reps"], answer["next"]["hold_seconds"]) == (
        1,
        3,
        3,
    )
    assert answer["based_on"] == []
    assert answer["reasons"][0]["rule"] == "history"


def test_one_mastered_session_is_not_enough_to_step_up(client, acme, athlete_url):
    log(client, acme, athlete_url)
    answer = recommendation(client, acme, athlete_url)
    assert answer["decision"] == "stay"
    assert answer["next"]["band_tension"] == "medium"
    assert "history" in [r["rule"] for r in answer["reasons"]]


def test_two_mastered_sessions_in_a_row_step_up(client, acme, athlete_url):
    log(client, acme, athlete_url, at=days_ago(2))
    log(client, acme, athlete_url, at=days_ago(1))
    answer = recommendation(client, acme, athlete_url)
    assert answer["decision"] == "up"
    assert answer["next"]["band_tension"] == "heavy"


def test_mastered_sessions_at_another_position_do_not_add_up(client, acme, athlete_url):
    log(client, acme, athlete_url, at=days_ago(2), band_tension="light")
    log(client, acme, athlete_url, at=days_ago(1))
    assert recommendation(client, acme, athlete_url)["decision"] == "stay"


def test_one_session_that_falls_short_steps_down(client, acme, athlete_url):
    log(client, acme, athlete_url, at=days_ago(2))
    log(client, acme, athlete_url, at=days_ago(1), reps=SHORT)
    answer = recommendation(client, acme, athlete_url)
    assert answer["decision"] == "down"
    assert answer["next"]["band_tension"] == "light"


def test_the_order_is_performed_at_not_logging_order(client, acme, athlete_url):
    log(client, acme, athlete_url, at=days_ago(1), reps=SHORT)
    log(client, acme, athlete_url, at=days_ago(2))  # logged late
    assert recommendation(client, acme, athlete_url)["decision"] == "down"


def test_the_recommendation_reads_a_bounded_number_of_rows(app, client, acme, athlete_url):
    """Its queries do not grow with the history: count the statements and their LIMITs."""
    for day in range(1, 29):
        log(client, acme, athlete_url, at=f"2026-10-{day:02d}T07:00:00+00:00")
    statements: list[str] = []
    engine = app.extensions["db_engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        recommendation(client, acme, athlete_url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    workout_queries = [s for s in statements if "workout" in s]
    assert len(workout_queries) == 1  # the latest counting workouts: one pair, no step up due
    assert all("LIMIT" in query for query in workout_queries)


# --- idempotency


def test_a_replay_returns_the_first_answer_and_stores_nothing(app, client, acme, athlete_url):
    headers = {**acme, "Idempotency-Key": str(uuid.uuid4())}
    body = {**SESSION, "performed_at": "2026-11-05T07:00:00+00:00"}
    first = client.post(f"{athlete_url}/sessions", json=body, headers=headers)
    again = client.post(f"{athlete_url}/sessions", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(client.get(f"{athlete_url}/sessions", headers=acme).get_json()["items"]) == 1


def test_the_same_key_with_another_body_is_a_422(client, acme, athlete_url):
    headers = {**acme, "Idempotency-Key": str(uuid.uuid4())}
    client.post(f"{athlete_url}/sessions", json=SESSION, headers=headers)
    other = {**SESSION, "band_tension": "heavy"}
    body = assert_problem(client.post(f"{athlete_url}/sessions", json=other, headers=headers), 422)
    assert body["errors"][0] == {
        "location": "header",
        "field": "Idempotency-Key",
        "message": body["detail"],
    }


def test_keys_belong_to_a_tenant(client, api_keys):
    key = str(uuid.uuid4())
    for tenant in api_keys:
        response = client.post(
            "/v1/athletes",
            json={"external_id": f"k-{uuid.uuid4()}"},
            headers={**auth(tenant), "Idempotency-Key": key},
        )
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response.headers


def test_a_malformed_idempotency_key_is_a_422(client, acme):
    response = client.post(
        "/v1/athletes",
        json={"external_id": "x"},
        headers={**acme, "Idempotency-Key": "has spaces in it"},
    )
    assert assert_problem(response, 422)["errors"][0]["field"] == "Idempotency-Key"


def test_a_replay_while_the_first_is_in_flight_is_a_409(app, client, acme, athlete_url):
    """Hold the first request inside its transaction, replay it, then let it finish."""
    from app.services import workouts

    entered, release = threading.Event(), threading.Event()
    original = workouts.log_workout

    def slow_log_session(*args, **kwargs):
        entered.set()
        release.wait(10)
        return original(*args, **kwargs)

    headers = {**acme, "Idempotency-Key": str(uuid.uuid4())}
    first: dict = {}
    workouts.log_workout = slow_log_session
    try:
        worker = threading.Thread(
            target=lambda: first.update(
                response=app.test_client().post(
                    f"{athlete_url}/sessions", json=SESSION, headers=headers
                )
            )
        )
        worker.start()
        assert entered.wait(10)
        replay = client.post(f"{athlete_url}/sessions", json=SESSION, headers=headers)
        assert_problem(replay, 409)
    finally:
        release.set()
        worker.join(10)
        workouts.log_workout = original
    assert first["response"].status_code == 201
    again = client.post(f"{athlete_url}/sessions", json=SESSION, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_keys_are_kept_24_hours_and_purged_after(app, client, acme):
    from app.services.idempotency import purge_expired

    key = str(uuid.uuid4())
    client.post(
        "/v1/athletes",
        json={"external_id": f"e-{uuid.uuid4()}"},
        headers={**acme, "Idempotency-Key": key},
    )
    with app.extensions["db_sessionmaker"]() as session:
        record = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == key))
        assert record.expires_at - record.created_at >= timedelta(hours=24)
        record.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.commit()
        assert purge_expired(session) >= 1
        assert session.scalar(select(func.count()).where(IdempotencyRecord.key == key)) == 0


def test_no_set_without_its_workout(app):
    with app.extensions["db_sessionmaker"]() as session:
        orphans = session.scalar(
            select(func.count())
            .select_from(WorkoutSet)
            .where(~WorkoutSet.workout_id.in_(select(Workout.id)))
        )
    assert orphans == 0


def test_a_session_at_another_position_in_between_breaks_the_pair(client, acme, athlete_url):
    """A session is an activation workout: it counts (a recovery day is logged as a workout)."""
    log(client, acme, athlete_url, at=days_ago(3))
    log(
        client,
        acme,
        athlete_url,
        at=days_ago(2),  # a recovery day
        exercise="supine-psoas-activation",
        band_tension="none",
        reps=IN_RANGE,
    )
    log(client, acme, athlete_url, at=days_ago(1))
    answer = recommendation(client, acme, athlete_url)
    assert answer["decision"] == "stay"
    assert answer["next"]["band_tension"] == "medium"


def test_sessions_at_the_same_instant_are_ordered_by_logging(client, acme, athlete_url):
    log(client, acme, athlete_url, at=days_ago(1, hour=8), reps=SHORT)
    log(client, acme, athlete_url, at=days_ago(1, hour=8))  # logged later: the latest
    for _ in range(3):
        assert recommendation(client, acme, athlete_url)["decision"] == "stay"


@pytest.mark.parametrize("stamp", ["2026-11-20t07:30:00z", "2026-11-20T07:30:00.123456+05:45"])
def test_rfc_3339_timestamps_are_accepted(client, acme, athlete_url, stamp):
    log(client, acme, athlete_url, at=stamp)


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-W47-5T07:30:00Z",
        "20261120T073000Z",
        "2026-11-20T07:30:00+0100",
        "2026-11-20T07:30Z",
        "2026-11-20T07:30:00,5Z",
        "2026-11-20",
    ],
)
def test_other_timestamp_spellings_are_a_422(client, acme, athlete_url, stamp):
    response = client.post(
        f"{athlete_url}/sessions", json={**SESSION, "performed_at": stamp}, headers=acme
    )
    assert assert_problem(response, 422)["errors"][0]["field"] == "performed_at"


def test_a_replay_to_the_same_route_spelled_differently_is_a_replay(client, acme, athlete_url):
    headers = {**acme, "Idempotency-Key": str(uuid.uuid4())}
    first = client.post(f"{athlete_url}/sessions", json=SESSION, headers=headers)
    upper = athlete_url.replace(
        athlete_url.rsplit("/", 1)[1], athlete_url.rsplit("/", 1)[1].upper()
    )
    again = client.post(f"{upper}/sessions", json=SESSION, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
