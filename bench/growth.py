"""Growth: does a request cost the same with 10,000 workouts as with 10, and on page 2,000
of 100,000 athletes as on page 1 of 100?

Seeds one PostgreSQL database: 16 athletes with 10 workouts and 16 with 10,000. Each
athlete's latest 10 workouts are logged through the API (a fall at L3 heavy, then nine
mastered at L3 medium, so the recommendation runs its whole path: the latest counting
workouts, the falls at the position above, the workouts since the fall); the 9,990 older ones
of the large histories are rows like those the API writes, inserted by one INSERT ... SELECT
(alternating L3 light mastered and L3 medium in range, every 6 hours back from two weeks
ago), with the per-exercise summary brought in line. The 100,000 athletes of the large tenant
are one INSERT ... SELECT too. Then wrk loads the project's gunicorn: first the reads
(recommendation, progress, pages), then the workout POST (two sets, a fresh Idempotency-Key
per request) on the small and the large histories in turn; after each POST run its workouts
are deleted again, so a history stays at its size give or take one run's POSTs. It walks every
page of the large tenant timing each one, and prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS)
of the exact SELECTs the app sends for each case, captured from SQLAlchemy.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
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
    load_average,
    machine,
    prepare_database,
    revision,
    serving,
    spread,
    today,
    wrk,
)
from side_by_side import workout_body

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
FEW_WORKOUTS, MANY_WORKOUTS = 10, 10_000
ATHLETES_PER_CASE = 16  # POSTs spread over as many athletes in both cases
FEW_ATHLETES, MANY_ATHLETES = 100, 100_000
PAGE = 50  # the small tenant then has two pages: a page with a cursor on both sides
NOW = datetime.now(UTC).replace(microsecond=0)
LOAD_PERFORMED_AT = (NOW - timedelta(days=1)).isoformat()


def reps(count: int, hold: float) -> list[dict]:
    return [{"hold_seconds": hold, "strict_form": True, "high_flexion": True}] * count


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


def latest_workouts(base: str, key: str, athletes: list[str]) -> None:
    """Through the API, for each athlete: a fall at L3 heavy 12 days ago, then nine mastered
    workouts at L3 medium, one a day. The recommendation: a mastered pair, the fall at the
    position above is 9 workouts old (more than its block of 6): step up."""

    def one(job: tuple[str, int]) -> None:
        athlete, day = job
        body = workout_body((NOW - timedelta(days=12 - day)).isoformat(), reps(5, 5))
        if day == 0:
            body = workout_body((NOW - timedelta(days=12)).isoformat(), reps(2, 3))
            for entry in body["sets"]:
                entry["band_tension"] = "heavy"
        status, _, answer = call(
            "POST",
            f"{base}/v1/athletes/{athlete}/workouts",
            body,
            {**auth(key), "Idempotency-Key": f"{athlete}-{day}"},
        )
        assert status == 201, answer

    with ThreadPoolExecutor(8) as pool:
        for day in range(FEW_WORKOUTS):  # day by day, so each athlete's are in order
            list(pool.map(one, [(athlete, day) for athlete in athletes]))


def bulk_history(url: str, athletes: list[str], count: int) -> None:
    """`count` older workouts per athlete, two sets each, as the API would have stored them."""
    mastered, in_range = json.dumps(reps(5, 5)), json.dumps(reps(4, 4))
    with psycopg.connect(url) as db:
        db.execute(
            """
            WITH w AS (
                INSERT INTO workouts
                    (id, athlete_id, performed_at, context, notes, counting, level,
                     band_tension, shoulder_flexion, verdict, pain, one_side_only,
                     target_reps, target_hold_seconds, created_at, updated_at, version)
                SELECT gen_random_uuid(), a.id, %(start)s - make_interval(hours => 6 * n),
                       'activation', NULL, true, 3,
                       CASE WHEN n %% 2 = 0 THEN 'light' ELSE 'medium' END, false,
                       CASE WHEN n %% 2 = 0 THEN 'mastered' ELSE 'in_range' END,
                       false, false, 5, 5, now(), now(), 1
                FROM athletes a, generate_series(0, %(count)s - 1) n
                WHERE a.id = ANY(%(ids)s)
                RETURNING id, athlete_id, performed_at, band_tension, verdict
            )
            INSERT INTO workout_sets
                (id, workout_id, athlete_id, ordinal, performed_at, exercise, side,
                 band_tension, shoulder_flexion, reps, pain, rpe, verdict, counted,
                 best_hold_seconds, created_at)
            SELECT gen_random_uuid(), w.id, w.athlete_id, s.ordinal, w.performed_at,
                   'half-kneeling-banded-psoas-hold', s.side, w.band_tension, false,
                   CASE WHEN w.verdict = 'mastered' THEN %(mastered)s::json
                        ELSE %(in_range)s::json END,
                   false, NULL, w.verdict, true,
                   CASE WHEN w.verdict = 'mastered' THEN 5.0 ELSE 4.0 END, now()
            FROM w, (VALUES (0, 'left'), (1, 'right')) AS s(ordinal, side)
            """,
            {
                "start": NOW - timedelta(days=13),
                "count": count,
                "ids": athletes,
                "mastered": mastered,
                "in_range": in_range,
            },
        )


def summary_in_line(url: str, athletes: list[str], extra: int) -> None:
    """The per-exercise summary counts the bulk workouts too (as the API would have)."""
    with psycopg.connect(url) as db:
        db.execute(
            "UPDATE exercise_progress SET workouts = workouts + %(n)s,"
            " sets = sets + 2 * %(n)s, counted_sets = counted_sets + 2 * %(n)s"
            " WHERE athlete_id = ANY(%(ids)s) AND exercise = 'half-kneeling-banded-psoas-hold'",
            {"n": extra, "ids": athletes},
        )


def forget_load(url: str, athletes: list[str]) -> None:
    """Delete the workouts a POST run added (their sets go with them)."""
    with psycopg.connect(url) as db:
        db.execute(
            "DELETE FROM workouts WHERE athlete_id = ANY(%s) AND performed_at = %s",
            (athletes, LOAD_PERFORMED_AT),
        )


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
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT the app sends for each (path, key, status);
    a path starting with "POST " posts a two-set workout (its INSERTs are not explained)."""
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
        method, _, target = path.rpartition(" ")

        def send(number: int, target: str = target, method: str = method, key: str = key):
            if method == "POST":
                headers = {**auth(key), "Idempotency-Key": f"explain-{number}-{target}"}
                body = workout_body(LOAD_PERFORMED_AT)
                return client.post(target, json=body, headers=headers)
            return client.get(target, headers=auth(key))

        send(0)  # warm: catalog and key caches, prepared plans
        captured.clear()
        response = send(1)
        assert response.status_code == status, response.get_data(as_text=True)
        statements = [
            (s, p)
            for s, p in captured
            if s.lstrip().upper().startswith("SELECT")
            and "api_keys" not in s
            and s.strip() != "SELECT 1"
        ]
        sections.append(
            f"#### {name}: `{method or 'GET'} {target.split('?')[0]}`"
            f"{' (deep cursor)' if 'cursor=' in target else ''}\n"
        )
        with engine.connect() as connection:
            for statement, parameters in statements:
                plan = connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
                ).all()
                sections.append("```\n" + "\n".join(row[0] for row in plan) + "\n```\n")
    return "\n".join(sections)


