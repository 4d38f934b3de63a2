"""Simultaneous requests with one Idempotency-Key, against PostgreSQL through gunicorn."""

import subprocess
import threading
import uuid

import requests

from tests.system.conftest import ENV_BIN, ROOT, LiveServer


def make_key(database_url: str, name: str) -> str:
    result = subprocess.run(
        [f"{ENV_BIN}/flask", "--app", "wsgi", "api-keys", "create", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": f"{ENV_BIN}:/usr/bin:/bin", "DATABASE_URL": database_url},
    )
    return result.stdout.strip()


def test_simultaneous_requests_with_one_key_store_one_row(postgres_server):
    database_url = postgres_server.create()
    server = LiveServer(database_url, workers=2).start()
    try:
        key = make_key(database_url, "concurrency")
        headers = {"Authorization": f"Bearer {key}"}
        with requests.Session() as http:
            athlete = http.post(
                f"{server.url}/v1/athletes",
                headers=headers,
                timeout=10,
                json={"external_id": "racer"},
            ).json()
        url = f"{server.url}/v1/athletes/{athlete['id']}/sessions"
        body = {
            "exercise": "standing-psoas-activation",
            "band_tension": "none",
            "reps": [{"hold_seconds": 4, "strict_form": True, "high_flexion": True}] * 4,
            "performed_at": "2026-11-20T07:30:00Z",
        }
        for _ in range(5):  # five rounds, each a fresh key sent by 8 clients at once
            round_headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
            start = threading.Barrier(8)
            answers: list[requests.Response] = []

            def send(answers=answers, round_headers=round_headers, start=start) -> None:
                with requests.Session() as http:
                    start.wait()
                    answers.append(http.post(url, json=body, headers=round_headers, timeout=30))

            threads = [threading.Thread(target=send) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            statuses = sorted(a.status_code for a in answers)
            assert set(statuses) <= {201, 409}, statuses
            created = {a.json()["id"] for a in answers if a.status_code == 201}
            assert len(created) == 1, statuses
        with requests.Session() as http:
            sessions = http.get(f"{url}?page_size=100", headers=headers, timeout=10).json()
        assert len(sessions["items"]) == 5  # one per key, never two
    finally:
        server.stop()
        postgres_server.drop(database_url)
