"""Input that crashed a reader once: each is a 4xx problem and one short log line, never a 500."""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from app.web import json_body
from tests.helpers import assert_problem

DEEP = "[" * 5000 + "]" * 5000
DEEP_ESCAPED = '{"notes": "\\u0041", "x": ' + "[" * 400 + "]" * 400 + "}"
HUGE_INTEGER = '{"reps": ' + "9" * 5000 + "}"


@pytest.fixture
def athlete(client, acme) -> str:
    response = client.post("/v1/athletes", json={"external_id": f"h-{uuid.uuid4()}"}, headers=acme)
    return response.headers["Location"]


def post_raw(client, path, body, headers=None):
    return client.post(
        path, data=body, headers={"Content-Type": "application/json", **(headers or {})}
    )


@pytest.mark.parametrize("body", [DEEP, DEEP_ESCAPED, HUGE_INTEGER, '{"x": NaN}', "[Infinity]"])
@pytest.mark.parametrize("path", ["/healthz", "/v1/progressions/evaluate", "/v1/routines"])
def test_hostile_json_is_a_422_on_any_route(client, caplog, path, body):
    with caplog.at_level(logging.INFO):
        response = post_raw(client, path, body)
    if path == "/healthz":  # a route without a body: the JSON is never parsed, nothing breaks
        assert response.status_code == 405
        return
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == "(body)"
    assert "Not valid JSON" in problem["errors"][0]["message"]
    assert not any(record.exc_info for record in caplog.records)


@pytest.mark.parametrize("body", [DEEP, DEEP_ESCAPED, HUGE_INTEGER])
def test_hostile_json_on_a_keyed_route_is_a_422_and_stores_nothing(client, acme, athlete, body):
    response = post_raw(client, f"{athlete}/workouts", body, acme)
    assert_problem(response, 422)
    listed = client.get(f"{athlete}/workouts", headers=acme).get_json()
    assert listed["items"] == []


def test_the_json_limits_are_far_beyond_any_real_body():
    nested = {"a": [[[{"b": [1, 2.5, "x"]}]]]}
    assert json_body.loads(json.dumps(nested)) == nested
    assert json_body.loads("[" * json_body.MAX_DEPTH + "]" * json_body.MAX_DEPTH) is not None
    with pytest.raises(json.JSONDecodeError, match="nested deeper"):
        json_body.loads("[" * (json_body.MAX_DEPTH + 1) + "]" * (json_body.MAX_DEPTH + 1))
    assert json_body.loads("1" * json_body.MAX_NUMBER_LENGTH) == int("1" * 100)
    with pytest.raises(json.JSONDecodeError, match="number longer"):
        json_body.loads("1" * (json_body.MAX_NUMBER_LENGTH + 1))
    assert json_body.loads("7") == 7


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-01:00"],
)
@pytest.mark.parametrize("name", ["performed_after", "performed_before"])
def test_instants_outside_the_utc_calendar_are_a_422(client, acme, athlete, name, moment):
    response = client.get(f"{athlete}/workouts", query_string={name: moment}, headers=acme)
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == name
    assert "Out of range" in problem["errors"][0]["message"]


def test_a_body_with_an_instant_outside_the_utc_calendar_is_a_422(client, acme, athlete):
    body = {
        "performed_at": "0001-01-01T00:00:00+14:00",
        "context": "activation",
        "sets": [],
    }
    response = client.post(f"{athlete}/workouts", json=body, headers=acme)
    problem = assert_problem(response, 422)
    assert "performed_at" in {error["field"] for error in problem["errors"]}


class InvalidChunkSize(Exception):
    """What gunicorn's chunked reader raises: neither an OSError nor a ValueError, so
    werkzeug does not take it for a disconnect."""


class BrokenBody:
    """A request stream that breaks off the way gunicorn's chunked reader does."""

    def read(self, *_args):
        raise InvalidChunkSize("Invalid chunk size: 'zz'")

    readline = read


def test_a_body_that_breaks_its_framing_is_a_400(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.post(
            "/v1/progressions/evaluate",
            headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input": BrokenBody(), "wsgi.input_terminated": True},
        )
    problem = assert_problem(response, 400)
    assert "framing" in problem["detail"]
    assert not any(record.exc_info for record in caplog.records)
    assert any("unreadable request body" in record.getMessage() for record in caplog.records)


def test_an_http_1_1_request_without_host_is_a_400(app):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/v1/exercises",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BrokenBody(),
        "wsgi.errors": None,
    }
    answered: list[str] = []
    body = b"".join(app(environ, lambda status, _headers: answered.append(status)))
    assert answered == ["400 BAD REQUEST"]
    assert "Host" in json.loads(body)["detail"]
    environ["SERVER_PROTOCOL"] = "HTTP/1.0"  # HTTP/1.0 had no Host: served
    answered.clear()
    b"".join(app(environ, lambda status, _headers: answered.append(status)))
    assert answered == ["200 OK"]


def test_single_valued_fields_sent_twice_are_a_422_naming_them(client):
    # gunicorn (gunicorn.conf.py, pre_request) names the repeated fields in this one, which
    # it drops when a client sends it; tests/system checks the two ends meet.
    response = client.get(
        "/v1/rules", headers={"X-Psoas-Repeated-Fields": "IDEMPOTENCY-KEY, IF-MATCH"}
    )
    problem = assert_problem(response, 422)
    assert [(e["location"], e["field"]) for e in problem["errors"]] == [
        ("header", "Idempotency-Key"),
        ("header", "If-Match"),
    ]


def test_a_query_string_that_is_not_utf8_is_a_400(client):
    # As a WSGI server hands raw bytes over: read as latin-1 (PEP 3333).
    response = client.get("/v1/exercises", environ_overrides={"QUERY_STRING": "level=\x80"})
    assert "UTF-8" in assert_problem(response, 400)["detail"]
    escaped = client.get("/v1/exercises", query_string="q=%C3%A9")  # é, escaped: fine
    assert escaped.status_code == 200


class SilentBody:
    """A request stream whose client stopped sending: the server's idle timeout fires."""

    def read(self, *_args):
        raise TimeoutError("timed out")

    readline = read


def test_a_body_that_stops_arriving_is_a_408(client):
    response = client.post(
        "/v1/progressions/evaluate",
        headers={"Content-Type": "application/json", "Content-Length": "100"},
        environ_overrides={"wsgi.input": SilentBody(), "CONTENT_LENGTH": "100"},
    )
    assert "stopped arriving" in assert_problem(response, 408)["detail"]


@pytest.mark.parametrize("host", ["a b", "a, b", "x\xff", "[::1", "h:8o"])
def test_a_host_that_is_no_host_is_a_400(client, host):
    response = client.get("/v1/rules", headers={"Host": host})
    assert "Host" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize("host", ["api.example.com", "127.0.0.1:8000", "[::1]:80", "localhost"])
def test_hosts_as_clients_send_them_are_served(client, host):
    assert client.get("/v1/rules", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("moment", ["2026-01-01T00:00:00-00:60", "2026-01-01T00:00:00+24:00"])
def test_an_offset_out_of_range_is_a_422(client, acme, athlete, moment):
    response = client.get(
        f"{athlete}/workouts", query_string={"performed_after": moment}, headers=acme
    )
    assert_problem(response, 422)
