"""The ceiling: a bare Flask app answering each benchmarked route the least costly way that is
still right for it. Served by the same gunicorn.conf.py, it is what Flask, gunicorn and (for
the athlete routes) PostgreSQL cost by themselves.

- Catalog and engine routes (`kind` "replay"): the exact bytes (status, headers, body) the
  project answered, with no framework, validation or database work.
- `POST /v1/athletes/{id}/workouts` (`kind` "workout-post"): durable and idempotent with the
  least SQL: one statement, in its own transaction, that records the Idempotency-Key (only
  for an athlete of the key's client app), inserts the workout and its set rows, and
  commits; a key already recorded is answered from its record (`Idempotent-Replayed`), a
  different body under it is a 422. The sets are the body's; their judgement (verdict,
  counted, best hold) and the workout's are the project's for the captured request, as the
  ceiling judges nothing. No per-exercise summary.
- `GET /v1/athletes/{id}/recommendation` (`kind` "recommendation"): the index seek on the
  athlete's latest counting workouts (ownership checked in the same statement), and the
  project's captured answer with `based_on` taken from the rows read.

The API key is compared with the one key the benchmark uses (no lookup). The answers, the
database URL and the key are read from the JSON file named by BENCH_CEILING_ANSWERS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import uuid
from typing import Any

from flask import Flask, Response, request

app = Flask(__name__)
_local = threading.local()

with open(os.environ["BENCH_CEILING_ANSWERS"], encoding="utf-8") as answers_file:
    _config = json.load(answers_file)
if isinstance(_config, list):  # only byte replays
    _config = {"answers": _config}
DATABASE = _config.get("database")
AUTHORIZATION = _config.get("authorization", "")
CLIENT_APP_ID = _config.get("client_app_id")


def _connection() -> Any:
    """This thread's connection (made after gunicorn forks), in autocommit."""
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        import psycopg

        connection = _local.connection = psycopg.connect(DATABASE, autocommit=True)
    return connection


def _authorized() -> bool:
    return hmac.compare_digest(request.headers.get("Authorization", ""), AUTHORIZATION)


def _problem(status: int, title: str) -> Response:
    body = json.dumps({"type": "about:blank", "title": title, "status": status})
    return Response(body, status=status, mimetype="application/problem+json")


def _replay(status: int, headers: dict[str, str], body: bytes):
    def view(**_: str) -> Response:
        return Response(body, status=status, headers=headers)

    return view


# One statement: the key first (so a replay stores nothing), then the workout, then its sets.
# ON CONFLICT DO NOTHING waits for a concurrent transaction holding the same key, then skips.
WORKOUT_INSERT = """
WITH owner AS (
    SELECT 1 FROM athletes WHERE id = %(athlete)s AND client_app_id = %(client_app)s
), idem AS (
    INSERT INTO idempotency_records
        (client_app_id, key, fingerprint, status, body, headers, created_at, expires_at)
    SELECT %(client_app)s, %(key)s, %(fingerprint)s, 201, %(body)s, %(headers)s::json,
           now(), now() + interval '24 hours'
    FROM owner
    ON CONFLICT (client_app_id, key) DO NOTHING
    RETURNING 1
), workout AS (
    INSERT INTO workouts
        (id, athlete_id, performed_at, context, notes, counting, level, band_tension,
         shoulder_flexion, verdict, pain, one_side_only, target_reps, target_hold_seconds,
         created_at, updated_at, version)
    SELECT %(id)s, %(athlete)s, %(performed_at)s, %(context)s, %(notes)s, %(counting)s,
           %(level)s, %(band_tension)s, %(shoulder_flexion)s, %(verdict)s, %(pain)s,
           %(one_side_only)s, %(target_reps)s, %(target_hold_seconds)s, now(), now(), 1
    FROM idem
    RETURNING id
)
INSERT INTO workout_sets
    (id, workout_id, athlete_id, ordinal, performed_at, exercise, side, band_tension,
     shoulder_flexion, reps, pain, rpe, verdict, counted, best_hold_seconds, created_at)
SELECT gen_random_uuid(), workout.id, %(athlete)s, s.ordinal, %(performed_at)s, s.exercise,
       s.side, s.band_tension, s.shoulder_flexion, s.reps, s.pain, s.rpe, s.verdict,
       s.counted, s.best_hold_seconds, now()
FROM workout, json_to_recordset(%(sets)s::json) AS s(
    ordinal int, exercise text, side text, band_tension text, shoulder_flexion boolean,
    reps json, pain boolean, rpe float8, verdict text, counted boolean,
    best_hold_seconds float8)
"""
STORED_ANSWER = (
    "SELECT fingerprint, status, body, headers FROM idempotency_records"
    " WHERE client_app_id = %(client_app)s AND key = %(key)s"
)
LATEST_COUNTING = """
SELECT id, performed_at, context, level, band_tension, shoulder_flexion, verdict, pain,
       one_side_only, target_reps, target_hold_seconds
FROM workouts
WHERE athlete_id = %(athlete)s AND counting
  AND (SELECT client_app_id FROM athletes WHERE id = %(athlete)s) = %(client_app)s
ORDER BY performed_at DESC, created_at DESC, id DESC
LIMIT 6
"""


