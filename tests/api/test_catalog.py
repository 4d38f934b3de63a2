"""The catalog endpoints: fields, filters, order, pages, ETags, HEAD (both engines)."""

import pytest

from app.catalog.data import read_data_file
from app.web.pagination import MAX_PAGE_SIZE

RESOURCES = {
    "/v1/muscles": ["gluteus-maximus", "iliacus", "psoas-major", "psoas-minor"],
    "/v1/exercises": [
        "supine-psoas-activation",
        "standing-psoas-activation",
        "half-kneeling-banded-psoas-hold",
        "side-plank-banded-psoas-hold",
        "standing-banded-psoas-hold",
        "deep-lunge",
        "high-box-step-up",
    ],
    "/v1/ladders": ["psoas"],
    "/v1/rules": sorted(r.slug for r in read_data_file().rules),
}
EXERCISE_FIELDS = {
    "slug",
    "name",
    "level",
    "role",
    "position",
    "equipment",
    "planes",
    "muscles",
    "cues",
    "cues_decided_by",
    "source",
}


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(("path", "expected"), RESOURCES.items())
def test_each_list_serves_the_whole_catalog_in_its_order(client, path, expected):
    response = client.get(f"{path}?page_size=100")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert slugs(response) == expected
    assert response.get_json()["next_cursor"] is None
    assert "Link" not in response.headers


@pytest.mark.parametrize(("path", "expected"), RESOURCES.items())
def test_each_item_is_served_by_slug_as_in_the_list(client, path, expected):
    listed = {
        item["slug"]: item for item in client.get(f"{path}?page_size=100").get_json()["items"]
    }
    for slug in expected:
        response = client.get(f"{path}/{slug}")
        assert response.status_code == 200
        assert response.get_json() == listed[slug]


def test_an_exercise_has_every_contract_field(client):
    exercise = client.get("/v1/exercises/side-plank-banded-psoas-hold").get_json()
    assert EXERCISE_FIELDS <= set(exercise)
    assert exercise["level"] == 4
    assert exercise["role"] == "ladder"
    assert exercise["planes"] == ["sagittal", "frontal"]
    assert exercise["equipment"] == ["resistance-band"]
    assert "psoas-major" in exercise["muscles"]
    assert exercise["source"].startswith("For this one, bring in another plane")


def test_each_cue_is_marked_as_the_articles_or_the_projects(client):
    data = {e.slug: e for e in read_data_file().exercises}
    for exercise in client.get("/v1/exercises").get_json()["items"]:
        assert exercise["cues"] == data[exercise["slug"]].cues
        assert exercise["cues_decided_by"] == data[exercise["slug"]].cues_decided_by
        assert len(exercise["cues_decided_by"]) == len(exercise["cues"])
    standing = client.get("/v1/exercises/standing-psoas-activation").get_json()
    marked = dict(zip(standing["cues"], standing["cues_decided_by"], strict=True))
    assert marked["Drive the leg up past hip level."] == "article"
    assert marked["Stand tall on one leg, hands on hips or on a support."] == "project"


def test_level_five_is_one_of_the_toughest_not_the_hardest(client):
    top = client.get("/v1/exercises/standing-banded-psoas-hold").get_json()
    assert "arguably one of the toughest" in top["goal"]
    assert "hardest" not in str(top).casefold()
    ladder = client.get("/v1/ladders/psoas").get_json()
    assert "hardest" not in str(ladder).casefold()


def test_a_complementary_lift_has_no_level(client):
    lunge = client.get("/v1/exercises/deep-lunge").get_json()
    assert (lunge["level"], lunge["role"]) == (None, "complementary")


def test_rules_are_machine_readable(client):
    hold = client.get("/v1/rules/hold-duration").get_json()
    assert (hold["min"], hold["max"], hold["unit"], hold["kind"]) == (2, 5, "s", "range")
    reps = client.get("/v1/rules/repetitions").get_json()
    assert (reps["min"], reps["max"]) == (3, 5)
    band = client.get("/v1/rules/band-tension").get_json()
    assert band["values"] == ["none", "light", "medium", "heavy", "extra_heavy"]
    assert band["parameters"]["banded_levels"] == [3, 4, 5]
    assert band["decided_by"] == "article"
    assert client.get("/v1/rules/mastered-set").get_json()["decided_by"] == "project"


def test_the_ladder_names_each_levels_exercise_and_bands(client):
    ladder = client.get("/v1/ladders/psoas").get_json()
    assert [level["level"] for level in ladder["levels"]] == [1, 2, 3, 4, 5]
    assert ladder["levels"][0]["exercise"] == "supine-psoas-activation"
    assert ladder["levels"][0]["band_tensions"] == ["none"]
    assert ladder["levels"][4]["band_tensions"] == ["light", "medium", "heavy", "extra_heavy"]


