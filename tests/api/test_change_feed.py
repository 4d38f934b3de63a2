"""GET /v1/changes: every committed write to athletes and workouts, in commit order, with
tombstones; nothing for a write that did not happen; resumable; the sandbox's own."""

from __future__ import annotations

import uuid

import pytest

from app.services.keys import create_key
from tests.api.workout_bodies import WORKOUT, both_sides, workout
from tests.helpers import assert_problem, auth


@pytest.fixture
def fresh(app) -> dict[str, str]:
    """A key of a new client app: its feed starts empty."""
    with app.extensions["db_sessionmaker"]() as session:
        return auth(create_key(session, f"feed-{uuid.uuid4().hex[:6]}"))


def feed(client, headers, cursor: str | None = None, page_size: int = 100) -> dict:
    query = f"?page_size={page_size}" + (f"&cursor={cursor}" if cursor else "")
    response = client.get(f"/v1/changes{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def kinds(page: dict) -> list[tuple[str, bool]]:
    return [(c["type"], c["tombstone"]) for c in page["items"]]


def test_every_write_is_a_change_in_commit_order(client, fresh):
    assert feed(client, fresh)["items"] == []
    athlete = client.post("/v1/athletes", json={"external_id": "a"}, headers=fresh)
    url = athlete.headers["Location"]
    athlete_id = athlete.get_json()["id"]
    patched = client.patch(
        url, json={"display_name": "Sam"}, headers={**fresh, "If-Match": athlete.headers["ETag"]}
    )
    assert patched.status_code == 200
    logged = client.post(f"{url}/workouts", json=WORKOUT, headers=fresh)
    workout_url, workout_id = logged.headers["Location"], logged.get_json()["id"]
    corrected = client.patch(
        workout_url, json={"notes": "x"}, headers={**fresh, "If-Match": logged.headers["ETag"]}
    )
    assert corrected.status_code == 200
    assert client.delete(workout_url, headers=fresh).status_code == 204
    assert client.delete(url, headers=fresh).status_code == 204

    page = feed(client, fresh)
    assert kinds(page) == [
        ("athlete.created", False),
        ("athlete.updated", False),
        ("workout.created", False),
        ("workout.updated", False),
        ("workout.deleted", True),
        ("athlete.deleted", True),
    ]
    assert [c["seq"] for c in page["items"]] == [1, 2, 3, 4, 5, 6]
    assert {c["athlete_id"] for c in page["items"]} == {athlete_id}
    assert [c["workout_id"] for c in page["items"]] == [None, None, *[workout_id] * 3, None]
    assert [c["url"] for c in page["items"]] == [url, url, workout_url, workout_url, None, None]
    assert page["has_more"] is False


def test_a_write_that_did_not_happen_is_no_change(client, fresh):
    athlete = client.post("/v1/athletes", json={"external_id": "b"}, headers=fresh)
    url = athlete.headers["Location"]
    assert_problem(client.post("/v1/athletes", json={"external_id": "b"}, headers=fresh), 409)
    assert_problem(client.post(f"{url}/workouts", json={"sets": []}, headers=fresh), 422)
    stale = {**fresh, "If-Match": '"999"'}
    assert_problem(client.patch(url, json={"display_name": "x"}, headers=stale), 412)
    key = {**fresh, "Idempotency-Key": "once"}
    first = client.post(f"{url}/workouts", json=WORKOUT, headers=key)
    replay = client.post(f"{url}/workouts", json=WORKOUT, headers=key)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["id"] == replay.get_json()["id"]
    assert kinds(feed(client, fresh)) == [("athlete.created", False), ("workout.created", False)]


def test_a_client_resumes_where_it_stopped(client, fresh):
    url = client.post("/v1/athletes", json={"external_id": "c"}, headers=fresh).headers["Location"]
    for day in range(3):
        body = workout(both_sides(), at=f"2026-11-0{day + 1}T08:00:00Z")
        assert client.post(f"{url}/workouts", json=body, headers=fresh).status_code == 201
    first = client.get("/v1/changes?page_size=2", headers=fresh)
    assert first.get_json()["has_more"] is True
    assert 'rel="next"' in first.headers["Link"]
    second = feed(client, fresh, first.get_json()["next_cursor"], page_size=2)
    assert [c["seq"] for c in second["items"]] == [3, 4]
    assert second["has_more"] is False
    caught_up = feed(client, fresh, second["next_cursor"], page_size=2)
    assert caught_up["items"] == [] and caught_up["has_more"] is False
    # An empty page keeps the place: the next write is all the next poll sees.
    client.delete(url, headers=fresh)
    later = feed(client, fresh, caught_up["next_cursor"])
    assert kinds(later) == [("athlete.deleted", True)] and later["items"][0]["seq"] == 5


def test_a_cursor_is_this_apps_and_untampered(client, fresh, acme):
    client.post("/v1/athletes", json={"external_id": "d"}, headers=fresh)
    cursor = feed(client, fresh)["next_cursor"]
    assert_problem(client.get(f"/v1/changes?cursor={cursor}", headers=acme), 422)
    assert_problem(client.get(f"/v1/changes?cursor={cursor[:-2]}xx", headers=fresh), 422)
    assert_problem(client.get("/v1/changes"), 401)


def test_the_sandbox_has_its_own_feed(app, client):
    name = f"feed-twin-{uuid.uuid4().hex[:6]}"
    with app.extensions["db_sessionmaker"]() as session:
        live, sandbox = (
            auth(create_key(session, name)),
            auth(create_key(session, name, sandbox=True)),
        )
    client.post("/v1/athletes", json={"external_id": "live"}, headers=live)
    client.post("/v1/athletes", json={"external_id": "test"}, headers=sandbox)
    client.post("/v1/athletes", json={"external_id": "test-2"}, headers=sandbox)
    assert [c["seq"] for c in feed(client, live)["items"]] == [1]
    assert [c["seq"] for c in feed(client, sandbox)["items"]] == [1, 2]
