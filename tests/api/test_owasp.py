"""OWASP API Security Top 10 (2023), item by item where it applies to this API.

API1 object-level authorization: every id-bearing route, taken from the URL map.
API2 authentication: tests/api/test_athletes.py (401s, keys only in the header, hashes).
API3 property-level authorization (mass assignment): server-owned fields, below.
API4 resource consumption: page sizes, body sizes and rate limits, below and in
     tests/api/test_protections.py.
API5 function-level authorization: there are no admin routes over HTTP (keys are made
     on the command line); every athlete route needs a key, below.
API8 misconfiguration: no stack traces, nosniff, CORS without credentials.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.api.workout_bodies import WORKOUT
from tests.helpers import SESSION, assert_problem, auth

ID_PARAMETER = re.compile(r"<uuid:(\w+)>")


def id_bearing_routes(app) -> list[tuple[str, str]]:
    """(method, rule) for every route with an id in its path, straight from the URL map."""
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if ID_PARAMETER.search(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


def test_the_url_map_has_the_athlete_routes(app):
    assert len(id_bearing_routes(app)) >= 8


def test_api1_another_tenants_objects_are_404_on_every_id_bearing_route(app, client, api_keys):
    owner, intruder = auth(api_keys[0]), auth(api_keys[1])
    athlete = client.post(
        "/v1/athletes", json={"external_id": f"o-{uuid.uuid4()}"}, headers=owner
    ).get_json()
    session = client.post(
        f"/v1/athletes/{athlete['id']}/sessions", json=SESSION, headers=owner
    ).get_json()
    workout = client.post(
        f"/v1/athletes/{athlete['id']}/workouts", json=WORKOUT, headers=owner
    ).get_json()
    ids = {"athlete_id": athlete["id"], "session_id": session["id"], "workout_id": workout["id"]}
    bodies = {
        ("POST", "sessions"): SESSION,
        ("POST", "workouts"): WORKOUT,
        ("POST", "routines"): {"context": "activation"},
        ("PATCH", "workout_id>"): {"notes": "stolen"},
        ("PATCH", "athlete_id>"): {"display_name": "stolen"},
    }
    for method, rule in id_bearing_routes(app):
        url = ID_PARAMETER.sub(lambda m: ids[m.group(1)], rule)
        body = next(
            (b for (m, end), b in bodies.items() if m == method and rule.endswith(end)), None
        )
        response = client.open(url, method=method, json=body, headers={**intruder, "If-Match": "*"})
        assert_problem(response, 404)
    # Nothing changed for the owner.
    assert client.get(f"/v1/athletes/{athlete['id']}", headers=owner).get_json() == athlete
    listed = client.get(f"/v1/athletes/{athlete['id']}/workouts", headers=owner).get_json()
    assert len(listed["items"]) == 2
    assert listed["items"][0] == workout
    assert listed["items"][1]["sets"][0]["side"] == "both"  # the session, as a workout
    sessions = client.get(f"/v1/athletes/{athlete['id']}/sessions", headers=owner).get_json()
    assert session["id"] in [s["id"] for s in sessions["items"]]


def test_api2_and_api5_every_athlete_route_needs_a_key(app, client):
    for method, rule in id_bearing_routes(app):
        url = ID_PARAMETER.sub(lambda _m: str(uuid.uuid4()), rule)
        response = client.open(url, method=method, json={})
        assert_problem(response, 401)
        assert "WWW-Authenticate" in response.headers


@pytest.mark.parametrize("field", ["id", "client_app_id", "created_at", "version", "verdict"])
def test_api3_server_owned_fields_cannot_be_assigned(client, api_keys, field):
    headers = auth(api_keys[0])
    athlete = client.post(
        "/v1/athletes", json={"external_id": f"m-{uuid.uuid4()}"}, headers=headers
    ).get_json()
    response = client.post(
        f"/v1/athletes/{athlete['id']}/sessions", json={**SESSION, field: "x"}, headers=headers
    )
    assert assert_problem(response, 422)["errors"][0]["field"] == field


@pytest.mark.parametrize("path", ["/v1/exercises?page_size=101", "/v1/athletes?page_size=1000"])
def test_api4_oversized_pages_are_refused(client, api_keys, path):
    assert_problem(client.get(path, headers=auth(api_keys[0])), 422)


def test_api4_oversized_bodies_are_refused(client, api_keys):
    response = client.post(
        "/v1/athletes",
        data='{"external_id": "' + "x" * 70_000 + '"}',
        content_type="application/json",
        headers=auth(api_keys[0]),
    )
    assert_problem(response, 413)


def test_api8_errors_never_show_internals(client):
    for response in (
        client.get("/nope"),
        client.post("/v1/routines", data="{", content_type="application/json"),
    ):
        text = response.get_data(as_text=True)
        assert "Traceback" not in text and 'File "' not in text
        assert response.headers["X-Content-Type-Options"] == "nosniff"