def test_muscles_serve_textbook_attachments_and_the_articles_words(client):
    major = client.get("/v1/muscles/psoas-major").get_json()
    assert "lesser trochanter" in major["insertion"].lower()
    assert "pelvic crest" in major["source"]
    assert major["source_note"].startswith("Project decision")
    assert major["pronunciation"] == "so-es (the p is silent)"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=3", ["half-kneeling-banded-psoas-hold"]),
        ("role=complementary", ["deep-lunge", "high-box-step-up"]),
        ("equipment=box", ["high-box-step-up"]),
        ("equipment=none", ["supine-psoas-activation", "standing-psoas-activation", "deep-lunge"]),
        ("position=side-plank", ["side-plank-banded-psoas-hold"]),
        ("plane=frontal", ["side-plank-banded-psoas-hold"]),
        ("muscle=gluteus-maximus", ["deep-lunge", "high-box-step-up"]),
        ("q=BOX", ["high-box-step-up"]),
        ("q=step", ["deep-lunge", "high-box-step-up"]),
        ("q=gluteus", ["deep-lunge", "high-box-step-up"]),
        ("q=scissor", ["deep-lunge", "high-box-step-up"]),
        ("q=banded%20hold&position=standing", ["standing-banded-psoas-hold"]),
        ("q=nothing-like-this", []),
    ],
)
def test_exercise_filters(client, query, expected):
    response = client.get(f"/v1/exercises?{query}")
    assert response.status_code == 200
    assert slugs(response) == expected


def test_rules_filter_by_who_decided(client):
    project = slugs(client.get("/v1/rules?decided_by=project"))
    article = slugs(client.get("/v1/rules?decided_by=article"))
    assert len(article) == 7
    assert "mastered-set" in project and "hold-duration" in article
    assert sorted(project + article) == RESOURCES["/v1/rules"]


def follow(client, url: str) -> tuple[list[str], list[str]]:
    """Walk a list by its Link headers; return the slugs and each next_cursor."""
    seen, cursors = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_json()
        seen += [item["slug"] for item in body["items"]]
        link = response.headers.get("Link")
        if body["next_cursor"] is None:
            assert link is None
            return seen, cursors
        cursors.append(body["next_cursor"])
        assert link.endswith('>; rel="next"')
        url = link[1 : link.index(">")]
        assert f"cursor={body['next_cursor']}" in url


@pytest.mark.parametrize("page_size", [1, 2, 3, 6, 7, MAX_PAGE_SIZE])
def test_following_link_headers_visits_every_exercise_once(client, page_size):
    seen, cursors = follow(client, f"/v1/exercises?page_size={page_size}")
    assert seen == RESOURCES["/v1/exercises"]
    assert len(cursors) == -(-7 // page_size) - 1


def test_pages_keep_their_filters(client):
    seen, _ = follow(client, "/v1/exercises?page_size=1&equipment=resistance-band")
    assert seen == [
        "half-kneeling-banded-psoas-hold",
        "side-plank-banded-psoas-hold",
        "standing-banded-psoas-hold",
    ]


def test_a_cursor_used_with_other_filters_is_a_422(client):
    cursor = client.get("/v1/exercises?page_size=1").get_json()["next_cursor"]
    response = client.get(f"/v1/exercises?page_size=1&role=ladder&cursor={cursor}")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "cursor"


def test_a_tampered_cursor_is_a_422(client):
    cursor = client.get("/v1/exercises?page_size=1").get_json()["next_cursor"]
    payload, signature = cursor.split(".")
    forged = payload.replace(payload[8], "A" if payload[8] != "A" else "B", 1)
    response = client.get(f"/v1/exercises?page_size=1&cursor={forged}.{signature}")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("path", ["/v1/exercises", "/v1/exercises/deep-lunge", "/v1/rules"])
def test_strong_etag_and_cache_control_on_every_catalog_get(client, path):
    first, second = client.get(path), client.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert second.headers["ETag"] == etag
    assert first.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("path", ["/v1/exercises", "/v1/muscles/iliacus", "/v1/ladders/psoas"])
def test_if_none_match_gives_304_with_the_same_etag(client, path):
    etag = client.get(path).headers["ETag"]
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_if_none_match_with_another_etag_gives_the_body(client):
    response = client.get("/v1/exercises", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200


def test_if_none_match_accepts_a_list_and_weak_tags(client):
    etag = client.get("/v1/rules").headers["ETag"]
    response = client.get("/v1/rules", headers={"If-None-Match": f'"old", W/{etag}'})
    assert response.status_code == 304


def test_different_pages_have_different_etags(client):
    first = client.get("/v1/exercises?page_size=2")
    cursor = first.get_json()["next_cursor"]
    second = client.get(f"/v1/exercises?page_size=2&cursor={cursor}")
    assert first.headers["ETag"] != second.headers["ETag"]


def test_head_answers_the_headers_of_get_without_a_body(client):
    get, head = client.get("/v1/exercises"), client.head("/v1/exercises")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
