"""The project against the ceiling, route by route, in one run and one configuration.

Both are served by gunicorn with the project's gunicorn.conf.py; wrk loads them from a
separate process on loopback. For each scenario: a warm-up of each, then repetitions
that alternate project and ceiling, so a noisy moment hits both. Prints a Markdown report
(also written to bench/out/side-by-side.md) with the median and spread of requests per
second, p50/p99 latency, errors, and the ratio of the medians against its target. The
ceiling (bench/ceiling.py) replays the project's bytes for the catalog and engine routes and
does the least PostgreSQL work that is still durable and idempotent for the workout POST
and the recommendation, on athletes of its own. Then it checks that every acknowledged
workout was stored once, on both sides.
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
    load_average,
    machine,
    prepare_database,
    revision,
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
LOAD_PERFORMED_AT = "2026-11-20T07:30:00Z"


def workout_body(performed_at: str = LOAD_PERFORMED_AT, reps: list | None = None) -> dict:
    """A two-set workout: the same drill on the left and on the right."""
    return {
        "performed_at": performed_at,
        "context": "activation",
        "sets": [
            {
                "exercise": "half-kneeling-banded-psoas-hold",
                "side": side,
                "band_tension": "medium",
                "shoulder_flexion": False,
                "reps": reps or REPS,
            }
            for side in ("left", "right")
        ],
    }


WORKOUT = workout_body()


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    target: float
    load: Load
    ceiling_rule: str  # the URL rule the ceiling answers this scenario on
    ceiling_path: tuple[str, ...] | None = None  # where wrk sends the ceiling's load
    ceiling_kind: str = "replay"  # how the ceiling answers: see ceiling.py


def seed_athletes(base: str, key: str, count: int = ATHLETES, prefix: str = "bench") -> list[str]:
    """Athletes with two mastered two-set workouts each, on two days: the recommendation
    reads a pair and steps up."""
    auth = {"Authorization": f"Bearer {key}"}
    ids = []
    for number in range(count):
        status, headers, body = call(
            "POST",
            f"{base}/v1/athletes",
            {"external_id": f"{prefix}-{number}"},
            {**auth, "Idempotency-Key": f"seed-athlete-{prefix}-{number}"},
        )
        assert status == 201, (status, body)
        athlete = json.loads(body)["id"]
        for day in (18, 19):
            status, _, body = call(
                "POST",
                f"{base}/v1/athletes/{athlete}/workouts",
                workout_body(f"2026-11-{day}T07:30:00Z"),
                {**auth, "Idempotency-Key": f"seed-{athlete}-{day}"},
            )
            assert status == 201, (status, body)
        ids.append(athlete)
    return ids


def scenarios(
    key: str, athletes: list[str], etag: str, ceiling_athletes: list[str] | None = None
) -> list[Scenario]:
    """The scenarios; the ceiling's athlete routes run on athletes of their own (seeded the
    same way), so each side's rows can be counted apart."""
    auth = {"Authorization": f"Bearer {key}"}
    others = ceiling_athletes or athletes
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
            "GET /v1/athletes/{id}/recommendation, from workouts (PostgreSQL)",
            0.4,
            Load("GET", tuple(f"/v1/athletes/{a}/recommendation" for a in athletes), auth),
            "/v1/athletes/<uuid:athlete>/recommendation",
            tuple(f"/v1/athletes/{a}/recommendation" for a in others),
            "recommendation",
        ),
        Scenario(
            "workouts",
            "POST /v1/athletes/{id}/workouts, two sets + Idempotency-Key (PostgreSQL)",
            0.3,
            Load(
                "POST",
                tuple(f"/v1/athletes/{a}/workouts" for a in athletes),
                {**auth, "Content-Type": "application/json"},
                WORKOUT,
                "workouts",
            ),
            "/v1/athletes/<uuid:athlete>/workouts",
            tuple(f"/v1/athletes/{a}/workouts" for a in others),
            "workout-post",
        ),
    ]


