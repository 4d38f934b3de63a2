"""Memory and start: worker RSS after 100,000 requests per worker against its value after
the warm-up, and how soon a second `make run` answers /healthz.

The load mixes catalog reads (with ~1,800 distinct query strings, more than the page
cache's 1,024 entries, so eviction is exercised), engine POSTs and athlete reads on
PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (
    OUT,
    ROOT,
    Gunicorn,
    Load,
    app_environment,
    free_port,
    fresh_database,
    machine,
    prepare_database,
    serving,
    today,
    wait_until_ok,
    wrk,
)
from side_by_side import EVALUATION, seed_athletes

REQUESTS_PER_WORKER = int(os.environ.get("BENCH_REQUESTS_PER_WORKER", "100000"))
STARTS = 3


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def loads(key: str, athletes: list[str]) -> list[Load]:
    auth = {"Authorization": f"Bearer {key}"}
    catalog = tuple(
        f"/v1/exercises?page_size={size}"
        + (f"&level={level}" if level else "")
        + (f"&role={role}" if role else "")
        for size in range(1, 101)
        for level in (None, 1, 2, 3, 4, 5)
        for role in (None, "ladder", "complementary")
    ) + (
        "/v1/exercises",
        "/v1/muscles",
        "/v1/rules",
        "/v1/ladders/psoas",
        "/v1/exercises/deep-lunge",
    )
    athlete_reads = tuple(
        f"/v1/athletes/{a}/{what}" for a in athletes for what in ("recommendation", "progress")
    ) + tuple(f"/v1/athletes/{a}/workouts" for a in athletes)
    return [
        Load("GET", catalog),
        Load(
            "POST", ("/v1/progressions/evaluate",), {"Content-Type": "application/json"}, EVALUATION
        ),
        Load("GET", athlete_reads, auth),
    ]


def drive(base: str, plan: list[Load], requests: int) -> int:
    """Send about `requests` requests, cycling through the loads; the count sent."""
    sent = 0
    while sent < requests:
        for load in plan:
            run = wrk(base, load, 10, 16)
            assert run.errors == 0, run
            sent += run.requests
    return sent


def second_start_seconds() -> list[float]:
    """`make run` once to set up, then the time to /healthz of each later `make run`."""
    database = Path(tempfile.mkdtemp(prefix="psoas-start-")) / "psoas.db"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
    timings = []
    for attempt in range(STARTS + 1):
        port = free_port()
        started = time.monotonic()
        make = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_until_ok(f"http://127.0.0.1:{port}/healthz", 120)
            if attempt:  # the first run creates the database and loads the catalog
                timings.append(time.monotonic() - started)
        finally:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait(60)
    return timings


def main() -> None:
    url = fresh_database("psoas_memory")
    key = prepare_database(url)
    project = Gunicorn("wsgi:app", app_environment(url), "memory")
    with serving(project):
        athletes = seed_athletes(project.base, key)
        plan = loads(key, athletes)
        workers = project.worker_pids()
        drive(project.base, plan, 20_000)  # warm-up: every route, every cache filled once
        warm = {pid: rss_kib(pid) for pid in workers}
        print(f"after warm-up: {warm}", file=sys.stderr)
        sent = drive(project.base, plan, REQUESTS_PER_WORKER * len(workers))
        after = {pid: rss_kib(pid) for pid in workers}
        assert project.worker_pids() == workers, "a worker was replaced during the run"
    starts = second_start_seconds()
    lines = [
        "### Memory and start",
        "",
        f"{today()} · {machine()}",
        "",
        f"{sent:,} requests after the warm-up ({sent // len(workers):,} per worker on "
        f"average), {len(workers)} workers, the same processes throughout:",
        "",
        "| worker | RSS after warm-up | RSS after the load | change | target |",
        "|---|---|---|---|---|",
    ]
    for pid in workers:
        change = (after[pid] - warm[pid]) / warm[pid] * 100
        lines.append(
            f"| {pid} | {warm[pid] / 1024:.1f} MiB | {after[pid] / 1024:.1f} MiB "
            f"| {change:+.1f}% | within ±10%: {'met' if abs(change) <= 10 else 'missed'} |"
        )
    lines += [
        "",
        f"A second `make run` (SQLite, catalog already loaded) answered `/healthz` after "
        f"{', '.join(f'{s:.2f}' for s in starts)} s (median {statistics.median(starts):.2f} s; "
        f"target ≤ 5 s: {'met' if max(starts) <= 5 else 'missed'}).",
        "",
    ]
    text = "\n".join(lines)
    (OUT / "memory.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
