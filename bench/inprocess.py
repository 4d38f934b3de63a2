"""The cost of one request inside a worker, with no network: the project against its ceiling.

    python inprocess.py [--profile SCENARIO] [--count N]

Calls each app's WSGI callable in a loop on one thread, the way a gunicorn worker does
after parsing a request, so the number is the app's own work per request: what a change
to the request path saves shows here in microseconds, before a load run. The project runs
on the PostgreSQL of BENCH_POSTGRES (its own database `psoas_inprocess`); the ceiling is
bench/ceiling.py replaying the project's answers. With --profile, cProfile's top functions
for that scenario.
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
from side_by_side import EVALUATION, SESSION

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
    created = wsgi_call(project, "POST", "/v1/athletes", auth, {"external_id": "inprocess"})()
    athlete = json.loads(created[2])["id"]
    for day in (18, 19):
        wsgi_call(
            project,
            "POST",
            f"/v1/athletes/{athlete}/sessions",
            {**auth, "Idempotency-Key": f"seed-{day}"},
            dict(SESSION, performed_at=f"2026-11-{day}T07:30:00Z"),
        )()
    etag = wsgi_call(project, "GET", "/v1/exercises", {}, None)()[1]["ETag"]
    scenarios = {
        "exercises": ("GET", "/v1/exercises", {}, None),
        "not-modified": ("GET", "/v1/exercises", {"If-None-Match": etag}, None),
        "evaluate": ("POST", "/v1/progressions/evaluate", {}, EVALUATION),
        "recommendation": ("GET", f"/v1/athletes/{athlete}/recommendation", auth, None),
        "sessions": (
            "POST",
            f"/v1/athletes/{athlete}/sessions",
            {**auth, "Idempotency-Key": "inprocess"},
            SESSION,
        ),
    }
    calls = {name: wsgi_call(project, *shape) for name, shape in scenarios.items()}
    answers = []
    for name, (method, _, _, _) in scenarios.items():
        status, headers, content = calls[name]()
        assert int(status.split()[0]) < 400, (name, status, content)
        answers.append(
            {
                "rule": f"/{name}",
                "method": method,
                "status": int(status.split()[0]),
                "headers": {k: v for k, v in headers.items() if k != "Content-Length"},
                "body": base64.b64encode(content).decode(),
            }
        )
    answers_file = OUT / "inprocess-answers.json"
    answers_file.write_text(json.dumps(answers))
    os.environ["BENCH_CEILING_ANSWERS"] = str(answers_file)
    from ceiling import app as ceiling

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(per_request_us, calls[args.profile], args.count)
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(30)
        if os.environ.get("BENCH_CALLERS"):  # e.g. "local.py:310": who calls it, how often
            stats.print_callers(os.environ["BENCH_CALLERS"])
        return
    print(f"µs per request, mean of {args.count} calls after 200 to warm up, one thread")
    print(f"{'scenario':15} {'project':>9} {'ceiling':>9} {'ratio':>6}")
    for name, (method, _, headers, body) in scenarios.items():
        ceiling_call = wsgi_call(ceiling, method, f"/{name}", headers, body)
        project_us = per_request_us(calls[name], args.count)
        ceiling_us = per_request_us(ceiling_call, args.count)
        print(f"{name:15} {project_us:9.1f} {ceiling_us:9.1f} {ceiling_us / project_us:6.2f}")


if __name__ == "__main__":
    main()
