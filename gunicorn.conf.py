"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (see docs/deploy.md).

Environment: REGISTRY_BIND (127.0.0.1:8000), REGISTRY_WORKERS (2 per CPU), REGISTRY_THREADS
(2), REGISTRY_KEEP_FREED_MEMORY (1; 0 leaves the C allocator's defaults),
PROMETHEUS_MULTIPROC_DIR (a folder of its own per gunicorn; default: one under the
temporary folder, removed on exit). Every REGISTRY_* setting of the application itself
is read by create_app in each worker. On Python < 3.12 the workers collect garbage at
request boundaries instead of automatically (below).
"""

import gc
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

bind = [part.strip() for part in os.environ.get("REGISTRY_BIND", "127.0.0.1:8000").split(",")]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers)
    except AttributeError:
        return os.cpu_count() or 1


# Two processes per CPU with two threads each. One process runs Python on one core at a
# time (the GIL): with 2 x 4 on two cores, a 40 ms evidence page held the other three
# threads of its process, and at 20 requests/s the p95 was 2.08x the uncontended one;
# with 4 x 2 it was 1.22x, 1.92x during a bulk import (bench/README.md, "Load").
workers = int(os.environ.get("REGISTRY_WORKERS", str(2 * _cpus())))
# "0" leaves the C allocator's own thresholds (post_fork, docs/deploy.md).
KEEP_FREED_MEMORY = os.environ.get("REGISTRY_KEEP_FREED_MEMORY", "1") != "0"
threads = int(os.environ.get("REGISTRY_THREADS", "2"))
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


# Every request thread keeps all files of its search indexes' current generation open
# (search_index/storage.open_searcher): about 13 per segment and index, 100 at 10k
# interventions and 100k studies. A service's default soft limit of 1024 open files
# would then bound the threads per worker; the workers inherit the master's limit.
OPEN_FILES = 65536


def raise_open_files_limit() -> int:
    """Raise this process's soft limit of open files towards OPEN_FILES (never above the
    hard limit, never lower than it was). Returns the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        soft = wanted
    return soft


def on_starting(server):
    server.log.info("Open files limit: %d", raise_open_files_limit())
    # Samples of an earlier run would be added to this one's: start from an empty folder.
    # Only the .db files prometheus_client writes are removed, whatever the folder is.
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    if REQUEST_BOUNDARY_GC:
        server.log.info(
            "Python %s: automatic garbage collection is off in the workers; they collect "
            "at request boundaries instead (gunicorn.conf.py, docs/deploy.md)",
            sys.version.split()[0],
        )


def child_exit(server, worker):
    # A dead worker's gauges would otherwise be reported forever.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]) == _DEFAULT_METRICS_DIR:
        shutil.rmtree(_DEFAULT_METRICS_DIR, ignore_errors=True)


# Garbage collection in the workers on CPython 3.11 (bench/README.md, Load; docs/deploy.md).
#
# Threaded workers on CPython 3.11 (3.11.7 measured) die of SIGSEGV under load: the
# interpreter corrupts its own heap (objects freed twice), with every C extension swapped
# for pure Python too, never with automatic collection off, never on 3.12. In 3.11 a
# collection starts inside whichever object allocation pushes generation 0 over its
# threshold, in the middle of C code that may hold half-built objects; since 3.12
# (python/cpython#97922) it only starts between bytecodes. So on 3.11 each worker turns
# automatic collection off and collects from Python code instead, after each request:
# gc.collect() called from Python runs at a bytecode boundary of the calling thread,
# while every other thread waits for the GIL at a bytecode boundary or runs C code that
# has released it (I/O, libpq): the condition 3.12 guarantees. On 3.12 and later
# nothing changes.
REQUEST_BOUNDARY_GC = sys.version_info < (3, 12)
# A worker without requests allocates little, but gunicorn's own loop and failed
# connections (which end without post_request) still do: a thread looks every so often.
# Not needed for safety (a collection there is just as safe), only so that garbage made
# between requests does not wait for the next request.
IDLE_GC_SECONDS = 10.0
_collecting = threading.Lock()
_stats_at_start: list[dict] = []  # gc.get_stats() when the worker began serving


