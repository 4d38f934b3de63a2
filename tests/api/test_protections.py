"""Request IDs, logs, security headers, CORS, body limits, rate limits (issue 6, in-process)."""

import io
import json
import re
import socket
import time
import uuid

import pytest

from app.config import ConfigError, Settings
from app.web.observability import AccessLog
from tests.conftest import make_app
from tests.helpers import a_fresh_minute, assert_problem


@pytest.fixture(autouse=True)
def within_one_window():
    a_fresh_minute()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_well_formed_request_id_is_echoed(client):
    response = client.get("/v1/rules", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.42"


@pytest.mark.parametrize("given", [None, "", "has spaces", "x" * 129, "<script>"])
def test_a_missing_or_malformed_request_id_is_replaced(client, given):
    headers = {"X-Request-ID": given} if given is not None else {}
    made = client.get("/v1/rules", headers=headers).headers["X-Request-ID"]
    assert made != given and len(made) == 32


def test_every_problem_names_its_request_id(client):
    body = assert_problem(client.get("/nope", headers={"X-Request-ID": "trace-1"}), 404)
    assert body["request_id"] == "trace-1"


def test_access_logs_carry_the_request_but_never_the_key_or_body(app, client, api_keys):
    key = api_keys[0]
    access_log = app.extensions["access_log"]
    access_log.stream = io.StringIO()
    client.post(
        "/v1/athletes",
        json={"external_id": "secret-body-value"},
        headers={"Authorization": f"Bearer {key}", "X-Request-ID": "log-1"},
    )
    access_log.flush()
    text = access_log.stream.getvalue()
    (line,) = [json.loads(x) for x in text.splitlines() if '"log-1"' in x]
    assert (line["logger"], line["level"], line["message"]) == ("psoas.access", "info", "request")
    assert line["request_id"] == "log-1"
    assert line["route"] == "/v1/athletes"
    assert line["status"] == 201
    assert line["client_app"] is not None
    assert isinstance(line["latency_ms"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert key not in text and "secret-body-value" not in text


class BrokenStream(io.StringIO):
    """A log stream whose reader went away (EPIPE), until `mended`."""

    mended = False

    def write(self, text: str) -> int:
        if not self.mended:
            raise BrokenPipeError("the log collector went away")
        return super().write(text)


def test_a_failing_access_log_never_fails_a_request(app, client, capsys):
    app.config["TESTING"] = False  # errors become answers, as in production
    app.extensions["access_log"].stream = BrokenStream()
    statuses = {client.get("/v1/rules").status_code for _ in range(2 * AccessLog.BATCH_LINES)}
    assert statuses == {200}
    assert capsys.readouterr().err.count("access lines lost") == 1  # said once, not per batch


def test_the_flusher_outlives_a_failed_write(capsys):
    stream = BrokenStream()
    lines = AccessLog(stream)
    lines.record({"n": "lost"})
    deadline = time.monotonic() + 10 * AccessLog.MAX_DELAY_SECONDS
    while "access lines lost" not in capsys.readouterr().err:
        assert time.monotonic() < deadline, "the flusher never tried to write"
        time.sleep(0.05)
    stream.mended = True
    lines.record({"n": "kept"})
    while "kept" not in stream.getvalue():
        assert time.monotonic() < deadline, "the flusher died with the failed write"
        time.sleep(0.05)


def test_access_lines_are_written_in_batches_and_never_held_long():
    stream = io.StringIO()
    lines = AccessLog(stream)
    for number in range(AccessLog.BATCH_LINES - 1):
        lines.record({"n": number})
    assert stream.getvalue() == ""  # held: one write per batch, not per request
    lines.record({"n": AccessLog.BATCH_LINES - 1})
    written = [json.loads(line)["n"] for line in stream.getvalue().splitlines()]
    assert written == list(range(AccessLog.BATCH_LINES))
    lines.record({"n": "straggler"})  # traffic stops: the flusher thread writes it
    deadline = time.monotonic() + 10 * AccessLog.MAX_DELAY_SECONDS
    while "straggler" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stream.getvalue().count("\n") == AccessLog.BATCH_LINES + 1


@pytest.mark.parametrize("path", ["/v1/exercises", "/healthz", "/nope"])
def test_nosniff_on_every_response(client, path):
    assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


def test_cors_on_v1_without_credentials_exposing_the_useful_headers(client):
    response = client.get("/v1/exercises", headers={"Origin": "https://app.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    exposed = response.headers["Access-Control-Expose-Headers"]
    for header in ("ETag", "Link", "Retry-After", "X-Request-ID", "X-RateLimit-Remaining"):
        assert header in exposed
    preflight = client.options(
        "/v1/athletes",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
        },
    )
    assert preflight.status_code in (200, 204)
    assert "Idempotency-Key" in preflight.headers["Access-Control-Allow-Headers"]


def test_a_body_over_the_limit_is_a_413_problem(sqlite_database_url):
    client = make_app(sqlite_database_url, {"MAX_BODY_BYTES": "2048"}).test_client()
    body = assert_problem(
        client.post("/v1/routines", data="x" * 3000, content_type="application/json"), 413
    )
    assert "2048 bytes" in body["detail"]


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def limited_client(database_url: str, **limits: str):
    app = make_app(database_url, limits)
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"  # a fresh counter
    return app, client_from(app, address)


def test_over_the_public_limit_is_a_429_problem_with_retry_after(sqlite_database_url):
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_PUBLIC="2 per minute")
    assert [client.get("/v1/rules").status_code for _ in range(2)] == [200, 200]
    response = client.get("/v1/rules")
    body = assert_problem(response, 429)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.headers["X-RateLimit-Limit"] == "2"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    # Windows are aligned to the clock: this one ends at the top of a minute.
    assert int(response.headers["X-RateLimit-Reset"]) % 60 == 0
    assert "2 per 1 minute" in body["detail"]


@pytest.mark.parametrize("counters", ["local", "redis"])
def test_a_304_costs_nothing_from_the_budget(sqlite_database_url, counters):
    extra = {"REDIS_URL": "redis://127.0.0.1:6379/15"} if counters == "redis" else {}
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_PUBLIC="2 per minute", **extra)
    first = client.get("/v1/rules")
    assert first.headers["X-RateLimit-Remaining"] == "1"
    fresh = {"If-None-Match": first.headers["ETag"]}
    for _ in range(5):
        again = client.get("/v1/rules", headers=fresh)
        assert again.status_code == 304
        assert again.headers["X-RateLimit-Remaining"] == "1"
    assert client.get("/v1/muscles").status_code == 200
    assert_problem(client.get("/v1/muscles"), 429)
    # Spent: a conditional GET is refused too (it could not be served for free).
    assert_problem(client.get("/v1/rules", headers=fresh), 429)


def test_a_conditional_get_that_is_not_a_304_is_counted(sqlite_database_url):
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_PUBLIC="2 per minute")
    stale = {"If-None-Match": '"not-the-current-one"'}
    answers = [client.get("/v1/rules", headers=stale) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["1", "0", "0"]


def test_operations_endpoints_are_not_limited(sqlite_database_url):
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_PUBLIC="1 per minute")
    assert {client.get("/healthz").status_code for _ in range(5)} == {200}


def test_the_athlete_routes_are_limited_per_key_not_per_address(sqlite_database_url):
    from app.services.keys import create_key

    app, client = limited_client(sqlite_database_url, RATE_LIMIT_PER_KEY="2 per minute")
    with app.extensions["db_sessionmaker"]() as session:
        first, second = create_key(session, "limit-a"), create_key(session, "limit-b")
    for key in (first, second):  # the same address: separate budgets
        headers = {"Authorization": f"Bearer {key}"}
        assert [client.get("/v1/athletes", headers=headers).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]


def test_the_limit_is_shared_through_redis(sqlite_database_url):
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/15", "RATE_LIMIT_PUBLIC": "3 per minute"}
    address = f"10.200.{uuid.uuid4().int % 250}.9"
    one = client_from(make_app(sqlite_database_url, redis), address)
    two = client_from(make_app(sqlite_database_url, redis), address)
    statuses = [c.get("/v1/rules").status_code for c in (one, two, one, two)]
    assert statuses == [200, 200, 200, 429]


def test_with_redis_down_requests_are_served(sqlite_database_url, caplog):
    down = {
        "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        "RATE_LIMIT_PUBLIC": "1 per minute",
    }
    client = make_app(sqlite_database_url, down).test_client()
    assert [client.get("/v1/rules").status_code for _ in range(3)] == [200, 200, 200]


def test_the_statement_timeout_is_set_on_postgresql(postgres_server):
    url = postgres_server.create()
    try:
        app = make_app(url, {"DATABASE_STATEMENT_TIMEOUT_MS": "4000"})
        from sqlalchemy import text

        with app.extensions["db_engine"].connect() as connection:
            assert connection.scalar(text("SHOW statement_timeout")) == "4s"
        app.extensions["db_engine"].dispose()
    finally:
        postgres_server.drop(url)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"REDIS_URL": "http://cache:6379"}, "REDIS_URL"),
        ({"RATE_LIMIT_PUBLIC": "lots"}, "RATE_LIMIT_PUBLIC"),
        ({"DATABASE_STATEMENT_TIMEOUT_MS": "40000", "GUNICORN_TIMEOUT": "30"}, "below"),
        ({"MAX_BODY_BYTES": "10"}, "MAX_BODY_BYTES"),
    ],
)
def test_production_settings_are_checked_at_start(environ, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_environ(environ)


def test_the_public_budget_is_one_across_routes(sqlite_database_url):
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_PUBLIC="3 per minute")
    statuses = [
        client.get(path).status_code
        for path in ("/v1/rules", "/v1/exercises", "/v1/muscles", "/v1/ladders")
    ]
    assert statuses == [200, 200, 200, 429]