def capture(base: str, scenario: Scenario, url: str) -> dict:
    """The project's answer to one request of the scenario, as the ceiling will use it."""
    load = scenario.load
    headers = dict(load.headers)
    if load.idempotency_prefix:
        headers["Idempotency-Key"] = "capture-" + scenario.name
    headers.pop("Content-Type", None)
    status, answer_headers, content = call(load.method, base + load.paths[0], load.body, headers)
    assert status < 400, (scenario.name, status, content)
    answer = {
        "rule": scenario.ceiling_rule,
        "method": load.method,
        "kind": scenario.ceiling_kind,
        "status": status,
        "headers": {k: v for k, v in answer_headers.items() if k.lower() not in HOP_HEADERS},
        "body": base64.b64encode(content).decode(),
    }
    if scenario.ceiling_kind == "recommendation":
        answer["template"] = {"based_on": json.loads(content)["based_on"]}
    elif scenario.ceiling_kind == "workout-post":
        answer["template"] = stored_workout(url, json.loads(content)["id"])
    return answer


def stored_workout(url: str, workout_id: str) -> dict:
    """What the project stored for a workout: the judgement the ceiling writes as is."""
    judged = (
        "counting, level, band_tension, shoulder_flexion, verdict, pain, one_side_only, "
        "target_reps, target_hold_seconds"
    )
    with psycopg.connect(url) as db:
        cursor = db.execute(
            f"SELECT athlete_id, {judged} FROM workouts WHERE id = %s", (workout_id,)
        )
        row = cursor.fetchone()
        names = [c.name for c in cursor.description]
        sets = db.execute(
            "SELECT verdict, counted, best_hold_seconds FROM workout_sets"
            " WHERE workout_id = %s ORDER BY ordinal",
            (workout_id,),
        ).fetchall()
    return {
        "workout_id": workout_id,
        "athlete_id": str(row[0]),
        "workout": dict(zip(names[1:], row[1:], strict=True)),
        "sets": [{"verdict": v, "counted": c, "best_hold_seconds": b} for v, c, b in sets],
    }


def ceiling_file(name: str, answers: list[dict], url: str, key: str) -> str:
    """The ceiling's answers, database and key, in bench/out/<name>; the file's path."""
    with psycopg.connect(url) as db:
        client_app = db.execute("SELECT id FROM client_apps WHERE name = 'bench'").fetchone()[0]
    path = OUT / name
    path.write_text(
        json.dumps(
            {
                "answers": answers,
                "database": url,
                "authorization": f"Bearer {key}",
                "client_app_id": client_app,
            }
        )
    )
    return str(path)


def measure(project: Gunicorn, ceiling: Gunicorn, scenario: Scenario) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {"project": [], "ceiling": []}
    ceiling_load = scenario.load
    if scenario.ceiling_path:
        ceiling_load = Load(
            ceiling_load.method,
            scenario.ceiling_path,
            ceiling_load.headers,
            ceiling_load.body,
            ceiling_load.idempotency_prefix,
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
    url: str,
    runs: dict[str, list[Run]],
    base: str,
    key: str,
    athletes: list[str],
    which: str = "project",
) -> str:
    """Every acknowledged workout stored exactly once, and a replay stores nothing."""
    acknowledged = sum(
        r.statuses.get("201", 0) for name, rs in runs.items() if name.endswith(which) for r in rs
    )
    with psycopg.connect(url) as db:

        def counts() -> tuple[int, int, int, int]:
            # The rows of this run on `which`'s athletes: the load's keys, plus the captured one.
            workouts, sets = db.execute(
                "SELECT count(DISTINCT w.id), count(s.id) FROM workouts w"
                " LEFT JOIN workout_sets s ON s.workout_id = w.id"
                " WHERE w.performed_at = %s AND w.athlete_id = ANY(%s)",
                (LOAD_PERFORMED_AT, athletes),
            ).fetchone()
            keys = db.execute(
                "SELECT count(*) FROM idempotency_records WHERE key LIKE %s OR key = %s",
                (f"workouts-{which}-%", "capture-workouts" if which == "project" else "-"),
            ).fetchone()[0]
            dupes = db.execute(
                "SELECT count(*) FROM (SELECT key FROM idempotency_records "
                "GROUP BY client_app_id, key HAVING count(*) > 1) d"
            ).fetchone()[0]
            return workouts, sets, keys, dupes

        workouts, sets, keys, dupes = counts()
        # wrk thread 1's keys of repetition 1: its n-th request went to the n-th athlete.
        sent = db.execute(
            "SELECT key FROM idempotency_records WHERE key LIKE %s ORDER BY id LIMIT 50",
            (f"workouts-{which}-1-1-%",),
        ).fetchall()
        replays = []
        for (replayed_key,) in sent:
            number = int(replayed_key.rsplit("-", 1)[1])
            athlete = athletes[(number - 1) % len(athletes)]
            status, headers, _ = call(
                "POST",
                f"{base}/v1/athletes/{athlete}/workouts",
                WORKOUT,
                {"Authorization": f"Bearer {key}", "Idempotency-Key": replayed_key},
            )
            replays.append((status, headers.get("Idempotent-Replayed")))
        after = counts()
    if which == "project":
        acknowledged += 1  # the captured answer
    # Requests in flight when wrk stopped were stored but their answers never read.
    in_flight_allowance = CONNECTIONS * (REPEATS + 1)
    ok = (
        dupes == 0
        and workouts == keys
        and sets == 2 * workouts
        and acknowledged <= workouts
        and workouts - acknowledged <= in_flight_allowance
        and after == (workouts, sets, keys, dupes)
        and len(replays) == 50
        and all(r == (201, "true") for r in replays)
    )
    return (
        f"{'PASS' if ok else 'FAIL'}: {acknowledged} acknowledged (201), {workouts} workouts "
        f"with {sets} sets, {keys} idempotency keys, {dupes} keys stored twice; "
        f"{len(replays)} replays answered {sorted(set(replays), key=str)} and stored "
        f"{after[0] - workouts} workouts"
    )


