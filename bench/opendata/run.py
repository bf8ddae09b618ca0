"""Open data dump benchmark: `.venv/bin/python -m bench.opendata.run`.

At 10k interventions and 100k studies (flask demo generate, bulk, SQLite, built once in
its own folder): `flask opendata dump` (registry/opendata/package.py: CSV and JSON
Lines per table, datapackage.json) against a plain streamed SELECT of the same
statements whose rows are read and dropped, the baseline, in the same run. Each is run
three times, alternating, in a fresh process, so peak RSS is that step's own; prints
a Markdown table (bench/README.md, "Open data dump").
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORK = Path(os.environ.get("BENCH_OPENDATA_DIR", Path(tempfile.gettempdir()) / "bench_opendata"))
INTERVENTIONS, STUDIES = 10_000, 100_000
ROUNDS = 3


def _app():
    from registry import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{WORK / 'opendata.sqlite'}",
                       "SEARCH_SYNC": "off", "INDEX_DIR": str(WORK / "index")})


def _build() -> None:
    from flask_migrate import upgrade

    from registry.demo.generator import generate
    from registry.extensions import db

    with _app().app_context():
        upgrade()
        generate(INTERVENTIONS, STUDIES, bulk=True)
        db.session.commit()


def _step(kind: str) -> dict:
    """Run one step in this process; returns seconds, CPU seconds and rows."""
    from registry.extensions import db
    from registry.opendata.package import CHUNK, dump
    from registry.opendata.resources import resources

    with _app().app_context():
        wall, cpu = time.perf_counter(), time.process_time()
        with db.engine.connect() as connection:
            if kind == "select":
                rows = 0
                for item in resources():
                    result = connection.execute(
                        item.statement.execution_options(yield_per=CHUNK))
                    rows += sum(1 for _ in result)
            else:
                with tempfile.TemporaryDirectory() as folder:
                    rows = sum(dump(connection, Path(folder)).values())
        return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                "rows": rows, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _fresh(kind: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.opendata.run", "--step", kind],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if "--step" in sys.argv:
        print(json.dumps(_step(sys.argv[sys.argv.index("--step") + 1])))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    if not (WORK / "opendata.sqlite").exists():
        started = time.perf_counter()
        _build()
        print(f"catalogue built in {time.perf_counter() - started:.0f} s")
    runs: dict[str, list[dict]] = {"select": [], "dump": []}
    for _ in range(ROUNDS):
        for kind in runs:
            runs[kind].append(_fresh(kind))
    base = statistics.median(r["wall"] for r in runs["select"])
    print(f"\n{INTERVENTIONS:,} interventions, {STUDIES:,} studies; median of {ROUNDS} "
          f"fresh processes each\n")
    print("| step | rows | wall s | CPU s | peak RSS MB | wall / baseline |")
    print("|---|---|---|---|---|---|")
    for kind, label in (("select", "plain streamed SELECT (baseline)"),
                        ("dump", "flask opendata dump (CSV + JSONL + datapackage.json)")):
        median = {key: statistics.median(r[key] for r in runs[kind])
                  for key in ("wall", "cpu", "rss_mb", "rows")}
        print(f"| {label} | {median['rows']:,.0f} | {median['wall']:.1f} | {median['cpu']:.1f} "
              f"| {median['rss_mb']:.0f} | {median['wall'] / base:.2f}× |")


if __name__ == "__main__":
    main()
