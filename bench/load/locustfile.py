"""Visitors of the public site, for locust (bench/load/mix.py has the mix).

Run through `python -m bench.load.run` (starts gunicorn, measures every phase), or by
hand against a server on this machine:

    PYTHONPATH=. BENCH_LOAD_TARGETS=bench/load/.work/targets.json BENCH_LOAD_RATE=1 \\
    locust -f bench/load/locustfile.py --headless -u 20 -r 20 -t 60s \\
        --host http://127.0.0.1:8000 --csv bench/load/.work/rate20

Each user sends BENCH_LOAD_RATE requests per second at fixed times (a period of 1/rate
from a random start), so u users offer u × rate requests per second while answers take
less than 1/rate s; a user whose answer came too late skips the slots it missed (the
achieved rate then falls below the offered one). BENCH_LOAD_RATE=0 sends them back to
back (the uncontended, sequential run). A request counts as failed unless it answers 200
with a body of the expected kind.

Not locust's constant_throughput: it paces from the end of a late task, so every user
held up by the same slow moment restarts in the same instant and they stay in lockstep,
offering bursts of requests instead of a steady rate (seen here: half the requests
within 5 ms of another, 10× the latency of the same rate sent steadily).
"""

from __future__ import annotations

import math
import os
import random
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, task

from bench.load import mix

TARGETS = mix.load_targets(Path(os.environ.get(
    "BENCH_LOAD_TARGETS", Path(__file__).resolve().parent / ".work" / "targets.json")))
RATE = float(os.environ.get("BENCH_LOAD_RATE", "1"))
# Only this machine: the benchmark never sends load anywhere else.
ALLOWED_HOSTS = {"127.0.0.1", "localhost"}


class Visitor(FastHttpUser):
    def on_start(self):
        if urlsplit(self.host).hostname not in ALLOWED_HOSTS:
            raise RuntimeError(f"the load benchmark only targets this machine, not {self.host}")
        self.rng = random.Random()
        self.next_slot = time.monotonic()
        if RATE > 0:  # spread the users' first requests over one period: no opening burst
            self.next_slot += self.rng.uniform(0, 1 / RATE)
            gevent.sleep(self.next_slot - time.monotonic())

    def wait_time(self) -> float:
        if RATE <= 0:
            return 0.0
        period, now = 1 / RATE, time.monotonic()
        self.next_slot += period
        if self.next_slot < now:  # late: keep this user's phase, skip the missed slots
            self.next_slot += math.ceil((now - self.next_slot) / period) * period
        return self.next_slot - now

    @task
    def visit(self):
        kind = mix.draw_kind(self.rng)
        path = mix.url(kind, self.rng, TARGETS)
        with self.client.get(path, name=kind, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif kind == "profile_api":
                if '"items"' not in (response.text or ""):
                    response.failure("no items in the JSON answer")
            elif "</html>" not in (response.text or ""):
                response.failure("incomplete page")
