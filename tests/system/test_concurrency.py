"""Simultaneous requests with one Idempotency-Key, against PostgreSQL through gunicorn."""

import threading
import uuid

import requests

from tests.system.conftest import LiveServer
from tests.system.helpers import WORKOUT, make_key


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
        url = f"{server.url}/v1/athletes/{athlete['id']}/workouts"
        for _ in range(5):  # five rounds, each a fresh key sent by 8 clients at once
            round_headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
            start = threading.Barrier(8)
            answers: list[requests.Response] = []

            def send(answers=answers, round_headers=round_headers, start=start) -> None:
                with requests.Session() as http:
                    start.wait()
                    answers.append(http.post(url, json=WORKOUT, headers=round_headers, timeout=30))

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
            workouts = http.get(f"{url}?page_size=100", headers=headers, timeout=10).json()
        assert len(workouts["items"]) == 5  # one per key, never two
    finally:
        server.stop()
        postgres_server.drop(database_url)


def at_once(count: int, send) -> list[requests.Response]:
    """`count` requests released together by a barrier; their answers."""
    start, answers = threading.Barrier(count), []

    def run(index: int) -> None:
        with requests.Session() as http:
            start.wait()
            answers.append(send(http, index))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_racing_writes_on_one_athlete_never_fail_with_a_500(postgres_server):
    database_url = postgres_server.create()
    server = LiveServer(database_url, workers=2).start()
    try:
        headers = {"Authorization": f"Bearer {make_key(database_url, 'races')}"}

        def new_athlete() -> str:
            with requests.Session() as http:
                created = http.post(
                    f"{server.url}/v1/athletes",
                    headers=headers,
                    timeout=10,
                    json={"external_id": str(uuid.uuid4())},
                )
            return f"{server.url}/v1/athletes/{created.json()['id']}"

        url = new_athlete()
        deletes = at_once(8, lambda http, i: http.delete(url, headers=headers, timeout=30))
        assert sorted(r.status_code for r in deletes) == [204] + [404] * 7

        url = new_athlete()
        stars = at_once(
            8,
            lambda http, i: http.patch(
                url,
                json={"display_name": f"n{i}"},
                headers={**headers, "If-Match": "*"},
                timeout=30,
            ),
        )
        assert [r.status_code for r in stars] == [200] * 8  # "*": the athlete exists

        url = new_athlete()
        with requests.Session() as http:
            one = http.post(f"{url}/workouts", json=WORKOUT, headers=headers, timeout=10)
        workout_url = f"{server.url}{one.headers['Location']}"
        corrections = at_once(
            8,
            lambda http, i: http.patch(
                workout_url,
                json={"notes": f"n{i}"},
                headers={**headers, "If-Match": "*"},
                timeout=30,
            ),
        )
        assert [r.status_code for r in corrections] == [200] * 8
        deletes = at_once(8, lambda http, i: http.delete(workout_url, headers=headers, timeout=30))
        assert sorted(r.status_code for r in deletes) == [204] + [404] * 7
        for _ in range(3):
            url = new_athlete()
            answers = at_once(
                8,
                lambda http, i, url=url: (
                    http.delete(url, headers=headers, timeout=30)
                    if i == 0
                    else http.post(f"{url}/workouts", json=WORKOUT, headers=headers, timeout=30)
                ),
            )
            assert {r.status_code for r in answers} <= {201, 204, 404}, [
                r.status_code for r in answers
            ]
    finally:
        server.stop()
        postgres_server.drop(database_url)
