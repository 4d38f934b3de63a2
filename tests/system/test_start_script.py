"""bin/start, the container's and `make run`'s entry point, run for real."""

import json
import subprocess

from app.catalog.data import read_data_file
from tests.system.conftest import ENV_BIN, ROOT, LiveServer, fetch


def test_start_script_migrates_loads_and_serves_the_catalog(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'first.db'}").start()
    try:
        exercises = fetch(f"{server.url}/v1/exercises").json()["items"]
        assert len(exercises) == 7
        assert fetch(f"{server.url}/readyz").status_code == 200
    finally:
        output = server.stop()
    assert f"catalog version {read_data_file().version} loaded" in output


def test_a_second_start_on_the_same_database_works(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    LiveServer(url).start().stop()
    server = LiveServer(url).start()
    try:
        assert fetch(f"{server.url}/v1/exercises").json()["items"]
    finally:
        output = server.stop()
    assert "already up to date" in output


def test_sigterm_stops_the_server_cleanly(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'term.db'}").start()
    output = server.stop()
    assert server.process.returncode == 0, output


def test_make_run_serves_and_can_run_twice(tmp_path):
    url = f"sqlite:///{tmp_path / 'make.db'}"
    for _ in range(2):
        server = LiveServer(url, command=["make", "--no-print-directory", "run"])
        server.env["PORT"] = str(server.port)
        server.start(timeout=300)
        try:
            body = fetch(f"{server.url}/v1/exercises/deep-lunge").json()
            assert body["role"] == "complementary"
        finally:
            server.stop()


def test_the_dockerfile_passes_hadolint():
    result = subprocess.run(
        [f"{ENV_BIN}/hadolint", "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_container_runs_the_start_script_as_a_non_root_user():
    instructions = [
        line.split(maxsplit=1)
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line and not line.startswith("#") and not line.startswith(" ")
    ]
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0", "0:0"}
    commands = [args for keyword, args in instructions if keyword == "CMD"]
    assert commands == ['["bin/start"]']


def test_a_given_metrics_directory_keeps_its_other_files(tmp_path):
    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "keep.txt").write_text("not ours")
    (shared / "counter_1.db").write_bytes(b"stale samples")
    server = LiveServer(f"sqlite:///{tmp_path / 'm.db'}", PROMETHEUS_MULTIPROC_DIR=str(shared))
    server.start().stop()
    assert (shared / "keep.txt").read_text() == "not ours"
    assert not (shared / "counter_1.db").exists()  # a previous run's samples are gone


def test_a_configuration_error_is_one_clear_line(tmp_path):
    result = subprocess.run(
        [f"{ENV_BIN}/flask", "--app", "wsgi", "catalog", "load"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "not-a-url"},
    )
    assert result.returncode == 2
    assert "configuration error: DATABASE_URL must be a database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_service_logs_json_lines_with_request_ids(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'logs.db'}").start()
    try:
        fetch(f"{server.url}/v1/rules", headers={"X-Request-ID": "json-log-1"})
    finally:
        output = server.stop()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(line["message"].startswith("Booting worker") for line in lines)
    (access,) = [line for line in lines if line.get("request_id") == "json-log-1"]
    assert (access["method"], access["route"], access["status"]) == ("GET", "/v1/rules", 200)
