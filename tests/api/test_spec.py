"""The committed OpenAPI document: current, valid, and complete for client developers."""

import json
import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from app.cli import spec_json
from tests.conftest import make_app

SPEC_FILE = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
COMMITTED = json.loads(SPEC_FILE.read_text())
OPERATIONS = [
    (path, method, operation)
    for path, item in COMMITTED["paths"].items()
    for method, operation in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
]


def resolve(node: dict) -> dict:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = COMMITTED["components"][section][name]
    return node


def test_the_committed_spec_is_what_the_app_serves(sqlite_database_url):
    app = make_app(sqlite_database_url)
    assert SPEC_FILE.read_text() == spec_json(app), "run `make spec` and commit openapi/"


def test_the_committed_spec_validates():
    assert COMMITTED["openapi"] == "3.1.0"
    validate(COMMITTED)


def test_every_contract_path_is_documented():
    assert {
        "/v1/prescriptions/validate",
        "/v1/progressions/evaluate",
        "/v1/routines",
        "/v1/muscles",
        "/v1/muscles/{slug}",
        "/v1/exercises",
        "/v1/exercises/{slug}",
        "/v1/ladders",
        "/v1/ladders/{slug}",
        "/v1/rules",
        "/v1/rules/{slug}",
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
        "/docs",
    } <= set(COMMITTED["paths"])


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS]
)
def test_every_operation_is_documented_for_client_developers(path, method, operation):
    assert operation["summary"]
    assert operation["description"]
    assert operation["operationId"].isidentifier()
    if method == "post":
        assert operation["requestBody"]["required"] is True
    status = next(s for s in ("200", "201", "204") if s in operation["responses"])
    success = resolve(operation["responses"][status])
    for media in success.get("content", {}).values():
        assert "example" in media or "examples" in media
    default = resolve(operation["responses"]["default"])
    assert "application/problem+json" in default["content"]