def report(
    results: list[tuple[Scenario, dict[str, list[Run]]]], rows_check: str, label: str, load: str
) -> str:
    lines = [
        f"### {label}",
        "",
        f"{today()} · {machine()} · {revision()} · {REPEATS} × {SECONDS:g} s per side after a "
        f"{WARMUP_SECONDS:g} s warm-up, wrk -t2 -c{CONNECTIONS}, alternating · load average "
        f"{load} at the start",
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
    lines += ["", f"Workouts stored once: {rows_check}", ""]
    return "\n".join(lines)


def main() -> None:
    load = load_average()  # before anything of this run: how busy the machine already was
    url = fresh_database()
    key = prepare_database(url)
    extra = (
        {"REDIS_URL": os.environ["BENCH_REDIS_URL"]} if os.environ.get("BENCH_REDIS_URL") else {}
    )
    label = "Project vs ceiling" + (" (rate-limit counters in Redis)" if extra else "")
    project = Gunicorn("wsgi:app", app_environment(url, **extra), "project")
    with serving(project):
        athletes = seed_athletes(project.base, key)
        ceiling_athletes = seed_athletes(project.base, key, prefix="ceiling")
        status, headers, _ = call("GET", project.base + "/v1/exercises")
        plan = scenarios(key, athletes, headers["ETag"], ceiling_athletes)
        answers = [capture(project.base, s, url) for s in plan]
        answers[1]["rule"] = "/smallest"  # the 304, bodiless: the ceiling's smallest answer
        assert answers[1]["status"] == 304
        answers_file = ceiling_file("ceiling-answers.json", answers, url, key)
        ceiling = Gunicorn(
            "bench.ceiling:app",
            app_environment(url, BENCH_CEILING_ANSWERS=answers_file),
            "ceiling",
        )
        with serving(ceiling):
            wanted = os.environ.get("BENCH_SCENARIOS", "").split(",")
            results = [
                (scenario, measure(project, ceiling, scenario))
                for scenario in plan
                if wanted == [""] or scenario.name in wanted
            ]
            rows_check = "not measured (the workouts scenario did not run)"
            posts = [runs for scenario, runs in results if scenario.name == "workouts"]
            if posts:
                rows_check = (
                    "project "
                    + stored_once(url, posts[0], project.base, key, athletes)
                    + "; ceiling "
                    + stored_once(url, posts[0], ceiling.base, key, ceiling_athletes, "ceiling")
                )
    text = report(results, rows_check, label, load)
    (OUT / "side-by-side.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
