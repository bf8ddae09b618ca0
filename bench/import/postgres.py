"""Study import on PostgreSQL against SQLite, same run:
`.venv/bin/python -m bench.import.postgres [--records 10000] [--existing 0] [--repeat 3]`.

The same generated RIS file (bench/import/generate.py) is imported whole (parse,
validate, dedup, write, commit: `commit_import`) into a fresh copy of an empty database
(or, with --existing N, of one holding N studies) on each engine, alternating which goes
first, each import in its own process (bench/import/run.py's child, so its peak memory
is its own). PostgreSQL at BENCH_LOAD_POSTGRES (default postgres@127.0.0.1:5432); the
copies are made with CREATE DATABASE ... TEMPLATE and dropped at the end. Prints the
median seconds, CPU seconds (the importing process's own) and peak MB per engine and
PostgreSQL's ratio to SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

from sqlalchemy import create_engine, text

from . import generate
from .run import WORK, _app, _empty_database, _measure

SERVER = os.environ.get("BENCH_LOAD_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
TEMPLATE, RUN = "bench_import_template", "bench_import_run"


def _admin():
    return create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")


def _recreate(name: str, template: str | None = None) -> str:
    with _admin().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'
                                + (f' TEMPLATE "{template}"' if template else "")))
    return f"{SERVER}/{name}"


def _postgres_template(existing_file) -> None:
    from flask_migrate import upgrade

    from registry.extensions import db
    from registry.services.vocabularies import load_vocabularies

    url = _recreate(TEMPLATE)
    app = _app(url)
    with app.app_context():
        upgrade()
        load_vocabularies()
        db.session.commit()
        db.engine.dispose()
    if existing_file:
        _measure_postgres("commit", existing_file, fresh=False, database=TEMPLATE)


def _measure_postgres(mode: str, file, fresh: bool = True, database: str = RUN) -> dict:
    url = _recreate(RUN, TEMPLATE) if fresh else f"{SERVER}/{database}"
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-m", "bench.import.run", "--child", mode, str(file),
                          url], check=True, capture_output=True, text=True)
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load": load}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    file = WORK / f"ris_{args.records}.ris"
    if not file.exists():
        generate.write(file, "ris", args.records)
    existing_file = None
    sqlite_template = _empty_database()
    if args.existing:
        existing_file = generate.write(WORK / f"existing_{args.existing}.ris", "ris",
                                       args.existing, seed=2, offset=50_000_000)
        full = WORK / f"existing_{args.existing}.sqlite"
        if not full.exists():
            shutil.copyfile(sqlite_template, full)
            _measure("commit", existing_file, full)
            shutil.copyfile(WORK / "run.sqlite", full)
        sqlite_template = full
    _postgres_template(existing_file)
    runs: dict[str, list[dict]] = {"SQLite": [], "PostgreSQL": []}
    try:
        for round_number in range(args.repeat):
            order = ["SQLite", "PostgreSQL"][:: 1 if round_number % 2 == 0 else -1]
            for engine in order:
                runs[engine].append(_measure("commit", file, sqlite_template)
                                    if engine == "SQLite" else _measure_postgres("commit", file))
    finally:
        with _admin().connect() as connection:
            for name in (RUN, TEMPLATE):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    into = f"{args.existing:,} existing studies" if args.existing else "an empty database"
    print(f"{args.records} RIS records into {into}, median of {args.repeat}, alternating\n")
    print("| database | import s | CPU s | peak MB | new | duplicates | probable | load |")
    print("|---|---|---|---|---|---|---|---|")
    medians = {}
    for engine, found in runs.items():
        seconds = statistics.median(r["seconds"] for r in found)
        medians[engine] = seconds
        last = found[-1]
        cpu = statistics.median(r["cpu_seconds"] for r in found)
        peak = max(r["peak_mb"] for r in found)
        print(f"| {engine} | {seconds:.1f} | {cpu:.1f} | {peak:.0f} | {last['new']} | "
              f"{last['duplicates']} | "
              f"{last['probable']} | {statistics.median(r['load'] for r in found):.1f} |")
    print(f"\nPostgreSQL / SQLite: {medians['PostgreSQL'] / medians['SQLite']:.2f}×")


if __name__ == "__main__":
    main()
