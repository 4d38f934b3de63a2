"""Every exercise's diagram: served by the API, self-contained, cached, and described."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.catalog.data import read_data_file
from tests.helpers import assert_problem

SVG = "{http://www.w3.org/2000/svg}"
SLUGS = [exercise.slug for exercise in read_data_file().exercises]


def test_seven_exercises_have_diagrams():
    assert len(SLUGS) == 7


@pytest.mark.parametrize("slug", SLUGS)
def test_each_diagram_is_a_self_contained_svg(client, slug):
    exercise = client.get(f"/v1/exercises/{slug}").get_json()
    assert exercise["diagram_url"] == f"/v1/exercises/{slug}/diagram.svg"
    response = client.get(exercise["diagram_url"])
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert (
        response.headers["Catalog-Version"] == client.get("/v1/catalog").headers["Catalog-Version"]
    )
    root = ET.fromstring(response.data)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 400 300"
    assert root.find(f"{SVG}title").text.strip()
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "image", "foreignObject", "iframe", "use"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.endswith("href"), (slug, name, value)
            assert not name.startswith("on"), (slug, name)
            assert "url(http" not in value and "javascript:" not in value
    assert len(response.data) < 16_000


@pytest.mark.parametrize("slug", SLUGS)
def test_a_diagram_is_cached_by_its_etag(client, slug):
    first = client.get(f"/v1/exercises/{slug}/diagram.svg")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get(
        f"/v1/exercises/{slug}/diagram.svg", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    # The same picture in every language: no Vary on it.
    german = client.get(f"/v1/exercises/{slug}/diagram.svg", headers={"Accept-Language": "de"})
    assert german.headers["ETag"] == first.headers["ETag"] and "Vary" not in german.headers


def test_the_diagrams_differ_from_each_other(client):
    bodies = {client.get(f"/v1/exercises/{slug}/diagram.svg").data for slug in SLUGS}
    assert len(bodies) == len(SLUGS)


def test_the_text_alternative_is_translated(client):
    for slug in SLUGS:
        alts = {
            language: client.get(
                f"/v1/exercises/{slug}", headers={"Accept-Language": language}
            ).get_json()["diagram_alt"]
            for language in ("en", "de", "es")
        }
        assert all(alts.values()) and len(set(alts.values())) == 3, slug


def test_an_unknown_exercise_has_no_diagram(client):
    assert_problem(client.get("/v1/exercises/bench-press/diagram.svg"), 404)
