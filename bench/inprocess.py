"""The cost of one request inside a worker, with no network: the project against its ceiling.

    python inprocess.py [--profile SCENARIO] [--count N]

Calls each app's WSGI callable in a loop on one thread, the way a gunicorn worker does
after parsing a request, so the number is the app's own work per request: what a change
to the request path saves shows here in microseconds, before a load run. The project runs
on the PostgreSQL of BENCH_POSTGRES (its own database `psoas_inprocess`); the ceiling is
bench/ceiling.py (the project's answers replayed; for the recommendation and the workout POST,
its least SQL on the same database, on an athlete of its own). With --profile, cProfile's top
functions for that scenario.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

from common import OUT, ROOT, app_environment, fresh_database, prepare_database
from side_by_side import EVALUATION, WORKOUT, ceiling_file, stored_workout, workout_body

Call = Callable[[], tuple[str, dict[str, str], bytes]]


def wsgi_call(app: Any, method: str, path: str, headers: dict[str, str], body: Any) -> Call:
    """A function making one request to `app`: (status line, headers, body)."""
    data = b"" if body is None else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_HOST": "127.0.0.1:8000",
    }
    if data:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(data))
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    counter = iter(range(10**9))

    def one() -> tuple[str, dict[str, str], bytes]:
        env = dict(environ, **{"wsgi.input": io.BytesIO(data)})
        if "HTTP_IDEMPOTENCY_KEY" in environ:
            env["HTTP_IDEMPOTENCY_KEY"] = f"{environ['HTTP_IDEMPOTENCY_KEY']}-{next(counter)}"
        answer: dict[str, Any] = {}

        def start_response(status: str, response_headers: list, exc_info: Any = None) -> None:
            answer["status"], answer["headers"] = status, dict(response_headers)

        chunks = app(env, start_response)
        content = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return answer["status"], answer["headers"], content

    return one


def per_request_us(one: Call, count: int) -> float:
    for _ in range(min(200, count)):
        one()
    started = time.perf_counter()
    for _ in range(count):
        one()
    return (time.perf_counter() - started) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile")
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()

    url = fresh_database("psoas_inprocess")
    key = prepare_database(url)
    os.environ.update(app_environment(url))
    sys.path.insert(0, str(ROOT))
    from wsgi import app as project

    # As under gunicorn, where stdout is the log file: written, not printed here.
    OUT.mkdir(exist_ok=True)
    project.extensions["access_log"].stream = (OUT / "inprocess-access.log").open("w")

    auth = {"Authorization": f"Bearer {key}"}
    athletes = []
    for name in ("inprocess", "inprocess-ceiling"):
        created = wsgi_call(project, "POST", "/v1/athletes", auth, {"external_id": name})()
        athlete = json.loads(created[2])["id"]
        athletes.append(athlete)
        for day in (18, 19):
            wsgi_call(
                project,
                "POST",
                f"/v1/athletes/{athlete}/workouts",
                {**auth, "Idempotency-Key": f"seed-{athlete}-{day}"},
                workout_body(f"2026-11-{day}T07:30:00Z"),
            )()
    athlete, ceiling_athlete = athletes
    etag = wsgi_call(project, "GET", "/v1/exercises", {}, None)()[1]["ETag"]
    scenarios = {
        "exercises": ("GET", "/v1/exercises", {}, None),
        "not-modified": ("GET", "/v1/exercises", {"If-None-Match": etag}, None),
        "evaluate": ("POST", "/v1/progressions/evaluate", {}, EVALUATION),
        "recommendation": ("GET", f"/v1/athletes/{athlete}/recommendation", auth, None),
        "workouts": (
            "POST",
            f"/v1/athletes/{athlete}/workouts",
            {**auth, "Idempotency-Key": "inprocess"},
            WORKOUT,
        ),
    }
    # The ceiling's paths: its own athlete for the athlete routes, a rule per scenario else.
    ceiling_paths = {
        "recommendation": f"/v1/athletes/{ceiling_athlete}/recommendation",
        "workouts": f"/v1/athletes/{ceiling_athlete}/workouts",
    }
    rules = {
        "recommendation": "/v1/athletes/<uuid:athlete>/recommendation",
        "workouts": "/v1/athletes/<uuid:athlete>/workouts",
    }
    kinds = {"recommendation": "recommendation", "workouts": "workout-post"}
    calls = {name: wsgi_call(project, *shape) for name, shape in scenarios.items()}
    answers = []
    for name, (method, _, _, _) in scenarios.items():
        status, headers, content = calls[name]()
        assert int(status.split()[0]) < 400, (name, status, content)
        answer = {
            "rule": rules.get(name, f"/{name}"),
            "method": method,
            "kind": kinds.get(name, "replay"),
            "status": int(status.split()[0]),
            "headers": {k: v for k, v in headers.items() if k != "Content-Length"},
            "body": base64.b64encode(content).decode(),
        }
        if name == "recommendation":
            answer["template"] = {"based_on": json.loads(content)["based_on"]}
        if name == "workouts":
            answer["template"] = stored_workout(url, json.loads(content)["id"])
        answers.append(answer)
    os.environ["BENCH_CEILING_ANSWERS"] = ceiling_file("inprocess-answers.json", answers, url, key)
    from ceiling import app as ceiling

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(per_request_us, calls[args.profile], args.count)
        # BENCH_SORT=cumulative: where the time goes by caller rather than by function
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime"))
        stats.print_stats(int(os.environ.get("BENCH_TOP", "30")))
        if os.environ.get("BENCH_CALLERS"):  # e.g. "local.py:310": who calls it, how often
            stats.print_callers(os.environ["BENCH_CALLERS"])
        return
    print(f"µs per request, mean of {args.count} calls after 200 to warm up, one thread")
    print(f"{'scenario':15} {'project':>9} {'ceiling':>9} {'ratio':>6}")
    for name, (method, _, headers, body) in scenarios.items():
        if "Idempotency-Key" in headers:  # keys of its own: the same table, one client app
            headers = {**headers, "Idempotency-Key": "inprocess-ceiling"}
        ceiling_call = wsgi_call(
            ceiling, method, ceiling_paths.get(name, f"/{name}"), headers, body
        )
        status, _, content = ceiling_call()
        assert int(status.split()[0]) < 400, (name, status, content)
        project_us = per_request_us(calls[name], args.count)
        ceiling_us = per_request_us(ceiling_call, args.count)
        print(f"{name:15} {project_us:9.1f} {ceiling_us:9.1f} {ceiling_us / project_us:6.2f}")


if __name__ == "__main__":
    main()
