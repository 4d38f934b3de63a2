"""Migration 0003 on a database filled through the old API: no session is lost.

The old API is the project as it was before workouts (commit OLD_API), taken from this
repository's history and run in a subprocess against a database at revision 0002. Then
the database is migrated to head and read through the new API.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from app.catalog.data import read_data_file
from app.services.catalog import load as load_catalog
from tests.conftest import ENGINES, ROOT, make_app, migrate

OLD_API = "5e39c7d"  # the last commit with one-set sessions
FILL = r"""
import json, sys, uuid
from app import create_app
from app.catalog.data import read_data_file
from app.catalog.loader import load_catalog
from app.config import Settings
from app.services.keys import create_key

settings = Settings.from_environ({"DATABASE_URL": sys.argv[1], "APP_ENV": "test",
    "SECRET_KEY": "s", "RATE_LIMIT_PUBLIC": "100000 per minute",
    "RATE_LIMIT_PER_KEY": "100000 per minute"})
app = create_app(settings)
with app.extensions["db_sessionmaker"]() as session:
    load_catalog(session, read_data_file())
    key = create_key(session, "old-client")
client = app.test_client()
auth = {"Authorization": f"Bearer {key}"}
def rep(hold, strict=True, high=True):
    return {"hold_seconds": hold, "strict_form": strict, "high_flexion": high}
sets = [
    ("half-kneeling-banded-psoas-hold", "medium", False, [rep(5)] * 5),
    ("half-kneeling-banded-psoas-hold", "medium", False, [rep(5)] * 4 + [rep(5, strict=False)]),
    ("half-kneeling-banded-psoas-hold", "heavy", False, [rep(3.5)] * 3),
    ("standing-psoas-activation", "none", False, [rep(2.5), rep(1)]),
    ("standing-banded-psoas-hold", "extra_heavy", True, [rep(6)] * 5),
]
athletes = []
for n in range(3):
    athlete = client.post("/v1/athletes", json={"external_id": f"old-{n}"}, headers=auth).get_json()
    logged = []
    for day, (exercise, band, add_on, reps) in enumerate(sets, start=1):
        body = {"exercise": exercise, "band_tension": band, "shoulder_flexion": add_on,
                "reps": reps, "performed_at": f"2026-11-{day + n:02d}T07:30:00+01:00"}
        response = client.post(f"/v1/athletes/{athlete['id']}/sessions", json=body, headers=auth)
        assert response.status_code == 201, response.get_json()
        logged.append(response.get_json())
    progress = client.get(f"/v1/athletes/{athlete['id']}/progress", headers=auth).get_json()
    athletes.append({"id": athlete["id"], "sessions": logged, "progress": progress})
print("FILLED " + json.dumps({"key": key, "athletes": athletes}))
"""


def old_api(tmp_path: Path) -> Path:
    """The old project's app/ package, from git history."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", OLD_API, "app"],
        capture_output=True,
        check=False,
    )
    assert archive.returncode == 0, (
        f"commit {OLD_API} is not in this clone's history: {archive.stderr.decode()}"
    )
    target = tmp_path / "old-api"
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def fill_through_the_old_api(tmp_path: Path, url: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", FILL, url],
        cwd=old_api(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "."},
    )
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("FILLED ")]
    filled: dict = json.loads(line.removeprefix("FILLED "))
    return filled


@pytest.mark.parametrize("engine_name", ENGINES)
def test_every_old_session_is_still_served_after_the_migration(
    empty_database, tmp_path, engine_name
):
    url = empty_database(engine_name)
    migrate(url, "0002")
    old = fill_through_the_old_api(tmp_path, url)
    migrate(url)
    app = make_app(url)
    with app.extensions["db_sessionmaker"]() as session:
        load_catalog(session, read_data_file())
    client = app.test_client()
    auth = {"Authorization": f"Bearer {old['key']}"}
    try:
        for athlete in old["athletes"]:
            base = f"/v1/athletes/{athlete['id']}"
            for before in athlete["sessions"]:
                after = client.get(f"{base}/sessions/{before['id']}", headers=auth).get_json()
                # The same session; only its verdict is judged again, by today's engine.
                assert {**after, "verdict": None} == {**before, "verdict": None}
            one_broken_rep = athlete["sessions"][1]
            assert one_broken_rep["verdict"] == "falls_short"  # the old engine
            served = client.get(f"{base}/sessions/{one_broken_rep['id']}", headers=auth)
            assert served.get_json()["verdict"] == "in_range"  # one broken rep: domain.md 4.2
            workouts = client.get(f"{base}/workouts?page_size=100", headers=auth).get_json()
            assert len(workouts["items"]) == len(athlete["sessions"])
            for workout in workouts["items"]:
                assert (workout["context"], workout["counting"]) == ("activation", True)
                (only,) = workout["sets"]
                assert (only["side"], only["counted"]) == ("both", True)
            assert {w["sets"][0]["reps"][0]["hold_seconds"] for w in workouts["items"]} == {
                s["reps"][0]["hold_seconds"] for s in athlete["sessions"]
            }
            progress = client.get(f"{base}/progress", headers=auth).get_json()
            sessions_then = {e["exercise"]: e for e in athlete["progress"]["exercises"]}
            for entry in progress["exercises"]:
                then = sessions_then[entry["exercise"]]
                assert entry["sessions"] == entry["sets"] == entry["workouts"] == then["sessions"]
                assert entry["best_hold_seconds"] == then["best_hold_seconds"]
                assert entry["last_performed_at"] == then["last_performed_at"]
                assert entry["current_position"] == then["current_position"]
            answer = client.get(f"{base}/recommendation", headers=auth).get_json()
            assert answer["based_on"][0] == athlete["sessions"][-1]["id"]
    finally:
        app.extensions["db_engine"].dispose()
