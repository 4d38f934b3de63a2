"""What every benchmark shares: a database, gunicorn processes, wrk runs and their numbers."""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
VENV_BIN = Path(sys.executable).parent
SERVER_URL = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "psoas_bench")
# The benchmark client is one address: lift the per-address and per-key budgets so the
# limiter still runs its full check on every request but never refuses one.
UNLIMITED = "1000000000 per minute"


def database_url(name: str = DATABASE) -> str:
    return f"{SERVER_URL}/{name}"


def fresh_database(name: str = DATABASE) -> str:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def app_environment(url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        APP_ENV="production",
        SECRET_KEY="bench-secret-key-bench-secret-key",
        RATE_LIMIT_PUBLIC=UNLIMITED,
        RATE_LIMIT_PER_KEY=UNLIMITED,
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    env.update(extra)
    return env


def prepare_database(url: str) -> str:
    """Migrate, load the catalog and make an API key for client app `bench`; the key."""
    env = app_environment(url)
    subprocess.run(
        [VENV_BIN / "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [VENV_BIN / "flask", "--app", "wsgi", "catalog", "load"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return create_key(url, "bench")


def create_key(url: str, client_app: str) -> str:
    created = subprocess.run(
        [VENV_BIN / "flask", "--app", "wsgi", "api-keys", "create", client_app],
        cwd=ROOT,
        env=app_environment(url),
        check=True,
        capture_output=True,
        text=True,
    )
    return created.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Gunicorn:
    """A gunicorn master started with the project's gunicorn.conf.py, on loopback."""

    app: str
    env: dict[str, str]
    name: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        OUT.mkdir(exist_ok=True)
        env = dict(self.env, PORT=str(self.port), HOST="127.0.0.1")
        env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
        log = (OUT / f"{self.name}.log").open("wb")
        self.process = subprocess.Popen(
            [VENV_BIN / "gunicorn", "--config", ROOT / "gunicorn.conf.py", self.app],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_ok(f"{self.base}/healthz", 30)
        return self

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)


@contextmanager
def serving(*servers: Gunicorn) -> Iterator[tuple[Gunicorn, ...]]:
    try:
        yield tuple(server.start() for server in servers)
    finally:
        for server in servers:
            server.stop()


def wait_until_ok(url: str, seconds: float) -> float:
    """Poll until the URL answers 200; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer 200 within {seconds} s")


def call(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None):
    """One request; (status, headers, body bytes)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@dataclass(frozen=True)
class Load:
    """What wrk sends: one request shape, repeated; paths rotate through `paths`."""

    method: str
    paths: tuple[str, ...]
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    idempotency_prefix: str | None = None  # a fresh Idempotency-Key per request


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    errors: int
    statuses: dict[str, int]
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def wrk(base: str, load: Load, seconds: float, connections: int, threads: int = 2) -> Run:
    spec = OUT / f"load-{os.getpid()}.lua"
    spec.write_text(
        lua_table(
            {
                "method": load.method,
                "paths": list(load.paths),
                "headers": load.headers,
                "body": "" if load.body is None else json.dumps(load.body),
                "idempotency_prefix": load.idempotency_prefix or "",
            }
        )
    )
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            BENCH / "load.lua",
            base,
            "--",
            str(spec),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    statuses = {k: v for k, v in data["statuses"].items() if v}
    errors = data["socket_errors"] + sum(
        v for k, v in statuses.items() if not k.startswith(("2", "3"))
    )
    return Run(
        data["requests"],
        data["seconds"],
        errors,
        statuses,
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
    )


def lua_table(spec: dict[str, Any]) -> str:
    """The spec as a Lua chunk returning a table (wrk's Lua has no JSON parser)."""

    def literal(value: Any) -> str:
        if isinstance(value, str):
            return "[==[" + value + "]==]"
        if isinstance(value, list):
            return "{" + ", ".join(literal(v) for v in value) + "}"
        return "{" + ", ".join(f"[ {literal(k)} ] = {literal(v)}" for k, v in value.items()) + "}"

    return "return " + literal(spec) + "\n"


def spread(values: list[float]) -> str:
    median = statistics.median(values)
    return f"{median:,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def load_average() -> str:
    """The machine's 1-minute load average: other work on the 2 cores shows in the numbers."""
    return Path("/proc/loadavg").read_text().split()[0]


def revision() -> str:
    """The commit measured, and whether the app's files differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "app", "migrations"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "commit unknown"
    return f"commit {head}" + (" + uncommitted changes in app/ or migrations/" if dirty else "")


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
