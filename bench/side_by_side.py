"""The project against the ceiling, route by route, in one run and one configuration.

Both are served by gunicorn with the project's gunicorn.conf.py; wrk loads them from a
separate process on loopback. For each scenario: a warm-up of each, then repetitions
that alternate project and ceiling, so a noisy moment hits both. Prints a Markdown report
(also written to bench/out/side-by-side.md) with the median and spread of requests per
second, p50/p99 latency, errors, and the ratio of the medians against its target.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import sys
from dataclasses import dataclass

import psycopg
from common import (
    OUT,
    Gunicorn,
    Load,
    Run,
    app_environment,
    call,
    fresh_database,
    machine,
    prepare_database,
    serving,
    spread,
    today,
    wrk,
)

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
WARMUP_SECONDS = float(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ATHLETES = 64
# Gunicorn and the connection add these; they are not part of an answer's bytes.
HOP_HEADERS = {"date", "server", "connection", "content-length", "keep-alive", "transfer-encoding"}
REPS = [{"hold_seconds": s, "strict_form": True, "high_flexion": True} for s in (5, 5, 5.5, 6, 5)]
EVALUATION = {
    "exercise": "half-kneeling-banded-psoas-hold",
    "band_tension": "medium",
    "shoulder_flexion": False,
    "reps": REPS,
}
SESSION = {
    "exercise": "half-kneeling-banded-psoas-hold",
    "band_tension": "medium",
    "performed_at": "2026-11-20T07:30:00Z",
    "reps": REPS,
}


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    target: float
    load: Load
    ceiling_rule: str  # the URL rule the ceiling answers this scenario's bytes on
    ceiling_path: tuple[str, ...] | None = None  # where wrk sends the ceiling's load


def seed_athletes(base: str, key: str) -> list[str]:
    auth = {"Authorization": f"Bearer {key}"}
    ids = []
    for number in range(ATHLETES):
        status, headers, body = call(
            "POST",
            f"{base}/v1/athletes",
            {"external_id": f"bench-{number}"},
            {**auth, "Idempotency-Key": f"seed-athlete-{number}"},
        )
        assert status == 201, (status, body)
        athlete = json.loads(body)["id"]
        for day in (18, 19):
            session = dict(SESSION, performed_at=f"2026-11-{day}T07:30:00Z")
            status, _, body = call(
                "POST",
                f"{base}/v1/athletes/{athlete}/sessions",
                session,
                {**auth, "Idempotency-Key": f"seed-{athlete}-{day}"},
            )
            assert status == 201, (status, body)
        ids.append(athlete)
    return ids


def scenarios(key: str, athletes: list[str], etag: str) -> list[Scenario]:
    auth = {"Authorization": f"Bearer {key}"}
    return [
        Scenario(
            "exercises",
            "GET /v1/exercises (full list, 200)",
            0.9,
            Load("GET", ("/v1/exercises",)),
            "/v1/exercises",
        ),
        Scenario(
            "not-modified",
            "GET /v1/exercises + If-None-Match (304)",
            0.9,
            Load("GET", ("/v1/exercises",), {"If-None-Match": etag}),
            "/smallest",
            ("/smallest",),
        ),
        Scenario(
            "evaluate",
            "POST /v1/progressions/evaluate (typical set)",
            0.7,
            Load(
                "POST",
                ("/v1/progressions/evaluate",),
                {"Content-Type": "application/json"},
                EVALUATION,
            ),
            "/v1/progressions/evaluate",
        ),
        Scenario(
            "recommendation",
            "GET /v1/athletes/{id}/recommendation (PostgreSQL)",
            0.4,
            Load("GET", tuple(f"/v1/athletes/{a}/recommendation" for a in athletes), auth),
            "/v1/athletes/<athlete>/recommendation",
        ),
        Scenario(
            "sessions",
            "POST /v1/athletes/{id}/sessions + Idempotency-Key (PostgreSQL)",
            0.3,
            Load(
                "POST",
                tuple(f"/v1/athletes/{a}/sessions" for a in athletes),
                {**auth, "Content-Type": "application/json"},
                SESSION,
                "bench",
            ),
            "/v1/athletes/<athlete>/sessions",
        ),
    ]


def capture(base: str, scenario: Scenario) -> dict:
    """The project's answer to one request of the scenario, as the ceiling will replay it."""
    load = scenario.load
    headers = dict(load.headers)
    if load.idempotency_prefix:
        headers["Idempotency-Key"] = "capture-" + scenario.name
    headers.pop("Content-Type", None)
    status, answer_headers, content = call(load.method, base + load.paths[0], load.body, headers)
    assert status < 400, (scenario.name, status, content)
    return {
        "rule": scenario.ceiling_rule,
        "method": load.method,
        "status": status,
        "headers": {k: v for k, v in answer_headers.items() if k.lower() not in HOP_HEADERS},
        "body": base64.b64encode(content).decode(),
    }


