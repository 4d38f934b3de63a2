"""Real processes on loopback: the start script under gunicorn, and a client for it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
# The interpreter running the tests lives in the environment that has gunicorn & co.
ENV_BIN = str(Path(sys.executable).parent)


def fetch(url: str, **kwargs: object) -> requests.Response:
    """GET with the body read and the connection closed (no socket left to the GC)."""
    with requests.Session() as session, session.get(url, timeout=5, **kwargs) as response:
        _ = response.content
        return response


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`bin/start` (migrate, load the catalog, gunicorn) on a free loopback port."""

    def __init__(
        self,
        database_url: str,
        workers: int = 2,
        command: list[str] | None = None,
        **extra_env: str,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"},
            "PATH": f"{ENV_BIN}:{os.environ['PATH']}",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "DATABASE_URL": database_url,
            "WEB_CONCURRENCY": str(workers),
            "RATE_LIMIT_PUBLIC": "100000 per minute",
            "RATE_LIMIT_PER_KEY": "100000 per minute",
            "RATE_LIMIT_AUTH_FAILURES": "100000 per minute",
            **extra_env,
        }
        self.command = command or [str(ROOT / "bin" / "start")]
        self.process: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 60) -> LiveServer:
        # A file, not a pipe: an unread pipe fills with access logs and blocks the server.
        self.output = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            text=True,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.stop()}")
            try:
                if fetch(f"{self.url}/healthz").status_code == 200:
                    return self
            # Refused before gunicorn listens; a read timeout while its workers boot on a
            # busy machine (the master accepts before a worker can answer): not up yet.
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
            except BaseException:
                self.stop()  # never leave a server, or its output file, behind
                raise
        raise RuntimeError(f"server did not answer /healthz in time:\n{self.stop()[-4000:]}")

    def stop(self) -> str:
        if self.process is None:
            return ""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.output.seek(0)
        output = self.output.read()
        self.output.close()
        return output


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("live") / "psoas.db"
    server = LiveServer(f"sqlite:///{database}").start()
    yield server
    server.stop()
