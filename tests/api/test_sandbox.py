"""Sandbox keys: a client app's `psk_test_` keys reach its sandbox, whose data never meets
the live app's (athletes, workouts, idempotency keys)."""

from __future__ import annotations

import uuid

import pytest

from app.services.keys import create_key
from tests.api.workout_bodies import WORKOUT
from tests.helpers import assert_problem, auth


@pytest.fixture
def twins(app) -> tuple[dict[str, str], dict[str, str]]:
    """A live key and a sandbox key of one client app."""
    name = f"twin-{uuid.uuid4().hex[:6]}"
    with app.extensions["db_sessionmaker"]() as session:
        live = create_key(session, name)
        sandbox = create_key(session, name, sandbox=True)
    assert sandbox.startswith("psk_test_") and not live.startswith("psk_test_")
    return auth(live), auth(sandbox)


def make_athlete(client, headers, external_id: str) -> str:
    response = client.post("/v1/athletes", json={"external_id": external_id}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.headers["Location"]


def test_sandbox_and_live_never_see_each_others_athletes(client, twins):
    live, sandbox = twins
    in_live = make_athlete(client, live, "same-id")
    in_sandbox = make_athlete(client, sandbox, "same-id")  # no conflict: another tenant
    assert in_live != in_sandbox
    for headers, own, other in ((live, in_live, in_sandbox), (sandbox, in_sandbox, in_live)):
        listed = client.get("/v1/athletes", headers=headers).get_json()["items"]
        assert [f"/v1/athletes/{a['id']}" for a in listed] == [own]
        assert client.get(own, headers=headers).status_code == 200
        assert_problem(client.get(other, headers=headers), 404)
        assert_problem(client.post(f"{other}/workouts", json=WORKOUT, headers=headers), 404)
        assert_problem(client.delete(other, headers=headers), 404)


def test_a_sandbox_workout_is_not_in_the_live_app(client, twins):
    live, sandbox = twins
    athlete = make_athlete(client, sandbox, "logs")
    assert client.post(f"{athlete}/workouts", json=WORKOUT, headers=sandbox).status_code == 201
    assert len(client.get(f"{athlete}/workouts", headers=sandbox).get_json()["items"]) == 1
    assert_problem(client.get(f"{athlete}/workouts", headers=live), 404)


def test_an_idempotency_key_is_the_sandboxs_own(client, twins):
    live, sandbox = twins
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    body = {"external_id": "keyed"}
    first = client.post("/v1/athletes", json=body, headers={**sandbox, **key})
    other = client.post("/v1/athletes", json=body, headers={**live, **key})
    assert first.status_code == other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert first.get_json()["id"] != other.get_json()["id"]


def test_a_revoked_sandbox_key_is_refused(app, client):
    from app.services.keys import revoke_key

    with app.extensions["db_sessionmaker"]() as session:
        key = create_key(session, f"revoked-twin-{uuid.uuid4().hex[:6]}", sandbox=True)
        revoke_key(session, key[:18])
    response = client.get("/v1/athletes", headers=auth(key))
    assert_problem(response, 401)
