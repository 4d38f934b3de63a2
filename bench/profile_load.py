"""Where the time goes: py-spy samples every gunicorn worker while wrk loads one scenario.

    python profile_load.py exercises|not-modified|evaluate|recommendation|workouts

Keeps the folded stacks in bench/out/profile-<scenario>.txt (speedscope and flamegraph.pl
read them) and prints the functions with the largest share of the workers' busy samples.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import threading

from common import (
    OUT,
    VENV_BIN,
    Gunicorn,
    app_environment,
    call,
    fresh_database,
    prepare_database,
    serving,
    wrk,
)
from side_by_side import scenarios, seed_athletes

SECONDS = 15
# Frames of threads waiting for work, not doing it.
IDLE = ("wait (threading", "select (selectors", "_worker (concurrent", "accept (", "sleep (")


def top(raw: str, count: int = 25) -> str:
    total, inclusive, own = 0, collections.Counter(), collections.Counter()
    for line in raw.splitlines():
        stack, _, samples = line.rpartition(" ")
        frames = stack.split(";")
        if any(frames[-1].startswith(idle) for idle in IDLE):
            continue
        total += int(samples)
        own[frames[-1]] += int(samples)
        for frame in set(frames[2:]):
            inclusive[frame] += int(samples)
    rows = [f"{100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(count)]
    rows += ["", "self time:"]
    rows += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(count)]
    return "\n".join(rows)


def main() -> None:
    name = sys.argv[1]
    url = fresh_database("psoas_profile")
    key = prepare_database(url)
    project = Gunicorn("wsgi:app", app_environment(url), "profile")
    with serving(project):
        athletes = seed_athletes(project.base, key)
        _, headers, _ = call("GET", project.base + "/v1/exercises")
        scenario = next(s for s in scenarios(key, athletes, headers["ETag"]) if s.name == name)
        wrk(project.base, scenario.load, 3, 16)
        assert project.process is not None
        record = [
            VENV_BIN / "py-spy",
            "record",
            "--pid",
            str(project.process.pid),
            "--subprocesses",
            "--duration",
            str(SECONDS - 3),
            "--rate",
            "250",
            "--nonblocking",
        ]
        load = threading.Thread(target=wrk, args=(project.base, scenario.load, SECONDS, 16))
        load.start()
        raw = OUT / f"profile-{name}.txt"
        subprocess.run([*record, "--format", "raw", "-o", raw], check=True, capture_output=True)
        load.join()
    print(top(raw.read_text()))


if __name__ == "__main__":
    main()
