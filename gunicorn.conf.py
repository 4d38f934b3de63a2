"""gunicorn settings for every deployment (make run, the container, the benchmarks).

Read from the environment: HOST, PORT, WEB_CONCURRENCY (workers), GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT.
"""

import os
import shutil
import tempfile
from pathlib import Path


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int_env('PORT', 8000)}"
workers = _int_env("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = _int_env("GUNICORN_THREADS", 4)
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
    "formatters": {"json": {"()": "app.observability.JsonFormatter"}},
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
