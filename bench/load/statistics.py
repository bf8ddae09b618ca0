"""Pages on PostgreSQL without and with planner statistics, same run:
`python -m bench.load.statistics [--rounds 40] [--kinds intervention,study,search]`.

What a bulk load leaves until something runs ANALYZE (registry/table_statistics.py now
does it after the commit; autovacuum does it on its next round, where it is on): a copy
of the load benchmark's database (`python -m bench.load.run --setup-only` makes it) is
made from it as a template, then measured alternately twice each way with
bench.load.profile in a fresh process: never analysed (its statistics deleted and its
row counts unknown, as after a bulk load into new tables) and analysed (ANALYZE). The
copy is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import psycopg

from bench.load.catalogue import DATABASE_NAME, SERVER

COPY = f"{DATABASE_NAME}_statistics"


def _dsn(database: str) -> str:
    return SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + database


def _admin(sql: str) -> None:
    with psycopg.connect(_dsn("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def _forget_statistics() -> None:
    """As after a bulk load: no column statistics, row and page counts unknown."""
    with psycopg.connect(_dsn(COPY), autocommit=True) as connection:
        connection.execute("DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM "
                           "pg_class WHERE relnamespace = 'public'::regnamespace)")
        connection.execute("UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE "
                           "relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i')")


def _analyze() -> None:
    with psycopg.connect(_dsn(COPY), autocommit=True) as connection:
        connection.execute("ANALYZE")


def _measure(rounds: int, kinds: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.load.profile", "--json", "--rounds", str(rounds),
         "--kinds", kinds], check=True, capture_output=True, text=True,
        env={**os.environ, "BENCH_LOAD_DATABASE": COPY})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--kinds", default="intervention,study,search,search_filtered")
    args = parser.parse_args()
    _admin(f'DROP DATABASE IF EXISTS "{COPY}"')
    _admin(f'CREATE DATABASE "{COPY}" TEMPLATE "{DATABASE_NAME}"')
    runs: dict[str, list[dict]] = {"never analysed": [], "analysed": []}
    try:
        for _ in range(2):
            _forget_statistics()
            runs["never analysed"].append(_measure(args.rounds, args.kinds))
            _analyze()
            runs["analysed"].append(_measure(args.rounds, args.kinds))
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{COPY}"')
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} requests per kind and run, "
          "two runs each way, alternating")
    print("| page | statistics | wall median / p95 ms | CPU median / p95 ms | p95 wall "
          "vs never analysed |")
    print("|---|---|---|---|---|")
    for kind in args.kinds.split(","):
        base = [run[kind]["wall_p95"] for run in runs["never analysed"]]
        for way, measured in runs.items():
            rows = [run[kind] for run in measured]
            walls = " ; ".join(f"{r['wall_median']:.1f} / {r['wall_p95']:.1f}" for r in rows)
            cpus = " ; ".join(f"{r['cpu_median']:.1f} / {r['cpu_p95']:.1f}" for r in rows)
            ratio = sum(r["wall_p95"] for r in rows) / sum(base)
            print(f"| {kind} | {way} | {walls} | {cpus} | {ratio:.2f}× |")


if __name__ == "__main__":
    main()
