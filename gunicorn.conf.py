"""gunicorn settings for every deployment (make run, the container, the benchmarks).

Read from the environment: HOST, PORT, WEB_CONCURRENCY (workers), GUNICORN_WORKER_CONNECTIONS,
GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT, CLIENT_IDLE_TIMEOUT.

Nothing from `app` is imported here: this file runs in gunicorn's master, and the gevent
workers patch the standard library before the app's libraries are imported.
"""

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from gunicorn import util


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int_env('PORT', 8000)}"
workers = _int_env("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
# Async workers: a connection waiting on a slow client (a header line every few seconds, a
# body one byte at a time) costs a greenlet, not one of a handful of threads, so 200 of
# them cannot stall everyone else (bench/RESULTS.md). psycopg 3 and redis-py cooperate with
# gevent's patched sockets. A worker holds at most this many connections at once.
worker_class = "gevent"
# gunicorn itself imports ssl in the master, before a worker can patch it; we use no
# Python TLS (libpq does its own), so gevent's warning at every worker start is noise.
warnings.filterwarnings("ignore", message="Monkey-patching ssl after ssl has already been imported")
worker_connections = _int_env("GUNICORN_WORKER_CONNECTIONS", 1000)
timeout = _int_env("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = 5
# The longest documented query (a 256-character cursor, a 100-character `q`, filters)
# percent-encoded must fit, or gunicorn answers an HTML 414 before the app sees it.
limit_request_line = 8190
accesslog = None  # the app writes one JSON line per request itself
errorlog = "-"
# gunicorn's own lines (boot, worker exits) in the app's JSON format, on stdout.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.logformat.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
# Each worker reads its own catalog copy on first use: nothing to share by preloading.
preload_app = False
# gunicorn's control socket lives at one path per user: several instances on a
# machine would share (and remove) it. We manage instances with signals instead.
control_socket_disable = True

# Prometheus multiprocess mode: workers write samples here, /metrics sums them.
# Set before any worker imports prometheus_client.
_metrics_dir_given = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
    prefix="psoas-metrics-"
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def on_starting(server):  # noqa: ARG001 - gunicorn hook signature
    # Samples of a previous run would be summed into this one's. Only the metric
    # files go: the directory may be one the deployer shares with other things.
    directory = Path(_metrics_dir)
    directory.mkdir(parents=True, exist_ok=True)
    for samples in directory.glob("*.db"):
        samples.unlink()


def on_exit(server):  # noqa: ARG001 - gunicorn hook signature
    if not _metrics_dir_given:
        shutil.rmtree(_metrics_dir, ignore_errors=True)


def child_exit(server, worker):  # noqa: ARG001 - gunicorn hook signature
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# --- What gunicorn answers itself, and what it tells the app.

# A request head must arrive within `keepalive` seconds (gunicorn's own rule for async
# workers); after it, a client that sends nothing of its body, or reads nothing of the
# answer, for this long is dropped: it would otherwise hold its connection for ever.
client_idle_timeout = _int_env("CLIENT_IDLE_TIMEOUT", 20)

# HTTP fields that carry one value: sent twice, the request is ambiguous. (gunicorn refuses
# two Host or Content-Type fields itself, with a 400.) gunicorn joins repeated fields with a
# comma before the app sees them, so it is told here, through a field of its own that no
# client can set (any sent is dropped).
SINGLE_VALUED = ("AUTHORIZATION", "IDEMPOTENCY-KEY", "IF-MATCH", "X-REQUEST-ID")
REPEATED_MARK = "X-PSOAS-REPEATED-FIELDS"


def pre_request(worker, req):  # noqa: ARG001 - gunicorn hook signature
    sock = getattr(req.unreader, "sock", None)
    if sock is not None:
        sock.settimeout(client_idle_timeout)
    names = [name for name, _ in req.headers]
    repeated = sorted({name for name in SINGLE_VALUED if names.count(name) > 1})
    req.headers = [(name, value) for name, value in req.headers if name != REPEATED_MARK]
    if repeated:
        req.headers.append((REPEATED_MARK, ", ".join(repeated)))


def write_problem(sock, status_int, reason, mesg):
    """gunicorn's own answers (400 for a malformed request, 414, 431, ...) as problem+json,
    like every other error of the API, in place of its HTML page."""
    body = json.dumps(
        {
            "type": "about:blank",
            "title": reason,
            "status": status_int,
            "detail": (mesg or reason)[:300],
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def worker_int(worker):
    """Ctrl-C reaches a worker twice, from the terminal and from the master. A gevent worker
    handles each in a new greenlet; the second would call sys.exit during the interpreter's
    shutdown, which gevent prints as a traceback. It ends quietly instead."""
    if getattr(worker, "quitting", False) and type(worker).__module__.endswith("ggevent"):
        from gevent import GreenletExit

        raise GreenletExit
    worker.quitting = True


# The workers call `util.write_error` for every answer gunicorn writes itself.
util.write_error = write_problem
