"""The load benchmark's catalogue: its own PostgreSQL database, index and target list.

Everything generated lives under WORK (bench/load/.work, ignored by git) and in the
database DATABASE_NAME on BENCH_LOAD_POSTGRES, which `drop()` removes again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The catalogue's size: 10,000 interventions and ten studies per intervention, unless
# BENCH_LOAD_INTERVENTIONS says otherwise (bench.load.growth measures a smaller one
# beside it); another size gets its own database and work folder.
INTERVENTIONS = int(os.environ.get("BENCH_LOAD_INTERVENTIONS", "10000"))
STUDIES = 10 * INTERVENTIONS
_SUFFIX = "" if INTERVENTIONS == 10_000 else f"_{INTERVENTIONS}"
WORK = Path(os.environ.get("BENCH_LOAD_DIR", HERE / f".work{_SUFFIX}"))
SERVER = os.environ.get("BENCH_LOAD_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
DATABASE_NAME = os.environ.get("BENCH_LOAD_DATABASE", f"registry_load{_SUFFIX}")
DATABASE_URL = f"{SERVER}/{DATABASE_NAME}"
INDEX_DIR = WORK / "index"
TARGETS = WORK / "targets.json"


def _admin_dsn() -> str:
    return SERVER.replace("postgresql+psycopg://", "postgresql://") + "/postgres"


def app_env(**extra: str) -> dict[str, str]:
    """Environment of a flask command or gunicorn on the benchmark catalogue."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": DATABASE_URL,
           "REGISTRY_INDEX_DIR": str(INDEX_DIR),
           "REGISTRY_INSTANCE_DIR": str(WORK / "instance"), "PYTHONPATH": str(ROOT),
           # As deployed: the sync worker applies the change log, not the writer.
           "REGISTRY_SEARCH_SYNC": "worker"}
    env.update(extra)
    return env


def flask(*args: str, **env: str) -> None:
    """Run `flask --app wsgi ARGS` on the benchmark catalogue; raises when it fails."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    subprocess.run(command, cwd=ROOT, env=app_env(**env), check=True)


def _exists() -> bool:
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (DATABASE_NAME,)).fetchone() is not None


def _counts() -> tuple[int, int]:
    dsn = DATABASE_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        try:
            return conn.execute("SELECT (SELECT count(*) FROM interventions), "
                                "(SELECT count(*) FROM studies)").fetchone()
        except psycopg.errors.UndefinedTable:
            return (0, 0)


def drop() -> None:
    """Drop the benchmark database (the work folder stays)."""
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')


def setup() -> None:
    """Database with INTERVENTIONS interventions and STUDIES studies, its index, and the
    targets file.

    Reuses a database that already holds exactly that; otherwise starts from scratch.
    """
    WORK.mkdir(parents=True, exist_ok=True)
    if not _exists() or _counts() != (INTERVENTIONS, STUDIES):
        drop()
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        flask("db", "upgrade")
        flask("demo", "generate", "--interventions", str(INTERVENTIONS),
              "--studies", str(STUDIES))
        (INDEX_DIR / "current").unlink(missing_ok=True)
    else:
        flask("db", "upgrade")  # a kept database may predate a new migration (/readyz)
    if not (INDEX_DIR / "current").exists():
        flask("index", "rebuild", REGISTRY_SEARCH_SYNC="off")
    write_targets()


def write_targets() -> None:
    """The published slugs and the study ids the mix draws from."""
    dsn = DATABASE_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        slugs = [r[0] for r in conn.execute(
            "SELECT slug FROM interventions WHERE published_version_id IS NOT NULL ORDER BY id")]
        study_ids = [r[0] for r in conn.execute("SELECT id FROM studies ORDER BY id")]
    TARGETS.write_text(json.dumps({"slugs": slugs, "study_ids": study_ids}))
