"""GET /v1/catalog, Catalog-Version, and the catalog in English, German and Spanish."""

from __future__ import annotations

import pytest

from tests.helpers import assert_problem

CATALOG_PATHS = (
    "/v1/catalog",
    "/v1/muscles",
    "/v1/muscles/psoas-major",
    "/v1/exercises",
    "/v1/exercises/deep-lunge",
    "/v1/ladders/psoas",
    "/v1/rules",
    "/v1/rules/hold-duration",
)


def in_language(client, path: str, accept: str | None):
    headers = {"Accept-Language": accept} if accept is not None else {}
    return client.get(path, headers=headers)


def all_items(client, path: str, accept: str) -> list[dict]:
    return in_language(client, f"{path}?page_size=100", accept).get_json()["items"]


def test_the_bundle_holds_every_list_and_its_version(client):
    for language in ("en", "de", "es"):
        response = in_language(client, "/v1/catalog", language)
        assert response.status_code == 200
        bundle = response.get_json()
        assert bundle["language"] == language
        assert bundle["version"] == response.headers["Catalog-Version"]
        for name in ("muscles", "exercises", "ladders", "rules"):
            assert bundle[name] == all_items(client, f"/v1/{name}", language), name


def test_every_catalog_answer_names_one_catalog_version(client):
    versions = {client.get(path).headers["Catalog-Version"] for path in CATALOG_PATHS}
    assert len(versions) == 1
    version = versions.pop()
    assert version.split(".")[0].isdigit() and len(version.split(".")[1]) == 10


@pytest.mark.parametrize(
    "path", ["/v1/exercises/bench-press", "/v1/exercises?level=9", "/v1/catalog?x=1"]
)
def test_catalog_errors_name_the_catalog_version_too(client, path):
    version = client.get("/v1/catalog").headers["Catalog-Version"]
    assert client.get(path).headers["Catalog-Version"] == version


def test_a_browser_app_can_read_the_catalog_version(client):
    exposed = client.get("/v1/catalog", headers={"Origin": "https://app.example"}).headers[
        "Access-Control-Expose-Headers"
    ]
    assert {"Catalog-Version", "Deprecation", "Sunset"} <= set(exposed.split(", "))


def test_the_version_is_a_digest_of_everything_served(app):
    from app.api.catalog.view import build_views, served_version
    from app.api.shared.catalog import current_data
    from app.web.conditional import Representation
    from app.web.pagination import codec

    with app.test_request_context():
        views = build_views(current_data(), codec())
        english = views["en"]
        version = english.version
        assert {view.version for view in views.values()} == {version}
        redrawn = {**english.diagrams, "deep-lunge": Representation.of_bytes(b"<svg/>", "x")}
        assert served_version(current_data(), views.values(), redrawn) != version
        assert served_version(current_data(), [english], english.diagrams) != version


def test_the_bundle_is_cacheable_and_answers_304(client):
    first = in_language(client, "/v1/catalog", "es")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get(
        "/v1/catalog",
        headers={"Accept-Language": "es", "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Vary"] == "Accept-Language"
    assert again.headers["Catalog-Version"] == first.headers["Catalog-Version"]


@pytest.mark.parametrize("path", CATALOG_PATHS)
def test_catalog_text_follows_accept_language(client, path):
    english, german, spanish = (in_language(client, path, a) for a in ("en", "de-CH", "es-MX"))
    assert [r.headers["Content-Language"] for r in (english, german, spanish)] == [
        "en",
        "de",
        "es",
    ]
    assert all(r.headers["Vary"] == "Accept-Language" for r in (english, german, spanish))
    # Another language is another representation: another body, another ETag.
    assert len({r.headers["ETag"] for r in (english, german, spanish)}) == 3
    assert len({r.data for r in (english, german, spanish)}) == 3


def test_names_and_cues_are_translated_but_quotes_and_codes_are_not(client):
    english = in_language(client, "/v1/exercises/half-kneeling-banded-psoas-hold", "en")
    german = in_language(client, "/v1/exercises/half-kneeling-banded-psoas-hold", "de")
    en, de = english.get_json(), german.get_json()
    assert de["name"] != en["name"] and de["goal"] != en["goal"]
    assert len(de["cues"]) == len(en["cues"]) and de["cues"] != en["cues"]
    for kept in ("slug", "source", "level", "role", "position", "equipment", "cues_decided_by"):
        assert de[kept] == en[kept], kept


def test_rule_statements_are_translated_with_their_numbers(client):
    english = in_language(client, "/v1/rules/hold-duration", "en").get_json()
    spanish = in_language(client, "/v1/rules/hold-duration", "es").get_json()
    assert spanish["statement"] != english["statement"]
    assert f"{english['min']}-{english['max']}" in spanish["statement"]
    assert "{" not in spanish["statement"]
    assert spanish["source"] == english["source"]


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("de", "de"),
        ("DE-at", "de"),
        ("de-CH, en;q=0.5", "de"),  # the preferred range's language, not any exact match
        ("fr, es;q=0.2", "es"),
        ("es;q=0.5, de;q=0.8", "de"),
        ("de;q=0, es;q=0.1", "es"),
        ("zh-Hant-TW", "en"),
        ("*", "en"),
        ("fr", "en"),
    ],
)
def test_the_language_is_negotiated(client, accept, language):
    response = in_language(client, "/v1/rules/hold-duration", accept)
    assert response.headers["Content-Language"] == language


@pytest.mark.parametrize(
    "accept",
    [";;;,,", "de;q=abc", "x" * 5000, "é, ü;q=0.5", "de;q=1.5", "q=0.5", "-", "*;q=-1"],
)
def test_a_malformed_accept_language_is_english_never_an_error(client, accept):
    response = in_language(client, "/v1/exercises", accept)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"


def test_the_bundle_takes_no_query_parameters(client):
    assert_problem(client.get("/v1/catalog?page_size=5"), 422)


def test_the_policy_is_served_and_linked_from_the_spec(client):
    response = client.get("/docs/policy")
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    text = response.get_data(as_text=True)
    for promise in (
        "Deprecation",
        "Sunset",
        "410",
        "six months",
        "without notice",
        "/docs/changelog",
    ):
        assert promise in text
    spec = client.get("/openapi.json").get_json()
    assert "[`/docs/policy`](/docs/policy)" in spec["info"]["description"]
    changelog = client.get("/docs/changelog").get_data(as_text=True)
    assert f"## [{spec['info']['version']}]" in changelog  # where the policy announces
