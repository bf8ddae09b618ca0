"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (see docs/deploy.md).

Environment: REGISTRY_BIND (127.0.0.1:8000), REGISTRY_WORKERS (2), REGISTRY_THREADS (4),
PROMETHEUS_MULTIPROC_DIR (a folder of its own per gunicorn; default: one under the
temporary folder, removed on exit). Every REGISTRY_* setting of the application itself
is read by create_app in each worker.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

bind = [part.strip() for part in os.environ.get("REGISTRY_BIND", "127.0.0.1:8000").split(",")]
workers = int(os.environ.get("REGISTRY_WORKERS", "2"))
threads = int(os.environ.get("REGISTRY_THREADS", "4"))
# Threads: a request waiting on the database or a file upload does not hold a process.
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
# Behind nginx with upstream keepalive; long enough to reuse, short enough not to pile up.
keepalive = 5
# The worker heartbeat file (empty, mode 0600): on tmpfs, so a slow disk never makes a
# worker look dead.
_TMPFS = "/dev/shm"  # noqa: S108 (gunicorn's documented advice, not a shared data file)
worker_tmp_dir = _TMPFS if os.path.isdir(_TMPFS) else None

accesslog = "-"  # stdout, one JSON object per line
errorlog = "-"  # stderr
logger_class = "registry.ops.gunicorn_log.JsonAccessLogger"
# gunicorn >= 25 opens a control socket in $XDG_RUNTIME_DIR or ~/.gunicorn by default:
# two instances of one user would share it. Reload with SIGHUP instead (docs/deploy.md).
control_socket_disable = True

# Prometheus: every worker writes its samples to files here; /metrics adds them up. It
# must be set before the workers import prometheus_client, so here, not in on_starting.
_DEFAULT_METRICS_DIR = Path(tempfile.gettempdir()) / f"registry-prometheus-{os.getpid()}"
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_DEFAULT_METRICS_DIR))


def on_starting(server):
    # Samples of an earlier run would be added to this one's: start from an empty folder.
    # Only the .db files prometheus_client writes are removed, whatever the folder is.
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    # CPython 3.11 (3.11.7 measured) corrupts its own heap in threaded workers under load:
    # workers die of SIGSEGV, with every C extension swapped for pure Python too; 3.12 does
    # not (bench/README.md, Load). Serve with Python 3.12 or later (docs/deploy.md).
    if sys.version_info < (3, 12) and server.cfg.threads > 1:
        server.log.warning(
            "Python %s with %d threads per worker: CPython 3.11 workers die of SIGSEGV "
            "under load (bench/README.md, Load); run gunicorn on Python 3.12 or later",
            sys.version.split()[0],
            server.cfg.threads,
        )


def child_exit(server, worker):
    # A dead worker's gauges would otherwise be reported forever.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]) == _DEFAULT_METRICS_DIR:
        shutil.rmtree(_DEFAULT_METRICS_DIR, ignore_errors=True)