def measure(project: Gunicorn, ceiling: Gunicorn, scenario: Scenario) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {"project": [], "ceiling": []}
    ceiling_load = scenario.load
    if scenario.ceiling_path:
        ceiling_load = Load(
            ceiling_load.method, scenario.ceiling_path, ceiling_load.headers, ceiling_load.body
        )

    def load_for(which: str, repeat: int) -> Load:
        load = scenario.load if which == "project" else ceiling_load
        if load.idempotency_prefix:  # every request of every run a new key
            load = Load(
                load.method,
                load.paths,
                load.headers,
                load.body,
                f"{scenario.name}-{which}-{repeat}",
            )
        return load

    servers = {"project": project, "ceiling": ceiling}
    for which, server in servers.items():
        runs.setdefault("warmup-" + which, []).append(
            wrk(server.base, load_for(which, 0), WARMUP_SECONDS, CONNECTIONS)
        )
    for repeat in range(1, REPEATS + 1):
        for which, server in servers.items():
            run = wrk(server.base, load_for(which, repeat), SECONDS, CONNECTIONS)
            runs[which].append(run)
            print(
                f"  {scenario.name:15} {which:8} {run.rps:8.0f} req/s  p50 {run.p50_ms:6.2f} ms"
                f"  p99 {run.p99_ms:6.2f} ms  errors {run.errors}  {run.statuses}",
                file=sys.stderr,
            )
    return runs


def stored_once(
    url: str, runs: dict[str, list[Run]], base: str, key: str, athletes: list[str]
) -> str:
    """Every acknowledged session stored exactly once, and a replay stores nothing."""
    acknowledged = sum(
        r.statuses.get("201", 0)
        for name, rs in runs.items()
        if name.endswith("project")
        for r in rs
    )
    with psycopg.connect(url) as db:

        def counts() -> tuple[int, int, int]:
            # The rows of this run: the load's keys, plus the one captured for the ceiling.
            sessions = db.execute(
                "SELECT count(*) FROM training_sessions WHERE performed_at = %s",
                ("2026-11-20T07:30:00Z",),
            ).fetchone()[0]
            keys = db.execute(
                "SELECT count(*) FROM idempotency_records"
                " WHERE key LIKE 'sessions-project-%%' OR key = 'capture-sessions'"
            ).fetchone()[0]
            dupes = db.execute(
                "SELECT count(*) FROM (SELECT key FROM idempotency_records "
                "GROUP BY client_app_id, key HAVING count(*) > 1) d"
            ).fetchone()[0]
            return sessions, keys, dupes

        sessions, keys, dupes = counts()
        # wrk thread 1's keys of repetition 1: its n-th request went to the n-th athlete.
        sent = db.execute(
            "SELECT key FROM idempotency_records WHERE key LIKE 'sessions-project-1-1-%%'"
            " ORDER BY id LIMIT 50"
        ).fetchall()
        replays = []
        for (replayed_key,) in sent:
            number = int(replayed_key.rsplit("-", 1)[1])
            athlete = athletes[(number - 1) % len(athletes)]
            status, headers, _ = call(
                "POST",
                f"{base}/v1/athletes/{athlete}/sessions",
                SESSION,
                {"Authorization": f"Bearer {key}", "Idempotency-Key": replayed_key},
            )
            replays.append((status, headers.get("Idempotent-Replayed")))
        after = counts()
    acknowledged += 1  # the captured answer
    # Requests in flight when wrk stopped were stored but their answers never read.
    in_flight_allowance = CONNECTIONS * (REPEATS + 1)
    ok = (
        dupes == 0
        and sessions == keys
        and acknowledged <= sessions
        and sessions - acknowledged <= in_flight_allowance
        and after == (sessions, keys, dupes)
        and len(replays) == 50
        and all(r == (201, "true") for r in replays)
    )
    return (
        f"{'PASS' if ok else 'FAIL'}: {acknowledged} acknowledged (201), {sessions} rows, "
        f"{keys} idempotency keys, {dupes} keys stored twice; {len(replays)} replays answered "
        f"{sorted(set(replays), key=str)} and stored {after[0] - sessions} rows"
    )