def test_the_per_key_budget_is_one_across_athlete_routes(sqlite_database_url):
    from app.services.keys import create_key

    app, client = limited_client(sqlite_database_url, RATE_LIMIT_PER_KEY="2 per minute")
    with app.extensions["db_sessionmaker"]() as session:
        headers = {"Authorization": f"Bearer {create_key(session, 'budget')}"}
    athlete = client.post("/v1/athletes", json={"external_id": "b"}, headers=headers)
    assert athlete.status_code == 201
    assert client.get("/v1/athletes", headers=headers).status_code == 200
    assert_problem(client.get(athlete.headers["Location"], headers=headers), 429)


def test_guessing_keys_from_one_address_is_limited(sqlite_database_url):
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_AUTH_FAILURES="60 per minute")
    statuses = [
        client.get(
            "/v1/athletes",
            headers={"Authorization": f"Bearer psk_{uuid.uuid4().hex[:8]}_{'x' * 43}"},
        ).status_code
        for _ in range(61)
    ]
    assert statuses == [401] * 60 + [429]


def test_a_valid_key_is_served_from_an_address_that_spent_its_failure_budget(
    sqlite_database_url,
):
    from app.services.keys import create_key

    app, client = limited_client(sqlite_database_url, RATE_LIMIT_AUTH_FAILURES="3 per minute")
    with app.extensions["db_sessionmaker"]() as session:
        key = create_key(session, "behind-a-nat")
    wrong = {"Authorization": f"Bearer psk_{uuid.uuid4().hex[:8]}_{'x' * 43}"}
    statuses = [client.get("/v1/athletes", headers=wrong).status_code for _ in range(5)]
    assert statuses == [401] * 3 + [429] * 2
    valid = {"Authorization": f"Bearer {key}"}
    assert [client.get("/v1/athletes", headers=valid).status_code for _ in range(5)] == [200] * 5
    assert client.get("/v1/athletes", headers=wrong).status_code == 429


