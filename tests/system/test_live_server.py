"""A live gunicorn (two workers) seen from outside: metrics, docs in Chromium, schemathesis."""

import shutil
import subprocess

import requests

from tests.system.conftest import ENV_BIN, ROOT, fetch
from tests.system.helpers import make_key

ROUTE = 'route="/v1/muscles/<slug:slug>"'


def muscle_requests_counted(url: str) -> float:
    total = 0.0
    for line in fetch(f"{url}/metrics").text.splitlines():
        if (
            line.startswith("psoas_http_requests_total{")
            and ROUTE in line
            and 'method="GET"' in line
        ):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_add_up_every_workers_requests(live_server):
    before = muscle_requests_counted(live_server.url)
    for _ in range(40):
        # A new connection each time, so the requests spread over both workers.
        assert fetch(f"{live_server.url}/v1/muscles/iliacus").ok
    counts = {muscle_requests_counted(live_server.url) for _ in range(10)}
    assert counts == {before + 40}


def test_metrics_expose_latency_by_route_template(live_server):
    text = fetch(f"{live_server.url}/metrics").text
    assert "psoas_http_request_duration_seconds_bucket{" in text
    assert ROUTE in text


def test_the_docs_page_lists_the_operations_in_a_real_browser(live_server, tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: `make system-tools` installs it"
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            # Any host but this one fails: the page must work with no internet.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=15000",
            "--dump-dom",
            f"{live_server.url}/docs",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = result.stdout
    assert "swagger-ui" in dom, result.stderr[-2000:]
    for path in ("/v1/exercises", "/v1/exercises/{slug}", "/v1/rules", "/healthz"):
        assert f'data-path="{path}"' in dom
    assert "List exercises" in dom


def test_schemathesis_cli_finds_nothing_against_the_live_server(live_server, tmp_path):
    key = make_key(live_server.env["DATABASE_URL"], "schemathesis")
    result = subprocess.run(
        [
            f"{ENV_BIN}/schemathesis",
            "run",
            f"{live_server.url}/openapi.json",
            "-H",
            f"Authorization: Bearer {key}",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance,missing_required_header",
            "--max-examples",
            "25",
            "--seed",
            "20261124",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        env={
            "PATH": f"{ENV_BIN}:/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "SCHEMATHESIS_HOOKS": "tests.conformance_checks",
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout[-6000:]


def test_a_key_in_a_chunked_body_is_refused(live_server):
    key = make_key(live_server.env["DATABASE_URL"], "chunked")
    chunks = iter([b'{"external_id": "', key.encode(), b'"}'])  # a generator: sent chunked
    with requests.Session() as http:
        response = http.post(
            f"{live_server.url}/v1/athletes",
            data=chunks,
            timeout=10,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 401
    assert "leaked" in response.json()["detail"]


def test_a_chunked_body_over_the_limit_is_a_413(live_server):
    chunks = iter([b'{"external_id": "', b"x" * 70_000, b'"}'])
    with requests.Session() as http:
        response = http.post(
            f"{live_server.url}/v1/routines",
            data=chunks,
            timeout=10,
            headers={"Content-Type": "application/json"},
        )
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
