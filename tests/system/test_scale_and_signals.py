"""Two instances on one PostgreSQL and Redis; SIGTERM and SIGKILL under a write load."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import requests

from tests.helpers import a_fresh_minute
from tests.system.conftest import LiveServer
from tests.system.helpers import make_key
from tests.system.throwaway import PostgresCluster, RedisServer

pytestmark = pytest.mark.system
REP = {"hold_seconds": 4, "strict_form": True, "high_flexion": True}


@pytest.fixture
def cluster():
    made = PostgresCluster().start()
    yield made
    made.remove()


def new_athlete(server: LiveServer, headers: dict[str, str]) -> str:
    with requests.Session() as http:
        created = http.post(
            f"{server.url}/v1/athletes",
            json={"external_id": str(uuid.uuid4())},
            headers=headers,
            timeout=10,
        )
    return f"/v1/athletes/{created.json()['id']}/workouts"


def workout_body(index: int) -> dict:
    # A distinct performed_at per logical request: the database shows any duplicate.
    performed_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=index)
    return {
        "performed_at": performed_at.isoformat(),
        "context": "activation",
        "sets": [
            {
                "exercise": "standing-psoas-activation",
                "side": side,
                "band_tension": "none",
                "reps": [REP] * 4,
            }
            for side in ("left", "right")
        ],
    }


def rows_per_instant(database_url: str) -> dict[datetime, int]:
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT performed_at, count(*) FROM workouts GROUP BY performed_at"
        ).fetchall()
    return {stamp: count for stamp, count in rows}


def test_two_instances_share_idempotency_and_rate_limits(cluster):
    redis = RedisServer().start()
    shared = {
        "REDIS_URL": redis.url,
        "SECRET_KEY": "shared-secret",
        "RATE_LIMIT_PUBLIC": "6 per minute",
    }
    first = LiveServer(cluster.url, **shared).start()
    second = LiveServer(cluster.url, **shared).start()
    try:
        headers = {
            "Authorization": f"Bearer {make_key(cluster.url, 'scale')}",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        body = {"external_id": "shared-athlete"}
        with requests.Session() as http:
            created = http.post(f"{first.url}/v1/athletes", json=body, headers=headers, timeout=10)
            replayed = http.post(
                f"{second.url}/v1/athletes", json=body, headers=headers, timeout=10
            )
            assert created.status_code == replayed.status_code == 201
            assert replayed.json() == created.json()
            assert replayed.headers["Idempotent-Replayed"] == "true"
            a_fresh_minute(margin=10)  # eight requests on two servers, well inside one window
            statuses = [
                http.get(f"{server.url}/v1/rules", timeout=10).status_code
                for server in (first, second) * 4
            ]
        assert statuses == [200] * 6 + [429] * 2  # one budget across both instances
    finally:
        first.stop()
        second.stop()
        redis.stop()


def write_load(
    server: LiveServer,
    path: str,
    headers: dict[str, str],
    start: int,
    acknowledged: dict[int, str],
    stop: threading.Event,
    retry: bool,
) -> None:
    """Log workouts one after another; with `retry`, resend each with its key until 201."""
    index = start
    with requests.Session() as http:
        while not stop.is_set():
            key = {**headers, "Idempotency-Key": f"load-{index}"}
            for _attempt in range(20 if retry else 1):
                try:
                    response = http.post(
                        f"{server.url}{path}", json=workout_body(index), headers=key, timeout=10
                    )
                # A worker killed mid-answer: no connection, or an answer cut short.
                except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                    if not retry:
                        return
                    time.sleep(0.2)
                    continue
                assert response.status_code < 500, response.text  # a killed worker is a reset
                if response.status_code == 201:
                    acknowledged[index] = response.json()["id"]
                    break
                time.sleep(0.1)  # 409 in flight, or a worker restarting
            index += 1


def worker_pids(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return children


def test_a_killed_worker_is_replaced_and_retried_writes_land_once(cluster):
    server = LiveServer(cluster.url, workers=2).start()
    acknowledged: dict[int, str] = {}
    stop = threading.Event()
    try:
        headers = {"Authorization": f"Bearer {make_key(cluster.url, 'sigkill')}"}
        path = new_athlete(server, headers)
        clients = [
            threading.Thread(
                target=write_load,
                args=(server, path, headers, n * 100_000, acknowledged, stop, True),
            )
            for n in range(4)
        ]
        for client in clients:
            client.start()
        time.sleep(1.5)
        victims = worker_pids(server.process.pid)
        assert len(victims) == 2
        os.kill(victims[0], signal.SIGKILL)
        time.sleep(3)
        stop.set()
        for client in clients:
            client.join(60)
        replaced = worker_pids(server.process.pid)
        assert len(replaced) == 2 and victims[0] not in replaced
    finally:
        server.stop()
    counts = rows_per_instant(cluster.url)
    assert acknowledged
    assert set(counts.values()) == {1}  # no logical request stored twice
    assert len(counts) == len(acknowledged)  # every acknowledged workout stored


def test_sigterm_finishes_in_flight_requests_and_loses_nothing(cluster):
    server = LiveServer(cluster.url, workers=2).start()
    acknowledged: dict[int, str] = {}
    stop = threading.Event()
    try:
        headers = {"Authorization": f"Bearer {make_key(cluster.url, 'sigterm')}"}
        path = new_athlete(server, headers)
        clients = [
            threading.Thread(
                target=write_load,
                args=(server, path, headers, n * 100_000, acknowledged, stop, False),
            )
            for n in range(4)
        ]
        for client in clients:
            client.start()
        time.sleep(1.5)
        os.kill(server.process.pid, signal.SIGTERM)
        server.process.wait(60)
        stop.set()
        for client in clients:
            client.join(60)
    finally:
        server.stop()
    assert server.process.returncode == 0
    counts = rows_per_instant(cluster.url)
    stored = set(counts)
    expected = {datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=i) for i in acknowledged}
    assert acknowledged and expected <= stored  # every acknowledged write is there
    assert set(counts.values()) == {1}


def test_sigterm_lets_a_request_in_flight_finish(cluster):
    server = LiveServer(cluster.url, workers=1).start()
    try:
        headers = {"Authorization": f"Bearer {make_key(cluster.url, 'in-flight')}"}
        with requests.Session() as http:
            athlete = http.post(
                f"{server.url}/v1/athletes",
                json={"external_id": "held"},
                headers=headers,
                timeout=10,
            ).json()
        answer: dict[str, requests.Response] = {}
        with psycopg.connect(cluster.url) as holder:
            # Hold the athlete's row: the PATCH below waits on it, in flight.
            holder.execute("SELECT 1 FROM athletes WHERE id = %s FOR UPDATE", [athlete["id"]])
            patch = threading.Thread(
                target=lambda: answer.update(
                    response=requests.patch(
                        f"{server.url}/v1/athletes/{athlete['id']}",
                        json={"display_name": "done"},
                        headers={**headers, "If-Match": "*"},
                        timeout=30,
                    )
                )
            )
            patch.start()
            time.sleep(1)
            os.kill(server.process.pid, signal.SIGTERM)
            time.sleep(1)
            assert server.process.poll() is None  # still draining the request
        # The lock is released here (the holder's transaction ends).
        patch.join(30)
        server.process.wait(30)
    finally:
        server.stop()
    assert answer["response"].status_code == 200
    assert answer["response"].json()["display_name"] == "done"
    assert server.process.returncode == 0
