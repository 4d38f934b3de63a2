"""Growth: does a request cost the same with 10,000 sessions as with 10, and on page 2,000
of 100,000 athletes as on page 1 of 100?

Seeds one PostgreSQL database through the API (the sessions, so the per-exercise summary is
the real one) and with one INSERT ... SELECT (the 100,000 athletes of the large tenant),
then loads the project's gunicorn with wrk for each case, walks every page of the large
tenant timing each one, and prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of the exact
statements the app sends for each case, captured from SQLAlchemy.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import psycopg
from common import (
    OUT,
    ROOT,
    Gunicorn,
    Load,
    app_environment,
    call,
    create_key,
    fresh_database,
    machine,
    prepare_database,
    serving,
    spread,
    today,
    wrk,
)

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
FEW_SESSIONS, MANY_SESSIONS = 10, 10_000
FEW_ATHLETES, MANY_ATHLETES = 100, 100_000
PAGE = 50  # the small tenant then has two pages: a page with a cursor on both sides
REPS = [{"hold_seconds": 5, "strict_form": True, "high_flexion": True}] * 5


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def new_athlete(base: str, key: str, external_id: str) -> str:
    status, _, body = call(
        "POST",
        f"{base}/v1/athletes",
        {"external_id": external_id},
        {**auth(key), "Idempotency-Key": f"athlete-{external_id}"},
    )
    assert status == 201, body
    return json.loads(body)["id"]


def log_sessions(base: str, key: str, athlete: str, count: int) -> None:
    def one(number: int) -> None:
        # Alternate tensions so the history has a real mix; times are distinct, in the past.
        performed = time.gmtime(1_700_000_000 + number * 60)
        session = {
            "exercise": "half-kneeling-banded-psoas-hold",
            "band_tension": ("light", "medium")[number % 2],
            "performed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", performed),
            "reps": REPS,
        }
        status, _, body = call(
            "POST",
            f"{base}/v1/athletes/{athlete}/sessions",
            session,
            {**auth(key), "Idempotency-Key": f"{athlete}-{number}"},
        )
        assert status == 201, body

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(count)))


def bulk_athletes(url: str, client_app: str, count: int) -> None:
    with psycopg.connect(url) as db:
        db.execute(
            "INSERT INTO athletes (id, client_app_id, external_id, display_name, created_at,"
            " updated_at, version)"
            " SELECT gen_random_uuid(), c.id, 'bulk-' || n, NULL,"
            "  now() - make_interval(secs => %s - n), now() - make_interval(secs => %s - n), 1"
            " FROM client_apps c, generate_series(1, %s) n WHERE c.name = %s",
            (count, count, count, client_app),
        )
        db.execute("ANALYZE athletes")


def walk(base: str, key: str) -> tuple[list[float], list[str]]:
    """Every page of the large tenant: each page's latency (ms), and each page's cursor."""
    latencies, cursors, cursor = [], [""], None
    while True:
        query = f"?page_size={PAGE}" + (f"&cursor={quote(cursor)}" if cursor else "")
        started = time.perf_counter()
        status, _, body = call("GET", f"{base}/v1/athletes{query}", None, auth(key))
        latencies.append((time.perf_counter() - started) * 1000)
        assert status == 200, body
        cursor = json.loads(body)["next_cursor"]
        if cursor is None:
            return latencies, cursors
        cursors.append(cursor)


def explain(url: str, requests: dict[str, tuple[str, str, int]]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT the app sends for each (path, key, status)."""
    os.environ.update(app_environment(url))
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from app import create_app

    app = create_app()
    app.extensions["access_log"].stream = io.StringIO()  # keep access lines out of the report
    engine = app.extensions["db_engine"]
    captured: list[tuple[str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        captured.append((statement, parameters))

    client = app.test_client()
    sections = []
    for name, (path, key, status) in requests.items():
        client.get(path, headers=auth(key))  # warm: catalog and key caches, prepared plans
        captured.clear()
        response = client.get(path, headers=auth(key))
        assert response.status_code == status, response.get_data(as_text=True)
        statements = [
            (s, p)
            for s, p in captured
            if s.lstrip().upper().startswith("SELECT")
            and "api_keys" not in s
            and s.strip() != "SELECT 1"
        ]
        sections.append(
            f"#### {name}: `GET {path.split('?')[0]}`"
            f"{' (deep cursor)' if 'cursor=' in path else ''}\n"
        )
        with engine.connect() as connection:
            for statement, parameters in statements:
                plan = connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
                ).all()
                sections.append("```\n" + "\n".join(row[0] for row in plan) + "\n```\n")
    return "\n".join(sections)


def main() -> None:
    url = fresh_database("psoas_growth")
    big_key = prepare_database(url)
    env = app_environment(url)
    small_key = create_key(url, "small-tenant")
    project = Gunicorn("wsgi:app", env, "growth")
    with serving(project):
        base = project.base
        print("seeding...", file=sys.stderr)
        few, many = new_athlete(base, big_key, "few"), new_athlete(base, big_key, "many")
        log_sessions(base, big_key, few, FEW_SESSIONS)
        log_sessions(base, big_key, many, MANY_SESSIONS)
        for number in range(FEW_ATHLETES):
            new_athlete(base, small_key, f"small-{number}")
        bulk_athletes(url, "bench", MANY_ATHLETES - 2)
        with psycopg.connect(url) as db:
            db.execute("ANALYZE")
        latencies, cursors = walk(base, big_key)
        pages = len(latencies)
        middle, last = cursors[pages // 2], cursors[-1]
        small_second = json.loads(
            call("GET", f"{base}/v1/athletes?page_size={PAGE}", None, auth(small_key))[2]
        )["next_cursor"]
        page = f"/v1/athletes?page_size={PAGE}"
        cases = {
            "recommendation, 10 sessions": (f"/v1/athletes/{few}/recommendation", big_key),
            "recommendation, 10,000 sessions": (f"/v1/athletes/{many}/recommendation", big_key),
            "progress, 10 sessions": (f"/v1/athletes/{few}/progress", big_key),
            "progress, 10,000 sessions": (f"/v1/athletes/{many}/progress", big_key),
            "athletes page 1 of 2 (100 athletes)": (page, small_key),
            "athletes page 1 of 2,000 (100,000 athletes)": (page, big_key),
            "athletes page 2 of 2 (100 athletes)": (
                f"{page}&cursor={quote(small_second)}",
                small_key,
            ),
            f"athletes page {pages // 2 + 1:,} of 2,000": (
                f"{page}&cursor={quote(middle)}",
                big_key,
            ),
            "athletes page 2,000 of 2,000": (f"{page}&cursor={quote(last)}", big_key),
        }
        runs: dict[str, list] = {name: [] for name in cases}
        for path, key in cases.values():  # warm-up
            wrk(base, Load("GET", (path,), auth(key)), 2, 8)
        for _ in range(REPEATS):
            for name, (path, key) in cases.items():
                run = wrk(base, Load("GET", (path,), auth(key)), SECONDS, 8)
                assert run.errors == 0, (name, run)
                runs[name].append(run)
                print(f"  {name:40} {run.rps:7.0f} req/s p50 {run.p50_ms:.2f} ms", file=sys.stderr)
    many_recommendation = cases["recommendation, 10,000 sessions"][0]
    plans = explain(
        url,
        {
            "recommendation, 10,000 sessions": (many_recommendation, big_key, 200),
            # The ownership check runs before any session is read: as cheap for a stranger.
            "recommendation, 10,000 sessions, asked by another tenant (404)": (
                many_recommendation,
                small_key,
                404,
            ),
            "progress, 10,000 sessions": (cases["progress, 10,000 sessions"][0], big_key, 200),
            "athletes, page 2,000 of 2,000": (
                cases["athletes page 2,000 of 2,000"][0],
                big_key,
                200,
            ),
        },
    )
    print(report(runs, latencies, plans))


def report(runs: dict[str, list], latencies: list[float], plans: str) -> str:
    rps = {name: statistics.median(r.rps for r in rs) for name, rs in runs.items()}
    names = list(runs)
    lines = [
        "### Growth",
        "",
        f"{today()} · {machine()} · PostgreSQL 15 on the same machine · project gunicorn, "
        f"wrk -t2 -c8, {REPEATS} × {SECONDS:g} s per case after a 2 s warm-up",
        "",
        "| case | req/s median (min-max) | p50 / p99 ms | cost vs. the small case | target |",
        "|---|---|---|---|---|",
    ]
    # Each large case against its small twin; a page with a cursor against one with a cursor.
    pairs = {
        names[1]: names[0],
        names[3]: names[2],
        names[5]: names[4],
        names[7]: names[6],
        names[8]: names[6],
    }
    for name, rs in runs.items():
        base = pairs.get(name)
        cost = f"{rps[base] / rps[name]:.2f}×" if base else "1 (reference)"
        target = ("≤ 1.5×" if "session" in name else "same (≤ 1.1×)") if base else ""
        lines.append(
            f"| {name} | {spread([r.rps for r in rs])} "
            f"| {statistics.median(r.p50_ms for r in rs):.2f} / "
            f"{statistics.median(r.p99_ms for r in rs):.2f} | {cost} | {target} |"
        )
    deciles = [
        latencies[i * len(latencies) // 10 : (i + 1) * len(latencies) // 10] for i in range(10)
    ]
    lines += [
        "",
        f"Walking all {len(latencies)} pages of the 100,000-athlete tenant one by one "
        f"(one client, page_size={PAGE}), milliseconds per page by depth:",
        "",
        "| pages | median | p99 | max |",
        "|---|---|---|---|",
    ]
    for number, chunk in enumerate(deciles):
        ordered = sorted(chunk)
        lines.append(
            f"| {number * len(latencies) // 10 + 1}-{(number + 1) * len(latencies) // 10} "
            f"| {statistics.median(ordered):.2f} | {ordered[int(len(ordered) * 0.99) - 1]:.2f} "
            f"| {ordered[-1]:.2f} |"
        )
    lines += [
        "",
        "#### Query plans (EXPLAIN ANALYZE, BUFFERS) of the statements the app sends",
        "",
        plans,
    ]
    text = "\n".join(lines)
    (OUT / "growth.md").write_text(text)
    return text


if __name__ == "__main__":
    main()