def test_retry_after_only_on_429_and_503(sqlite_database_url):
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_PUBLIC="1 per minute")
    assert "Retry-After" not in client.get("/v1/rules").headers
    assert "Retry-After" in client.get("/v1/rules").headers  # the 429


def test_a_503_keeps_its_own_retry_after_on_limited_routes():
    client = make_app(f"postgresql://postgres@127.0.0.1:{closed_port()}/none").test_client()
    response = client.get("/v1/exercises")
    assert (response.status_code, response.headers["Retry-After"]) == (503, "5")


def test_cors_preflights_are_not_counted(sqlite_database_url):
    _, client = limited_client(sqlite_database_url, RATE_LIMIT_PUBLIC="1 per minute")
    for _ in range(3):
        client.options(
            "/v1/rules",
            headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
        )
    assert client.get("/v1/rules").status_code == 200


def test_database_errors_are_logged_without_their_parameters(app):
    assert app.extensions["db_engine"].hide_parameters


@pytest.mark.parametrize("name", ["WEB_CONCURRENCY", "PORT", "GUNICORN_WORKER_CONNECTIONS"])
def test_gunicorn_settings_are_checked_before_start(name):
    with pytest.raises(ConfigError, match=name):
        Settings.from_environ({name: "zero"})


def test_trusted_proxies_give_the_client_address(sqlite_database_url):
    app = make_app(
        sqlite_database_url, {"TRUSTED_PROXIES": "1", "RATE_LIMIT_PUBLIC": "1 per minute"}
    )
    client = app.test_client()
    first = client.get("/v1/rules", headers={"X-Forwarded-For": "203.0.113.7"})
    other = client.get("/v1/rules", headers={"X-Forwarded-For": "203.0.113.8"})
    same = client.get("/v1/rules", headers={"X-Forwarded-For": "203.0.113.7"})
    assert (first.status_code, other.status_code, same.status_code) == (200, 200, 429)
