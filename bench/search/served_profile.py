"""Profile pages as gunicorn serves them: `.venv/bin/python -m bench.search.served_profile
[--tree PATH] [SIZE] [REQUESTS]` (defaults: this tree, 100000, 300).

Starts `gunicorn -c gunicorn.conf.py wsgi:app` from the tree (another commit's `git
worktree`, with .venv and bench/search/.work linked, to compare) on the synthetic
catalogue of SIZE interventions (built once, as bench.search.profile_speed builds it),
one worker with two threads on 127.0.0.1, and asks it for REQUESTS profile pages of the
load benchmark's mix (bench/load/mix.py) one after the other, after 40 to warm up.
Prints the pages' wall p50 / p95 and the mean time of the profile search itself in the
worker (its `registry_search_seconds` histogram on /metrics, before and after).
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import mix
from bench.search.profile_speed import catalogue_index, p95
from bench.search.run import WORK

WARM_UP = 40


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, (path, response.status)
    return body


def _profile_searches(port: int) -> tuple[float, float]:
    """(count, seconds) of the worker's profile searches so far."""
    text = _get(port, "/metrics").decode()
    found = {}
    for suffix in ("count", "sum"):
        prefix = f'registry_search_seconds_{suffix}{{kind="profile"}}'
        found[suffix] = sum(float(line.split()[-1]) for line in text.splitlines()
                            if line.startswith(prefix))
    return found["count"], found["sum"]


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            _get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    args = sys.argv[1:]
    tree = Path.cwd()
    if args[:1] == ["--tree"]:
        tree, args = Path(args[1]).resolve(), args[2:]
    size = int(args[0]) if args else 100_000
    requests = int(args[1]) if len(args) > 1 else 300
    catalogue_index(size)
    folder, port = WORK / str(size), _free_port()
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "REGISTRY_DATABASE_URL": f"sqlite:///{folder / 'registry.sqlite'}",
               "REGISTRY_INDEX_DIR": str(folder / "index"), "REGISTRY_SEARCH_SYNC": "off",
               "REGISTRY_BIND": f"127.0.0.1:{port}", "REGISTRY_WORKERS": "1",
               "REGISTRY_THREADS": "2", "REGISTRY_INSTANCE_DIR": instance,
               "PROMETHEUS_MULTIPROC_DIR": str(Path(instance) / "metrics")}
        process = subprocess.Popen([str(tree / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py",
                                    "wsgi:app"], cwd=tree, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_until_up(port, process)
            rng = random.Random(5)
            paths = [mix.url("profile_page", rng, {}) for _ in range(WARM_UP + requests)]
            for path in paths[:WARM_UP]:
                _get(port, path)
            count, seconds = _profile_searches(port)
            walls = []
            for path in paths[WARM_UP:]:
                start = time.perf_counter()
                _get(port, path)
                walls.append((time.perf_counter() - start) * 1000)
            count_after, seconds_after = _profile_searches(port)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    searches = count_after - count
    print(f"{tree} ({size:,} interventions, {requests} profile pages): page wall p50 "
          f"{statistics.median(walls):.1f} ms, p95 {p95(walls):.1f} ms; profile search in "
          f"the worker, mean {(seconds_after - seconds) / searches * 1000:.2f} ms")


if __name__ == "__main__":
    main()
