"""The ceiling: a bare Flask app answering each benchmarked route with the exact bytes
(status, headers, body) the project answered, with no framework, validation or database
work. Served by the same gunicorn.conf.py, it is what Flask and gunicorn cost by
themselves. The answers are read from the file named by BENCH_CEILING_ANSWERS.
"""

from __future__ import annotations

import base64
import json
import os

from flask import Flask, Response

app = Flask(__name__)


def _answer(status: int, headers: dict[str, str], body: bytes):
    def view(**_: str) -> Response:
        return Response(body, status=status, headers=headers)

    return view


with open(os.environ["BENCH_CEILING_ANSWERS"], encoding="utf-8") as answers:
    for number, answer in enumerate(json.load(answers)):
        app.add_url_rule(
            answer["rule"],
            endpoint=f"answer-{number}",
            view_func=_answer(
                answer["status"], answer["headers"], base64.b64decode(answer["body"])
            ),
            methods=[answer["method"]],
        )
app.add_url_rule("/healthz", "healthz", _answer(200, {}, b"ok"))