def main() -> None:
    busy = load_average()  # before anything of this run: how busy the machine already was
    url = fresh_database("psoas_growth")
    big_key = prepare_database(url)
    env = app_environment(url)
    small_key = create_key(url, "small-tenant")
    project = Gunicorn("wsgi:app", env, "growth")
    with serving(project):
        base = project.base
        print("seeding...", file=sys.stderr)
        few = [new_athlete(base, big_key, f"few-{n}") for n in range(ATHLETES_PER_CASE)]
        many = [new_athlete(base, big_key, f"many-{n}") for n in range(ATHLETES_PER_CASE)]
        bulk_history(url, many, MANY_WORKOUTS - FEW_WORKOUTS)
        latest_workouts(base, big_key, few + many)
        summary_in_line(url, many, MANY_WORKOUTS - FEW_WORKOUTS)
        for number in range(FEW_ATHLETES):
            new_athlete(base, small_key, f"small-{number}")
        bulk_athletes(url, "bench", MANY_ATHLETES - len(few) - len(many))
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM ANALYZE")
            counts = db.execute(
                "SELECT count(*) FILTER (WHERE athlete_id = ANY(%s)),"
                " count(*) FILTER (WHERE athlete_id = ANY(%s)) FROM workouts",
                (few, many),
            ).fetchone()
        assert counts == (FEW_WORKOUTS * len(few), MANY_WORKOUTS * len(many)), counts
        # Both sizes take the same path: a mastered pair, a fall above 9 workouts ago, up.
        answers = [
            json.loads(
                call("GET", f"{base}/v1/athletes/{a[0]}/recommendation", None, auth(big_key))[2]
            )
            for a in (few, many)
        ]
        assert answers[0]["decision"] == answers[1]["decision"] == "up", answers
        assert answers[0]["next"] == answers[1]["next"], answers
        latencies, cursors = walk(base, big_key)
        pages = len(latencies)
        middle, last = cursors[pages // 2], cursors[-1]
        small_second = json.loads(
            call("GET", f"{base}/v1/athletes?page_size={PAGE}", None, auth(small_key))[2]
        )["next_cursor"]
        page = f"/v1/athletes?page_size={PAGE}"
        big, small = auth(big_key), auth(small_key)
        post = {**big, "Content-Type": "application/json"}
        body = workout_body(LOAD_PERFORMED_AT)

        def paths(athletes: list[str], what: str) -> tuple[str, ...]:
            return tuple(f"/v1/athletes/{a}/{what}" for a in athletes)

        # name: (load, its small twin or None, target)
        reads = {
            "recommendation, 10 workouts": (Load("GET", paths(few, "recommendation"), big),),
            "recommendation, 10,000 workouts": (
                Load("GET", paths(many, "recommendation"), big),
                "recommendation, 10 workouts",
                "≤ 1.5×",
            ),
            "progress, 10 workouts": (Load("GET", paths(few, "progress"), big),),
            "progress, 10,000 workouts": (
                Load("GET", paths(many, "progress"), big),
                "progress, 10 workouts",
                "≤ 1.5×",
            ),
            "athletes page 1 of 2 (100 athletes)": (Load("GET", (page,), small),),
            "athletes page 1 of 2,000 (100,000 athletes)": (
                Load("GET", (page,), big),
                "athletes page 1 of 2 (100 athletes)",
                "same (≤ 1.1×)",
            ),
            "athletes page 2 of 2 (100 athletes)": (
                Load("GET", (f"{page}&cursor={quote(small_second)}",), small),
            ),
            f"athletes page {pages // 2 + 1:,} of 2,000": (
                Load("GET", (f"{page}&cursor={quote(middle)}",), big),
                "athletes page 2 of 2 (100 athletes)",
                "same (≤ 1.1×)",
            ),
            "athletes page 2,000 of 2,000": (
                Load("GET", (f"{page}&cursor={quote(last)}",), big),
                "athletes page 2 of 2 (100 athletes)",
                "same (≤ 1.1×)",
            ),
        }
        writes = {
            "workout POST, 10 workouts": (
                Load("POST", paths(few, "workouts"), post, body, "growth-few"),
            ),
            "workout POST, 10,000 workouts": (
                Load("POST", paths(many, "workouts"), post, body, "growth-many"),
                "workout POST, 10 workouts",
                "≤ 1.5×",
            ),
        }
        wanted = [w for w in os.environ.get("BENCH_GROWTH_CASES", "").split(",") if w]

        def chosen(cases: dict) -> dict:
            # A large case runs with its small twin, always.
            keep = {n for n, c in cases.items() if not wanted or any(w in n for w in wanted)}
            keep |= {c[1] for n, c in cases.items() if n in keep and len(c) > 1}
            return {n: c for n, c in cases.items() if n in keep}

        reads, writes = chosen(reads), chosen(writes)
        runs: dict[str, list] = {name: [] for name in {**reads, **writes}}

        def once(name: str, load: Load, seconds: float, repeat: int) -> None:
            if load.idempotency_prefix:  # a fresh key per request, per run
                load = replace(load, idempotency_prefix=f"{load.idempotency_prefix}-{repeat}")
            run = wrk(base, load, seconds, 8)
            assert run.errors == 0, (name, run)
            if load.method == "POST":
                forget_load(url, few + many)
            if repeat:
                runs[name].append(run)
                print(f"  {name:40} {run.rps:7.0f} req/s p50 {run.p50_ms:.2f} ms", file=sys.stderr)

        # The reads first, then the writes: a POST run leaves dead rows behind until vacuum.
        for cases in (reads, writes):
            for name, (load, *_) in cases.items():  # warm-up
                once(name, load, 2, 0)
            for repeat in range(1, REPEATS + 1):
                for name, (load, *_) in cases.items():
                    once(name, load, SECONDS, repeat)
    many_recommendation = f"/v1/athletes/{many[0]}/recommendation"
    plans = explain(
        url,
        {
            "recommendation, 10,000 workouts": (many_recommendation, big_key, 200),
            # The ownership check runs before any workout is read: as cheap for a stranger.
            "recommendation, 10,000 workouts, asked by another tenant (404)": (
                many_recommendation,
                small_key,
                404,
            ),
            "workout POST, 10,000 workouts": (
                f"POST /v1/athletes/{many[0]}/workouts",
                big_key,
                201,
            ),
            "progress, 10,000 workouts": (f"/v1/athletes/{many[0]}/progress", big_key, 200),
            "athletes, page 2,000 of 2,000": (f"{page}&cursor={quote(last)}", big_key, 200),
        },
    )
    cases = {**reads, **writes}
    twins = {n: c[1:] for n, c in cases.items() if len(c) > 1}
    print(report(runs, twins, latencies, plans, busy))


def report(
    runs: dict[str, list],
    twins: dict[str, tuple[str, str]],
    latencies: list[float],
    plans: str,
    busy: str,
) -> str:
    rps = {name: statistics.median(r.rps for r in rs) for name, rs in runs.items()}
    lines = [
        "### Growth",
        "",
        f"{today()} · {machine()} · {revision()} · PostgreSQL 15 on the same machine · project "
        f"gunicorn, wrk -t2 -c8, {REPEATS} × {SECONDS:g} s per case after a 2 s warm-up; "
        f"{ATHLETES_PER_CASE} athletes per history size, requests spread over them · load "
        f"average {busy} at the start",
        "",
        "| case | req/s median (min-max) | p50 / p99 ms | cost vs. the small case | target | |",
        "|---|---|---|---|---|---|",
    ]
    # Each large case against its small twin; a page with a cursor against one with a cursor.
    for name, rs in runs.items():
        twin, target = twins.get(name, (None, ""))
        cost, met = "1 (reference)", ""
        if twin:
            ratio = rps[twin] / rps[name]
            limit = float(target.split("≤ ")[1].rstrip("×)"))
            cost, met = f"{ratio:.2f}×", "met" if ratio <= limit else "**missed**"
        lines.append(
            f"| {name} | {spread([r.rps for r in rs])} "
            f"| {statistics.median(r.p50_ms for r in rs):.2f} / "
            f"{statistics.median(r.p99_ms for r in rs):.2f} | {cost} | {target} | {met} |"
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