def _workout_post(answer: dict[str, Any]):
    template = answer["template"]
    body_template = base64.b64decode(answer["body"]).decode()
    captured_workout, captured_athlete = template["workout_id"], template["athlete_id"]
    judged = template["workout"]
    set_judgements = template["sets"]
    headers = dict(answer["headers"])

    def view(athlete: uuid.UUID) -> Response:
        if not _authorized():
            return _problem(401, "Unauthorized")
        raw = request.get_data()
        key = request.headers.get("Idempotency-Key")
        if not key:
            return _problem(422, "The benchmark's ceiling takes only requests with a key")
        data = json.loads(raw)
        workout_id = str(uuid.uuid4())
        body = body_template.replace(captured_workout, workout_id).replace(
            captured_athlete, str(athlete)
        )
        location = f"/v1/athletes/{athlete}/workouts/{workout_id}"
        etag = f'"{workout_id.replace("-", "")[:12]}-1"'
        sets = json.dumps(
            [
                {
                    "ordinal": number,
                    "exercise": s["exercise"],
                    "side": s["side"],
                    "band_tension": s["band_tension"],
                    "shoulder_flexion": s.get("shoulder_flexion", False),
                    "reps": s["reps"],
                    "pain": s.get("pain", False),
                    "rpe": s.get("rpe"),
                    **set_judgements[number % len(set_judgements)],
                }
                for number, s in enumerate(data["sets"])
            ]
        )
        params = {
            **judged,
            "athlete": athlete,
            "client_app": CLIENT_APP_ID,
            "key": key,
            "fingerprint": hashlib.sha256(request.path.encode() + raw).hexdigest(),
            "body": body,
            "headers": json.dumps({"Location": location, "ETag": etag}),
            "id": workout_id,
            "performed_at": data["performed_at"],
            "context": data["context"],
            "notes": data.get("notes"),
            "sets": sets,
        }
        connection = _connection()
        stored = connection.execute(WORKOUT_INSERT, params).rowcount
        if stored:
            return Response(
                body, status=201, headers={**headers, "Location": location, "ETag": etag}
            )
        record = connection.execute(STORED_ANSWER, params).fetchone()
        if record is None:
            return _problem(404, "Not Found")
        if record[0] != params["fingerprint"]:
            return _problem(422, "This Idempotency-Key was used for another request")
        return Response(
            record[2],
            status=record[1],
            headers={**headers, **record[3], "Idempotent-Replayed": "true"},
        )

    return view


def _recommendation(answer: dict[str, Any]):
    body_template = base64.b64decode(answer["body"]).decode()
    for number, ref in enumerate(answer["template"]["based_on"]):
        body_template = body_template.replace(ref, f"\x00{number}")
    headers = dict(answer["headers"])

    def view(athlete: uuid.UUID) -> Response:
        if not _authorized():
            return _problem(401, "Unauthorized")
        rows = (
            _connection()
            .execute(LATEST_COUNTING, {"athlete": athlete, "client_app": CLIENT_APP_ID})
            .fetchall()
        )
        if not rows:
            return _problem(404, "Not Found")
        body = body_template
        for number, row in enumerate(rows[:2]):
            body = body.replace(f"\x00{number}", str(row[0]))
        return Response(body, status=200, headers=headers)

    return view


for number, answer in enumerate(_config["answers"]):
    kind = answer.get("kind", "replay")
    if kind == "workout-post":
        view = _workout_post(answer)
    elif kind == "recommendation":
        view = _recommendation(answer)
    else:
        view = _replay(answer["status"], answer["headers"], base64.b64decode(answer["body"]))
    app.add_url_rule(
        answer["rule"], endpoint=f"answer-{number}", view_func=view, methods=[answer["method"]]
    )
app.add_url_rule("/healthz", "healthz", _replay(200, {}, b"ok"))
