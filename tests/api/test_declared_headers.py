"""Every header an answer carries is declared by its operation's response in the spec.

schemathesis checks the same on what it generates (tests/conformance_checks.py); this
sweep reaches the answers it rarely makes: 304s, replays, 401s, 405s, 412s, 428s, the
deprecated routes, and the operations routes.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from werkzeug.exceptions import MethodNotAllowed

from tests.conformance_checks import undeclared_headers
from tests.helpers import SESSION
from tests.system.helpers import WORKOUT

SPEC = json.loads((Path(__file__).resolve().parents[2] / "openapi" / "openapi.json").read_text())


def operation_of(app, method: str, path: str) -> dict:
    """The operation answering; for a 405, the path's GET (whose `default` it falls to)."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path.split("?")[0], method=method)
    except MethodNotAllowed:
        return operation_of(app, "GET", path)
    rule = next(r for r in app.url_map.iter_rules(endpoint))
    template = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
    return SPEC["paths"][template][method.lower()]


class Sweep:
    def __init__(self, app, client) -> None:
        self.app, self.client, self.seen = app, client, []

    def __call__(self, method: str, path: str, **kwargs):
        response = self.client.open(path, method=method, **kwargs)
        operation = operation_of(self.app, "GET" if method == "HEAD" else method, path)
        extra = undeclared_headers(SPEC, operation, response.status_code, response.headers)
        self.seen.append((method, path, response.status_code, sorted(extra)))
        return response

    def undeclared(self) -> list:
        return [seen for seen in self.seen if seen[3]]


def test_every_header_sent_is_declared(app, client, acme):
    sweep = Sweep(app, client)
    key = acme
    operations = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/docs/domain")
    for path in (*operations, "/docs/policy", "/docs/changelog"):
        sweep("GET", path)
        sweep("GET", f"{path}?unknown=1")
    for path in ("/v1/exercises", "/v1/exercises/deep-lunge", "/v1/rules", "/openapi.json"):
        etag = sweep("GET", path).headers["ETag"]
        assert sweep("GET", path, headers={"If-None-Match": etag}).status_code == 304
    etag = sweep("GET", "/docs/domain").headers["ETag"]
    assert sweep("GET", "/docs/domain", headers={"If-None-Match": etag}).status_code == 304
    sweep("GET", "/v1/exercises/bench-press")
    sweep("GET", "/v1/exercises?level=9")
    sweep("DELETE", "/v1/exercises")
    sweep("POST", "/v1/progressions/evaluate", data="x", content_type="text/plain")

    sweep("GET", "/v1/athletes")
    sweep("GET", "/v1/athletes", headers={"Authorization": "Bearer psk_wrong"})
    once = {**key, "Idempotency-Key": str(uuid.uuid4())}
    body = {"external_id": f"headers-{uuid.uuid4()}"}
    athlete = sweep("POST", "/v1/athletes", json=body, headers=once)
    assert athlete.status_code == 201
    assert sweep("POST", "/v1/athletes", json=body, headers=once).status_code == 201  # replay
    sweep("POST", "/v1/athletes", json=body, headers=key)  # 409
    item = athlete.headers["Location"]
    got = sweep("GET", item, headers=key)
    assert (
        sweep("GET", item, headers={**key, "If-None-Match": got.headers["ETag"]}).status_code == 304
    )
    sweep("PATCH", item, json={"display_name": "Sam"}, headers=key)  # 428
    sweep("PATCH", item, json={"display_name": "Sam"}, headers={**key, "If-Match": '"stale"'})
    sweep(
        "PATCH",
        item,
        json={"display_name": "Sam"},
        headers={**key, "If-Match": got.headers["ETag"]},
    )
    sweep("GET", "/v1/athletes?page_size=1", headers=key)

    workouts = f"{item}/workouts"
    workout = sweep("POST", workouts, json=WORKOUT, headers=key)
    assert workout.status_code == 201
    read = sweep("GET", workout.headers["Location"], headers=key)
    fixed = {**key, "If-Match": read.headers["ETag"]}
    assert (
        sweep("PATCH", workout.headers["Location"], json={"notes": "ok"}, headers=fixed).status_code
        == 200
    )
    sweep("GET", f"{workouts}?page_size=1", headers=key)
    sweep("GET", f"{item}/progress", headers=key)
    sweep("GET", f"{item}/recommendation", headers=key)
    sweep("POST", f"{item}/routines", json={"context": "activation"}, headers=key)

    sessions = f"{item}/sessions"
    logged = sweep("POST", sessions, json=SESSION, headers=key)
    assert logged.status_code == 201
    sweep("GET", logged.headers["Location"], headers=key)
    sweep("GET", sessions, headers=key)
    sweep("GET", f"{sessions}?nope=1", headers=key)
    sweep("GET", f"{sessions}/{uuid.uuid4()}", headers=key)
    sweep("GET", sessions)  # 401
    sweep("DELETE", workout.headers["Location"], headers=key)
    sweep("DELETE", item, headers={**key, "If-Match": '"stale"'})

    assert len(sweep.seen) > 50
    assert sweep.undeclared() == [], "\n".join(map(str, sweep.undeclared()))