def test_operation_ids_are_unique():
    ids = [operation["operationId"] for _, _, operation in OPERATIONS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", ["/v1/muscles", "/v1/exercises", "/v1/ladders", "/v1/rules"])
def test_catalog_lists_document_paging_caching_and_errors(path):
    operation = COMMITTED["paths"][path]["get"]
    names = {resolve(p)["name"] for p in operation["parameters"]}
    assert {"page_size", "cursor", "If-None-Match"} <= names
    assert {"200", "304", "422", "503", "default"} <= set(operation["responses"])
    headers = operation["responses"]["200"]["headers"]
    assert {"ETag", "Cache-Control", "Link"} <= set(headers)
    problem = resolve(operation["responses"]["422"])["content"]["application/problem+json"]
    assert resolve(problem["schema"])["properties"]["errors"]


@pytest.mark.parametrize(
    "path", ["/v1/muscles/{slug}", "/v1/exercises/{slug}", "/v1/ladders/{slug}", "/v1/rules/{slug}"]
)
def test_catalog_items_document_not_found(path):
    assert {"200", "304", "404", "default"} <= set(COMMITTED["paths"][path]["get"]["responses"])


def test_documented_examples_are_real_catalog_entries(client):
    example = COMMITTED["paths"]["/v1/exercises/{slug}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["example"]
    assert client.get(f"/v1/exercises/{example['slug']}").get_json() == example


def test_evaluate_has_a_request_and_response_example_per_decision():
    operation = COMMITTED["paths"]["/v1/progressions/evaluate"]["post"]
    requests = operation["requestBody"]["content"]["application/json"]["examples"]
    answers = operation["responses"]["200"]["content"]["application/json"]["examples"]
    assert set(requests) == set(answers) == {"up", "stay", "down"}
    assert {name: example["value"]["decision"] for name, example in answers.items()} == {
        "up": "up",
        "stay": "stay",
        "down": "down",
    }


@pytest.mark.parametrize("path", ["/v1/prescriptions/validate", "/v1/routines"])
def test_engine_operations_document_bodies_examples_and_422(path):
    operation = COMMITTED["paths"][path]["post"]
    assert operation["requestBody"]["content"]["application/json"]["examples"]
    assert {"200", "422", "default"} <= set(operation["responses"])


def test_the_spec_states_that_the_band_must_fit_the_level():
    for name in ("EvaluationRequest", "RoutineRequest"):
        constraints = COMMITTED["components"]["schemas"][name]["allOf"]
        assert constraints[0]["then"]["properties"]["band_tension"] == {"const": "none"}


def test_keyed_operations_declare_the_bearer_scheme_and_401():
    from app.web import KEYED_PREFIXES
    from app.web.pipeline import under

    assert COMMITTED["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path, _method, operation in OPERATIONS:
        secured = under(path, KEYED_PREFIXES)
        assert (operation.get("security") == [{"bearerAuth": []}]) == secured, path
        if secured:
            assert "401" in operation["responses"]


def test_idempotent_posts_document_the_key():
    for path in ("/v1/athletes", "/v1/athletes/{athlete_id}/sessions"):
        names = {p.get("name") for p in COMMITTED["paths"][path]["post"]["parameters"]}
        assert "Idempotency-Key" in names


ROOT = SPEC_FILE.parents[1]


def test_info_version_is_the_latest_release_in_the_changelog():
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert releases, "CHANGELOG.md names no release"
    assert COMMITTED["info"]["version"] == releases[0]


def test_the_license_file_is_the_license_the_spec_names():
    assert COMMITTED["info"]["license"]["identifier"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_every_operation_says_whether_it_needs_a_key_and_servers_are_named():
    assert COMMITTED["servers"] and COMMITTED["info"]["contact"]["name"]
    from app.web import KEYED_PREFIXES
    from app.web.pipeline import under

    for path, method, operation in OPERATIONS:
        keyed = under(path, KEYED_PREFIXES)
        expected = [{"bearerAuth": []}] if keyed else []
        assert operation["security"] == expected, (method, path)


def declared_headers(response: dict) -> set[str]:
    return set(resolve(response).get("headers", {}))


def test_every_v1_answer_declares_what_the_pipeline_adds_and_the_503():
    pipeline = {"X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
    for path, method, operation in OPERATIONS:
        if not path.startswith("/v1/"):
            continue
        responses = operation["responses"]
        assert "503" in responses and "429" in responses, (method, path)
        for code, response in responses.items():
            if code[0] == "2":
                assert pipeline <= declared_headers(response), (method, path, code)


def test_creations_declare_location_etag_and_replays():
    for path, _method, operation in OPERATIONS:
        if "201" in operation["responses"]:
            declared = declared_headers(operation["responses"]["201"])
            assert {"Location", "Idempotent-Replayed"} <= declared, path
            # A session is not a versioned resource (it is never updated): no ETag.
            assert ("ETag" in declared) is not operation.get("deprecated", False), path


def test_the_athlete_declares_its_etag_and_answers_304():
    item = COMMITTED["paths"]["/v1/athletes/{athlete_id}"]
    assert "ETag" in declared_headers(item["get"]["responses"]["200"])
    assert "ETag" in declared_headers(item["patch"]["responses"]["200"])
    assert "304" in item["get"]["responses"]
    assert any(p["name"] == "If-None-Match" for p in item["get"]["parameters"])
    listing = COMMITTED["paths"]["/v1/athletes"]["get"]["responses"]["200"]
    assert "Link" in declared_headers(listing)


def test_every_enum_is_a_shared_component_used_alike_by_requests_and_answers():
    """No inline enum outside components' own enum schemas: generated clients get one type
    per enum, and a value read from an answer types as the request field it is sent back in."""
    shared = {
        name for name, schema in COMMITTED["components"]["schemas"].items() if "enum" in schema
    }
    assert {"BandTension", "LadderExercise", "Verdict", "Decision", "WorkoutContext"} <= shared

    def inline_enums(node, where=""):
        if isinstance(node, dict):
            if "enum" in node and where.rsplit("/", 1)[-1] not in shared:
                yield where, node["enum"]
            for key, value in node.items():
                yield from inline_enums(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from inline_enums(value, f"{where}/{index}")

    values = {frozenset(COMMITTED["components"]["schemas"][name]["enum"]): name for name in shared}
    for where, enum in inline_enums(COMMITTED):
        if "/allOf/" in where:  # a constraint naming a subset (the band fits the level)
            continue
        assert frozenset(enum) not in values, (where, values[frozenset(enum)])
    nullable = resolve(COMMITTED["components"]["schemas"]["Recommendation"])["properties"]
    assert nullable["verdict"]["anyOf"] == [
        {"$ref": "#/components/schemas/Verdict"},
        {"type": "null"},
    ]
    for schema in ("Next", "Set", "Session", "ExerciseProgress", "JudgedPosition"):
        properties = COMMITTED["components"]["schemas"][schema]["properties"]
        assert properties["exercise"]["$ref"].endswith("/LadderExercise"), schema
    inline = [where for where, _enum in inline_enums(COMMITTED) if "/allOf/" not in where]
    assert inline == [], "every enum is a named component"


def test_slugs_are_named_types_wherever_they_appear():
    schemas = COMMITTED["components"]["schemas"]

    def ref(schema, field):
        prop = schemas[schema]["properties"][field]
        return (prop.get("items", prop))["$ref"].rsplit("/", 1)[-1]

    assert ref("Exercise", "slug") == ref("Block", "exercise") == "ExerciseSlug"
    assert {s["$ref"] for s in schemas["ExerciseSlug"]["anyOf"]} == {
        "#/components/schemas/LadderExercise",
        "#/components/schemas/ComplementaryExercise",
    }
    assert ref("LadderLevel", "exercise") == "LadderExercise"
    assert ref("Muscle", "slug") == ref("Exercise", "muscles") == "MuscleSlug"
    assert ref("Rule", "slug") == ref("Reason", "rule") == ref("Violation", "rule") == "RuleSlug"
    # Open on purpose: a release may add a rule, and old clients must still read answers.
    assert "enum" not in schemas["RuleSlug"]
    assert schemas["Health"]["properties"]["status"] == {"type": "string", "const": "ok"}
