"""Athletes over HTTP, on both engines: keys, tenants, ETags, conflicts, mass assignment."""

import re
import time
import uuid

import pytest
from sqlalchemy import event

from tests.conftest import make_app
from tests.helpers import SESSION, assert_problem, auth


@pytest.fixture
def athlete(client, acme) -> dict:
    response = client.post("/v1/athletes", json={"external_id": f"u-{uuid.uuid4()}"}, headers=acme)
    assert response.status_code == 201
    return response.get_json()


# --- keys


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, None),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "invalid_request"),
        ({"Authorization": "Bearer "}, "invalid_request"),
        ({"Authorization": "Bearer psk_00000000_" + "x" * 43}, "invalid_token"),
        ({"Authorization": "Bearer nonsense"}, "invalid_token"),
    ],
)
def test_a_missing_or_unknown_key_is_a_401_with_a_challenge(client, headers, error):
    response = client.get("/v1/athletes", headers=headers)
    assert_problem(response, 401)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="psoas-api"')
    assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)


@pytest.fixture
def app_caching_keys_for(database_url):
    """An app whose key cache keeps a verified key the given number of seconds."""
    made = []

    def make(seconds: int):
        made.append(make_app(database_url, {"API_KEY_CACHE_SECONDS": str(seconds)}))
        return made[-1]

    yield make
    for app in made:
        app.extensions["db_engine"].dispose()


def test_a_revoked_key_is_a_401(app_caching_keys_for):
    from app.services.keys import create_key, revoke_key

    app = app_caching_keys_for(0)
    client = app.test_client()
    with app.extensions["db_sessionmaker"]() as session:
        key = create_key(session, f"revoked-{uuid.uuid4().hex[:6]}")
        assert client.get("/v1/athletes", headers=auth(key)).status_code == 200
        revoke_key(session, key[:13])
    assert_problem(client.get("/v1/athletes", headers=auth(key)), 401)


def test_a_key_is_looked_up_once_per_cache_period_and_a_revocation_reaches_it(
    app_caching_keys_for,
):
    from app.services.keys import create_key, revoke_key

    app = app_caching_keys_for(1)
    client = app.test_client()
    lookups = []

    @event.listens_for(app.extensions["db_engine"], "before_cursor_execute")
    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if "FROM api_keys" in statement:
            lookups.append(statement)

    with app.extensions["db_sessionmaker"]() as session:
        key = create_key(session, f"cached-{uuid.uuid4().hex[:6]}")
        for _ in range(5):
            assert client.get("/v1/athletes", headers=auth(key)).status_code == 200
        assert len(lookups) == 1
        revoke_key(session, key[:13])
    deadline = time.monotonic() + 5
    while client.get("/v1/athletes", headers=auth(key)).status_code == 200:
        assert time.monotonic() < deadline, "the revocation never took effect"
        time.sleep(0.1)
    assert_problem(client.get("/v1/athletes", headers=auth(key)), 401)


def test_only_a_hash_of_the_key_is_stored(app, api_keys):
    from sqlalchemy import select

    from app.models import ApiKey

    with app.extensions["db_sessionmaker"]() as session:
        stored = session.scalars(select(ApiKey.secret_hash)).all()
    assert api_keys[0] not in stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in stored)


@pytest.mark.parametrize("place", ["query", "body", "header", "public-route"])
def test_a_key_anywhere_but_the_authorization_header_is_refused(client, api_keys, place):
    key = api_keys[0]
    if place == "query":
        response = client.get(f"/v1/athletes?api_key={key}", headers=auth(key))
    elif place == "body":
        response = client.post("/v1/athletes", json={"external_id": "x", "key": key})
    elif place == "header":
        response = client.get("/v1/athletes", headers={"X-API-Key": key})
    else:
        response = client.get(f"/v1/exercises?q={key}")
    body = assert_problem(response, 401)
    assert "leaked" in body["detail"]


def test_public_routes_need_no_key(client):
    assert client.get("/v1/exercises").status_code == 200
    assert (
        client.post(
            "/v1/routines",
            json={
                "context": "activation",
                "exercise": "supine-psoas-activation",
                "band_tension": "none",
            },
        ).status_code
        == 200
    )


