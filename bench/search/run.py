"""Search benchmark: python -m bench.search.run --sizes 10000 100000

Per size: generate a synthetic catalogue (SQLite), build the Whoosh index and the SQLite
FTS5 baseline, then measure both in a fresh process (bench.search.probe) and write the
table with same-run ratios to bench/README.md (section "Search").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from flask_migrate import upgrade

from bench.search import fts
from registry import create_app
from registry.demo.generator import generate
from registry.extensions import db
from registry.search import sync
from registry.services.vocabularies import load_vocabularies
from search_index import writing

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
README = HERE.parent / "README.md"


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _cpu_s() -> float:
    # This process and its finished children (the indexing processes with --procs 2).
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def prepare(size: int) -> dict:
    folder = WORK / str(size)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.sqlite"):
        old.unlink()
    url = f"sqlite:///{folder / 'registry.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INDEX_DIR": str(folder / "index"),
                      "SEARCH_SYNC": "off"})
    out: dict = {"size": size, "url": url, "index": str(folder / "index"),
                 "fts": str(folder / "fts.sqlite")}
    with app.app_context():
        upgrade()
        load_vocabularies()
        db.session.commit()
        started = time.perf_counter()
        generate(size, bulk=True)
        db.session.commit()
        out["generate_s"] = time.perf_counter() - started
        # The rebuild with each number of processes; the one with --procs last, so the
        # queries run on that index.
        out["builds"] = []
        for procs in sorted({1, 2} - {writing.PROCS}) + [writing.PROCS]:
            load = os.getloadavg()[0]
            started, cpu = time.perf_counter(), _cpu_s()
            sync.rebuild(db.engine, Path(out["index"]), procs=procs)
            out["builds"].append({"procs": procs, "wall_s": time.perf_counter() - started,
                                  "cpu_s": _cpu_s() - cpu, "load": load})
        out["build_s"] = out["builds"][-1]["wall_s"]
        out["build_cpu_s"] = out["builds"][-1]["cpu_s"]
        out["build_procs"] = writing.PROCS
        out["index_mb"] = _size_mb(Path(out["index"]) / "current")
    started = time.perf_counter()
    fts.build(url, out["fts"])
    out["fts_build_s"] = time.perf_counter() - started
    out["fts_mb"] = Path(out["fts"]).stat().st_size / 1e6
    return out


def probe(prepared: dict) -> dict:
    command = [sys.executable, "-m", "bench.search.probe",
               prepared["url"], prepared["index"], prepared["fts"]]
    output = subprocess.run(command, check=True, capture_output=True, text=True,
                            cwd=HERE.parent.parent).stdout
    serve = [sys.executable, "-m", "bench.search.serve", prepared["url"], prepared["index"]]
    memory = subprocess.run(serve, check=True, capture_output=True, text=True,
                            cwd=HERE.parent.parent).stdout
    return {**prepared, **json.loads(output), **json.loads(memory)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[10000, 100000])
    parser.add_argument("--procs", type=int, default=writing.PROCS,
                        help="Indexing processes for the build (2 leaves two segments).")
    args = parser.parse_args()
    writing.PROCS = args.procs
    results = []
    for size in args.sizes:
        results.append(probe(prepare(size)))
        (WORK / f"result-{size}.json").write_text(json.dumps(results[-1], indent=1))
        print(json.dumps(results[-1]), flush=True)
    from bench.search.report import write_readme

    write_readme(README, [json.loads((WORK / f"result-{s}.json").read_text())
                          for s in sorted({*args.sizes, *_earlier()})])


def _earlier() -> set[int]:
    return {int(p.stem.split("-")[1]) for p in WORK.glob("result-*.json")}


if __name__ == "__main__":
    main()
