"""Where a page's time goes, in one process: the app's test client on the load database.

python -m bench.load.profile [--rounds 60] [--kinds search,home] [--pyinstrument DIR]

Per kind of page (bench/load/mix.py): wall and CPU median / p95 in ms, SQL statements per
request, and the mean CPU ms per request of each part of the work: the search engine
(run_search / run_profile), loading the hits from the database, their snippets, the
facet labels, the facet links, and rendering the template. The parts are timed by
wrapping those functions in this process only. With --pyinstrument, one profile per kind
over all its rounds is written to DIR (.html and .txt). Needs the database and index that
`python -m bench.load.run --setup-only` makes. To compare two versions of the code in one
run, run this module from each tree in turn (BENCH_LOAD_DIR pointing at the same .work).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

from bench.load import mix
from bench.load.catalogue import DATABASE_URL, INDEX_DIR, TARGETS


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _app(**overrides):
    """The app on the load database, with settings overridden."""
    import logging

    from registry import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": DATABASE_URL, "INDEX_DIR": str(INDEX_DIR),
                      "SEARCH_SYNC": "worker", **overrides})
    logging.getLogger().setLevel(logging.WARNING)  # not a line per request on the terminal
    return app


# (module, function, part): what each part of a page's work is, where it exists.
PARTS = (
    ("registry.search.service", "run_search", "engine"),
    ("registry.search.service", "run_profile", "engine"),
    ("registry.search.service", "_load", "load hits"),
    ("registry.search.service", "_snippet", "snippets"),
    ("registry.views.search", "term_labels", "facet labels"),
    ("registry.views.search", "_toggle", "facet links"),
    ("registry.views.search", "render_template", "render"),
    ("registry.views.public", "render_template", "render"),
    ("registry.views.interventions", "render_template", "render"),
    ("registry.views.studies", "render_template", "render"),
)


def _time_parts(parts: dict) -> None:
    """Wrap each function of PARTS so its thread CPU time adds up in parts[part]."""
    import importlib

    for module_name, name, part in PARTS:
        module = importlib.import_module(module_name)
        function = getattr(module, name, None)
        if function is None:
            continue

        def timed(*args, _function=function, _part=part, **kwargs):
            start = time.thread_time()
            try:
                return _function(*args, **kwargs)
            finally:
                parts[_part] = parts.get(_part, 0.0) + time.thread_time() - start

        setattr(module, name, timed)


def measure(kinds: list[str], rounds: int, profile_dir: Path | None) -> dict:
    """Per kind: wall/CPU median and p95 (ms), statements and search ms per request."""
    from sqlalchemy import event

    from registry.extensions import db

    app = _app()
    targets = mix.load_targets(TARGETS)
    statements = [0]
    results = {}
    parts: dict[str, float] = {}
    if profile_dir is None:
        _time_parts(parts)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *args: statements.__setitem__(0, statements[0] + 1))
    client = app.test_client()
    for kind in kinds:
        rng = random.Random(7)
        urls = [mix.url(kind, rng, targets) for _ in range(rounds + 5)]
        for path in urls[:5]:  # warm: searchers, facet views, Jinja's compiled templates
            assert client.get(path).status_code == 200, path
        profiler = None
        if profile_dir is not None:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        wall, cpu = [], []
        statements[0] = 0
        parts.clear()
        for path in urls[5:]:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        if profiler is not None:
            profiler.stop()
            profile_dir.mkdir(parents=True, exist_ok=True)
            (profile_dir / f"{kind}.html").write_text(profiler.output_html())
            (profile_dir / f"{kind}.txt").write_text(profiler.output_text(show_all=False))
        results[kind] = {
            "wall_median": statistics.median(wall), "wall_p95": _percentile(wall, 0.95),
            "cpu_median": statistics.median(cpu), "cpu_p95": _percentile(cpu, 0.95),
            "statements": statements[0] / rounds,
            "parts": {k: v * 1000 / rounds for k, v in parts.items()},
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--kinds", default=",".join(mix.KINDS))
    parser.add_argument("--pyinstrument", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    args = parser.parse_args()
    results = measure(args.kinds.split(","), args.rounds, args.pyinstrument)
    if args.json:
        print(json.dumps(results))
        return
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} requests per kind")
    print("| page | wall median / p95 ms | CPU median / p95 ms | SQL statements | "
          "CPU ms per part (mean) |")
    print("|---|---|---|---|---|")
    for kind, r in results.items():
        split = ", ".join(f"{part} {ms:.1f}" for part, ms in r["parts"].items())
        print(f"| {kind} | {r['wall_median']:.1f} / {r['wall_p95']:.1f} | "
              f"{r['cpu_median']:.1f} / {r['cpu_p95']:.1f} | {r['statements']:.1f} | "
              f"{split} |")


if __name__ == "__main__":
    main()