def collect_when_due() -> int | None:
    """Collect what automatic collection would have collected by now; the generation
    collected, or None (not due yet, or another thread of this worker is collecting).

    The rule of CPython's own trigger (gc_collect_generations in Modules/gcmodule.c):
    due once generation 0's count (container objects allocated minus freed since the last
    collection) is above its threshold; then the oldest generation whose count (younger
    collections since its own last one) is above its threshold, else generation 0. With
    gc.get_threshold()'s defaults (700, 10, 10): a young collection once more than 700
    net allocations, a middle one instead after more than 10 young ones, a full one after
    more than 10 middle ones. Left out: 3.11 skips a
    full collection while fewer than a quarter of the oldest generation's objects are new
    (not visible from Python); gc.freeze() after the application has loaded keeps that
    generation small instead. gc.get_count() and gc.get_threshold() are O(1): cheap
    enough for every request.
    """
    if not _collecting.acquire(blocking=False):
        return None
    try:
        threshold0, threshold1, threshold2 = gc.get_threshold()
        count0, count1, count2 = gc.get_count()
        if threshold0 == 0 or count0 <= threshold0:  # threshold 0: collection off
            return None
        generation = 2 if count2 > threshold2 else 1 if count1 > threshold1 else 0
        gc.collect(generation)
        return generation
    finally:
        _collecting.release()


def _collect_while_idle() -> None:
    while True:
        time.sleep(IDLE_GC_SECONDS)
        collect_when_due()


def post_fork(server, worker):
    # The worker has one thread at this point; the application loads after this.
    if REQUEST_BOUNDARY_GC:
        gc.disable()
    # Each search's whole-catalogue arrays reuse the memory the last one freed, instead of
    # fresh pages the kernel faults in (registry/ops/allocator.py).
    from registry.ops.allocator import keep_freed_memory

    kept = KEEP_FREED_MEMORY and keep_freed_memory()
    worker.log.info("Worker %s: freed memory %s", os.getpid(),
                    "kept for the next request" if kept else "handled by the C library's defaults")


def post_worker_init(worker):
    # The application is loaded and no request thread runs yet. First the search views
    # the first search would wait for (a second at 100k documents); then collect what
    # loading left, and move what survived (modules, the app, caches, those views: for
    # the worker's life) out of the collector's sight, so that the collections after
    # requests only scan what requests made.
    _warm_search(worker)
    if not REQUEST_BOUNDARY_GC:
        return
    gc.collect()
    gc.freeze()
    _stats_at_start[:] = gc.get_stats()
    threading.Thread(target=_collect_while_idle, name="gc-when-idle", daemon=True).start()
    worker.log.info(
        "Worker %s: automatic garbage collection %s, %d objects frozen, collecting at "
        "request boundaries (thresholds %s)",
        os.getpid(),
        "on" if gc.isenabled() else "off",
        gc.get_freeze_count(),
        gc.get_threshold(),
    )


def _warm_search(worker) -> None:
    app = worker.wsgi
    if not hasattr(app, "config"):  # not the registry's Flask app
        return
    from registry.search.service import warm_up

    started = time.monotonic()
    try:
        with app.app_context():
            warmed = warm_up(app)
    except Exception:  # noqa: BLE001 (a worker must start all the same; /readyz tells)
        worker.log.exception("Worker %s: search warm-up failed", os.getpid())
        return
    worker.log.info("Worker %s: search warmed in %.0f ms (%s)", os.getpid(),
                    (time.monotonic() - started) * 1000,
                    ", ".join(f"{kind} {'ready' if ok else 'no index yet'}"
                              for kind, ok in warmed.items()))


def post_request(worker, req, environ, resp):
    # Every request thread of the worker calls this after its response, concurrently:
    # collect_when_due skips when another one is already collecting.
    if not REQUEST_BOUNDARY_GC:
        return
    if gc.isenabled():  # something in the application turned it back on
        gc.disable()
        worker.log.warning("Automatic garbage collection was on again in a worker: off")
    collect_when_due()


def worker_exit(server, worker):
    # Runs in the exiting worker (and in the master for a worker that was gone already).
    if REQUEST_BOUNDARY_GC and _stats_at_start and os.getpid() == worker.pid:
        since = list(zip(_stats_at_start, gc.get_stats(), strict=True))
        worker.log.info(
            "Worker %s: %d requests, garbage collections per generation %s, objects collected %s",
            worker.pid,
            worker.nr,
            [now["collections"] - then["collections"] for then, now in since],
            [now["collected"] - then["collected"] for then, now in since],
        )
