"""One load phase through locust's library API: JSON statistics on stdout.

python -m bench.load.drive --host http://127.0.0.1:PORT --users 20 --rate 1 --seconds 60
    [--warmup 5] [--stop-file PATH] [--timeline]

`--rate` is each user's requests per second (0: back to back). Statistics are reset
after the warm-up, so they cover `--seconds` of steady load only; the phase ends early
when the stop file appears (the import phase ends with its import). Bounded: at most
`--seconds` (≤ 600) after the warm-up, against 127.0.0.1 or localhost only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

KINDS_ORDER = ("home", "search", "search_filtered", "profile_page", "profile_api",
               "intervention", "study")


def _entry(entry, seconds: float) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.num_requests / seconds if seconds else 0.0,
        "p50": entry.get_response_time_percentile(0.50) if entry.num_requests else None,
        "p95": entry.get_response_time_percentile(0.95) if entry.num_requests else None,
        "p99": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
        "max": entry.max_response_time if entry.num_requests else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--stop-file", type=Path)
    parser.add_argument("--timeline", action="store_true",
                        help="also list when each request ended and how long it took")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or not 0 < args.users <= 2000:
        sys.exit("a phase lasts at most 600 s with at most 2,000 users")
    os.environ["BENCH_LOAD_RATE"] = str(args.rate)

    import gevent
    from locust import events
    from locust.env import Environment

    from bench.load.locustfile import Visitor

    env = Environment(user_classes=[Visitor], host=args.host, events=events)
    # When each request ended (wall clock, so another process can place its own events
    # on the same line) and how long it took: the import phase splits its statistics by it.
    timeline: list[tuple[float, float]] = []
    events.request.add_listener(
        lambda response_time, **_kw: timeline.append((time.time(), response_time)))
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=max(1, args.users))
    gevent.sleep(args.warmup + 1)
    env.stats.reset_all()
    timeline.clear()
    started, cpu = time.monotonic(), time.process_time()
    deadline = started + args.seconds
    while time.monotonic() < deadline:
        if args.stop_file is not None and args.stop_file.exists():
            break
        gevent.sleep(0.25)
    seconds = time.monotonic() - started
    stats = {name: _entry(entry, seconds) for (name, _), entry in env.stats.entries.items()}
    result = {
        "seconds": seconds,
        "users": args.users,
        "offered_rps": args.users * args.rate if args.rate else None,
        "all": _entry(env.stats.total, seconds),
        "kinds": {k: stats[k] for k in KINDS_ORDER if k in stats},
        "errors": [{"kind": e.name, "error": str(e.error), "count": e.occurrences}
                   for e in env.stats.errors.values()],
        "driver_cpu_s": time.process_time() - cpu,
        "load_average": os.getloadavg()[0],
    }
    if args.timeline:
        result["timeline"] = [[round(at, 3), round(ms, 1)] for at, ms in timeline]
    runner.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
