"""Every error is one problem+json shape, from one handler."""

import pytest

from tests.conftest import make_app
from tests.helpers import assert_problem


@pytest.mark.parametrize("path", ["/nope", "/v1", "/v1/exercises/", "/v1/things/deep-lunge"])
def test_unknown_routes_are_a_404_problem(client, path):
    assert_problem(client.get(path), 404)


@pytest.mark.parametrize(
    "path",
    ["/v1/exercises/no-such-exercise", "/v1/muscles/psoas", "/v1/rules/hold", "/v1/ladders/squat"],
)
def test_unknown_slugs_are_a_404_problem(client, path):
    body = assert_problem(client.get(path), 404)
    assert path.rsplit("/", 1)[1] in body["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_wrong_method_is_a_405_with_allow(client, method):
    response = getattr(client, method)("/v1/exercises/deep-lunge")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    "path", ["/v1/exercises?colour=red", "/v1/exercises/deep-lunge?x=1", "/healthz?verbose=1"]
)
def test_unknown_query_parameters_are_a_422_naming_them(client, path):
    body = assert_problem(client.get(path), 422)
    name = path.split("?")[1].split("=")[0]
    assert body["errors"] == [
        {"location": "query", "field": name, "message": "Unknown query parameter."}
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
        ("level=6", "level"),
        ("level=one", "level"),
        ("role=main", "role"),
        ("equipment=kettlebell", "equipment"),
        ("position=prone", "position"),
        ("plane=vertical", "plane"),
        ("muscle=biceps", "muscle"),
        ("q=", "q"),
        ("q=" + "x" * 101, "q"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_bad_parameter_values_are_a_422_naming_the_field(client, query, field):
    body = assert_problem(client.get(f"/v1/exercises?{query}"), 422)
    assert body["type"] == "urn:psoas-api:problem:validation-error"
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["errors"][0]["location"] == "query"


def test_every_bad_field_is_reported_at_once(client):
    body = assert_problem(client.get("/v1/exercises?level=0&role=x&page_size=0"), 422)
    assert {error["field"] for error in body["errors"]} == {"level", "role", "page_size"}


def test_an_unexpected_failure_is_a_500_without_internals(database_url):
    app = make_app(database_url)
    app.config["TESTING"] = False  # answer like production instead of re-raising

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: /srv/app.py line 42")

    response = app.test_client().get("/boom")
    body = assert_problem(response, 500)
    text = response.get_data(as_text=True)
    assert "secret internals" not in text
    assert "Traceback" not in text
    assert body["type"] == "urn:psoas-api:problem:internal-error"


@pytest.mark.parametrize("query", ["level=1&level=2", "page_size=2&page_size=3", "q=a&q=b"])
def test_a_parameter_given_twice_is_a_422(client, query):
    body = assert_problem(client.get(f"/v1/exercises?{query}"), 422)
    assert body["errors"][0]["message"] == "Given more than once; give it once."


@pytest.mark.parametrize("value", ["%EF%BC%91", "+1", "%201", "1.0", "0x1"])
def test_integers_must_be_plain_ascii_digits(client, value):
    body = assert_problem(client.get(f"/v1/exercises?level={value}"), 422)
    assert body["errors"][0]["field"] == "level"


def test_a_search_of_only_spaces_is_a_422(client):
    body = assert_problem(client.get("/v1/exercises?q=%20%20"), 422)
    assert body["errors"][0]["field"] == "q"


def test_a_double_slash_is_a_404_problem_not_a_redirect(client):
    assert_problem(client.get("/v1/exercises//deep-lunge"), 404)


def test_options_is_a_bodiless_204_with_allow(client):
    response = client.options("/v1/exercises")
    assert response.status_code == 204
    assert response.data == b""
    assert "GET" in response.headers["Allow"]
