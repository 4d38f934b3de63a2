"""A live gunicorn (two workers) seen from outside: metrics, docs in Chromium, schemathesis."""

import re
import shutil
import subprocess

import pytest
import requests

from app.catalog.data import read_data_file
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


def chromium(tmp_path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium, offline but for this machine."""
    browser = shutil.which("chromium")
    assert browser, "chromium is missing: `make system-tools` installs it"
    return subprocess.run(
        [
            browser,
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
            "--accept-lang=en",  # the docs page's captions follow it
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_docs_page_lists_the_operations_in_a_real_browser(live_server, tmp_path):
    result = chromium(tmp_path, "--dump-dom", f"{live_server.url}/docs")
    dom = result.stdout
    assert "swagger-ui" in dom, result.stderr[-2000:]
    for path in ("/v1/exercises", "/v1/exercises/{slug}", "/v1/rules", "/healthz"):
        assert f'data-path="{path}"' in dom
    assert "List exercises" in dom
    # The exercises' diagrams, drawn by the browser from the API's own SVGs.
    drawn = re.findall(r'<img [^>]*data-slug="([a-z-]+)"[^>]*data-loaded="true"', dom)
    assert len(drawn) == 7, dom[dom.find("exercise-diagrams") :][:3000]
    assert 'alt="Side view: ' in dom


@pytest.mark.parametrize("slug", [e.slug for e in read_data_file().exercises])
def test_each_diagram_is_drawn_by_a_real_browser(live_server, tmp_path, slug):
    """Chromium draws the SVG the API serves (docs/diagrams.png was made the same way, and
    looked at): a blank 400 x 300 frame is about 1 KB of PNG, each drawing 5-11 KB."""
    url = f"{live_server.url}/v1/exercises/{slug}/diagram.svg"
    assert fetch(url).headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    shot = tmp_path / f"{slug}.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=400,300", url)
    assert shot.exists(), result.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20]), int.from_bytes(png[20:24])) == (400, 300)
    assert len(png) > 3_000


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