# --- athletes


def test_create_answers_201_with_location_etag_and_utc_timestamps(client, acme):
    response = client.post(
        "/v1/athletes",
        json={"external_id": f"u-{uuid.uuid4()}", "display_name": "Sam"},
        headers=acme,
    )
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/v1/athletes/{body['id']}"
    assert response.headers["ETag"].startswith('"')
    assert body["created_at"].endswith("+00:00")
    assert client.get(response.headers["Location"], headers=acme).get_json() == body


def test_external_id_is_unique_within_a_tenant_only(client, acme, globex):
    external_id = f"u-{uuid.uuid4()}"
    assert (
        client.post("/v1/athletes", json={"external_id": external_id}, headers=acme).status_code
        == 201
    )
    assert_problem(
        client.post("/v1/athletes", json={"external_id": external_id}, headers=acme), 409
    )
    assert (
        client.post("/v1/athletes", json={"external_id": external_id}, headers=globex).status_code
        == 201
    )


@pytest.mark.parametrize("field", ["id", "created_at", "updated_at", "client_app_id", "tenant"])
def test_server_owned_fields_in_a_body_are_a_422(client, acme, athlete, field):
    body = {"external_id": f"u-{uuid.uuid4()}", field: "x"}
    problem = assert_problem(client.post("/v1/athletes", json=body, headers=acme), 422)
    assert problem["errors"][0]["field"] == field
    etag = client.get(f"/v1/athletes/{athlete['id']}", headers=acme).headers["ETag"]
    patch = client.patch(
        f"/v1/athletes/{athlete['id']}", json={field: "x"}, headers={**acme, "If-Match": etag}
    )
    assert_problem(patch, 422)


def test_patch_needs_if_match(client, acme, athlete):
    response = client.patch(
        f"/v1/athletes/{athlete['id']}", json={"display_name": "A"}, headers=acme
    )
    assert_problem(response, 428)


def test_a_stale_etag_is_a_412_and_changes_nothing(client, acme, athlete):
    url = f"/v1/athletes/{athlete['id']}"
    etag = client.get(url, headers=acme).headers["ETag"]
    first = client.patch(url, json={"display_name": "First"}, headers={**acme, "If-Match": etag})
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    assert_problem(
        client.patch(url, json={"display_name": "Second"}, headers={**acme, "If-Match": etag}), 412
    )
    assert client.get(url, headers=acme).get_json()["display_name"] == "First"


def test_an_empty_patch_is_a_422(client, acme, athlete):
    etag = client.get(f"/v1/athletes/{athlete['id']}", headers=acme).headers["ETag"]
    assert_problem(
        client.patch(f"/v1/athletes/{athlete['id']}", json={}, headers={**acme, "If-Match": etag}),
        422,
    )


def test_get_with_if_none_match_is_a_304(client, acme, athlete):
    url = f"/v1/athletes/{athlete['id']}"
    etag = client.get(url, headers=acme).headers["ETag"]
    response = client.get(url, headers={**acme, "If-None-Match": etag})
    assert (response.status_code, response.headers["ETag"]) == (304, etag)


def test_delete_removes_the_athlete_and_their_sessions(client, acme, athlete):
    url = f"/v1/athletes/{athlete['id']}"
    logged = client.post(f"{url}/sessions", json=SESSION, headers=acme)
    assert logged.status_code == 201
    assert client.delete(url, headers=acme).status_code == 204
    assert_problem(client.get(url, headers=acme), 404)
    assert_problem(client.get(logged.headers["Location"], headers=acme), 404)


def test_the_list_pages_through_every_athlete_of_the_tenant_once(client, acme, globex):
    mine = {
        client.post(
            "/v1/athletes", json={"external_id": f"p-{uuid.uuid4()}"}, headers=acme
        ).get_json()["id"]
        for _ in range(5)
    }
    seen, url = [], "/v1/athletes?page_size=2"
    while url:
        response = client.get(url, headers=acme)
        seen += [a["id"] for a in response.get_json()["items"]]
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
    assert mine <= set(seen)
    assert len(seen) == len(set(seen))
    theirs = {
        a["id"]
        for a in client.get("/v1/athletes?page_size=100", headers=globex).get_json()["items"]
    }
    assert not theirs & mine