def report(
    results: list[tuple[Scenario, dict[str, list[Run]]]], rows_check: str, label: str
) -> str:
    lines = [
        f"### {label}",
        "",
        f"{today()} · {machine()} · {REPEATS} × {SECONDS:g} s per side after a "
        f"{WARMUP_SECONDS:g} s warm-up, wrk -t2 -c{CONNECTIONS}, alternating",
        "",
        "| scenario | project req/s | ceiling req/s | ratio | target | project p50 / p99 ms "
        "| ceiling p50 / p99 ms | errors | |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario, runs in results:
        project, ceiling = runs["project"], runs["ceiling"]
        ratio = statistics.median(r.rps for r in project) / statistics.median(
            r.rps for r in ceiling
        )
        errors = sum(r.errors for rs in runs.values() for r in rs)
        met = "met" if ratio >= scenario.target and errors == 0 else "**missed**"
        lines.append(
            f"| {scenario.title} | {spread([r.rps for r in project])} "
            f"| {spread([r.rps for r in ceiling])} | {ratio:.2f} | ≥ {scenario.target} "
            f"| {statistics.median(r.p50_ms for r in project):.2f} / "
            f"{statistics.median(r.p99_ms for r in project):.2f} "
            f"| {statistics.median(r.p50_ms for r in ceiling):.2f} / "
            f"{statistics.median(r.p99_ms for r in ceiling):.2f} | {errors} | {met} |"
        )
    lines += ["", f"Sessions stored once: {rows_check}", ""]
    return "\n".join(lines)


def main() -> None:
    url = fresh_database()
    key = prepare_database(url)
    extra = (
        {"REDIS_URL": os.environ["BENCH_REDIS_URL"]} if os.environ.get("BENCH_REDIS_URL") else {}
    )
    label = "Project vs ceiling" + (" (rate-limit counters in Redis)" if extra else "")
    project = Gunicorn("wsgi:app", app_environment(url, **extra), "project")
    with serving(project):
        athletes = seed_athletes(project.base, key)
        status, headers, _ = call("GET", project.base + "/v1/exercises")
        plan = scenarios(key, athletes, headers["ETag"])
        answers = [capture(project.base, s) for s in plan]
        answers[1]["rule"] = "/smallest"  # the 304, bodiless: the ceiling's smallest answer
        assert answers[1]["status"] == 304
        answers_file = OUT / "ceiling-answers.json"
        answers_file.write_text(json.dumps(answers))
        ceiling = Gunicorn(
            "bench.ceiling:app",
            app_environment(url, BENCH_CEILING_ANSWERS=str(answers_file)),
            "ceiling",
        )
        with serving(ceiling):
            wanted = os.environ.get("BENCH_SCENARIOS", "").split(",")
            results = [
                (scenario, measure(project, ceiling, scenario))
                for scenario in plan
                if wanted == [""] or scenario.name in wanted
            ]
        rows_check = "not measured (the sessions scenario did not run)"
        if results[-1][0].name == "sessions":
            rows_check = stored_once(url, results[-1][1], project.base, key, athletes)
    text = report(results, rows_check, label)
    (OUT / "side-by-side.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