def test_the_list_finds_an_athlete_by_external_id(client, acme, athlete):
    response = client.get(f"/v1/athletes?external_id={athlete['external_id']}", headers=acme)
    assert [a["id"] for a in response.get_json()["items"]] == [athlete["id"]]


def athlete_routes(athlete_id: str, session_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/v1/athletes/{athlete_id}"
    return [
        ("GET", base, None),
        ("PATCH", base, {"display_name": "x"}),
        ("DELETE", base, None),
        ("GET", f"{base}/sessions", None),
        ("POST", f"{base}/sessions", SESSION),
        ("GET", f"{base}/sessions/{session_id}", None),
        ("GET", f"{base}/progress", None),
        ("GET", f"{base}/recommendation", None),
    ]


def test_another_tenants_athlete_is_a_404_on_every_route(client, acme, globex, athlete):
    session_id = client.post(
        f"/v1/athletes/{athlete['id']}/sessions", json=SESSION, headers=acme
    ).get_json()["id"]
    for method, url, body in athlete_routes(athlete["id"], session_id):
        response = client.open(url, method=method, json=body, headers={**globex, "If-Match": "*"})
        assert_problem(response, 404)
    # ... and the athlete is untouched for its own tenant.
    assert client.get(f"/v1/athletes/{athlete['id']}", headers=acme).status_code == 200
    sessions = client.get(f"/v1/athletes/{athlete['id']}/sessions", headers=acme).get_json()
    assert len(sessions["items"]) == 1


def test_a_malformed_athlete_id_is_a_404(client, acme):
    assert_problem(client.get("/v1/athletes/not-a-uuid", headers=acme), 404)


@pytest.mark.parametrize("value", ["abc", '"unterminated', "W/abc"])
def test_a_malformed_if_match_is_a_422(client, acme, athlete, value):
    response = client.patch(
        f"/v1/athletes/{athlete['id']}",
        json={"display_name": "A"},
        headers={**acme, "If-Match": value},
    )
    assert assert_problem(response, 422)["errors"][0]["field"] == "If-Match"


@pytest.mark.parametrize("value", ['""', '"a", ""'])
def test_an_empty_entity_tag_in_if_match_is_a_412_not_a_500(client, acme, athlete, value):
    # Found by schemathesis: werkzeug parses `""` as no tag at all.
    response = client.patch(
        f"/v1/athletes/{athlete['id']}",
        json={"display_name": "A"},
        headers={**acme, "If-Match": value},
    )
    assert_problem(response, 412)


def test_if_match_star_matches_the_current_version(client, acme, athlete):
    response = client.patch(
        f"/v1/athletes/{athlete['id']}",
        json={"display_name": "Star"},
        headers={**acme, "If-Match": "*"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("place", ["encoded-query", "escaped-json", "path"])
def test_a_key_is_found_however_it_is_spelled(client, api_keys, place):
    key = api_keys[0]
    if place == "encoded-query":
        response = client.get("/v1/exercises?q=" + key.replace("_", "%5F"))
    elif place == "escaped-json":
        escaped = "\\u0070" + key[1:]
        response = client.post(
            "/v1/athletes",
            data='{"external_id": "' + escaped + '"}',
            content_type="application/json",
            headers=auth(key),
        )
    else:
        response = client.get(f"/v1/exercises/{key}")
    assert "leaked" in assert_problem(response, 401)["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"external_id": "a\x00b"}, "external_id"),
        ({"external_id": "ok", "display_name": "x\x00"}, "display_name"),
    ],
)
def test_nul_in_text_is_a_422_not_a_500(client, acme, body, field):
    problem = assert_problem(client.post("/v1/athletes", json=body, headers=acme), 422)
    assert problem["errors"][0]["field"] == field


def test_a_lone_surrogate_is_a_422(client, acme):
    response = client.post(
        "/v1/athletes",
        data='{"external_id": "\\ud800"}',
        content_type="application/json",
        headers=acme,
    )
    assert_problem(response, 422)


def test_nul_in_a_query_value_is_a_422(client, acme):
    assert_problem(client.get("/v1/athletes?external_id=a%00b", headers=acme), 422)
