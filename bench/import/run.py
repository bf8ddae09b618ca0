"""Import benchmark: `.venv/bin/python -m bench.import.run [--sizes 10000,100000]`.

For each generated file: the parse-only floor, then the whole pipeline (parse, validate,
dedup, write, commit) into an empty SQLite database and into one holding 100k studies.
Each measurement runs in its own process so its peak memory (VmHWM) is its own.
Also measures dedup quality against the planted duplicates. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import generate

WORK = Path(os.environ.get("BENCH_IMPORT_DIR", Path(tempfile.gettempdir()) / "bench_import"))


def _app(db_path: Path):
    from registry import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SEARCH_SYNC": "off",
                       "INDEX_DIR": str(WORK / "index")})


def _peak_mb() -> float:
    # VmHWM: this process's own high-water mark. On Linux ru_maxrss survives execve, so a
    # child would report at least the RSS the parent had when it forked (the parent holds
    # the generated records for a moment), which hid the import's own peak at 100k.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, file: Path, db_path: Path) -> dict:
    """One measurement in this process; returns seconds, peak memory and counts."""
    from importers import pipeline
    from importers.detect import detect_format, parser_for
    from registry.extensions import db

    app = _app(db_path)
    with app.app_context(), file.open("rb") as stream:
        start, cpu = time.perf_counter(), time.process_time()
        if mode == "parse":
            counts = {"total": sum(1 for _ in parser_for(detect_format(stream))(stream))}
        elif mode == "quality":
            pipeline.LIST_LIMIT = 10**9
            report = pipeline.preview_import(stream, file.name)
            planted = set(json.loads(file.with_suffix(".planted.json").read_text()))
            found = {r["number"] for r in report.duplicate_records + report.probable_records}
            counts = {"planted": len(planted), "found": len(found & planted),
                      "false": len(found - planted), "probable": report.probable}
        else:
            report = pipeline.commit_import(stream, file.name)
            db.session.commit()
            counts = report.counts()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": _peak_mb(), **counts}


def _measure(mode: str, file: Path, db_template: Path) -> dict:
    db_path = WORK / "run.sqlite"
    shutil.copyfile(db_template, db_path)
    out = subprocess.run([sys.executable, "-m", "bench.import.run", "--child", mode, str(file),
                          str(db_path)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _databases(existing: int) -> tuple[Path, Path]:
    from flask_migrate import upgrade

    from registry.extensions import db
    from registry.services.vocabularies import load_vocabularies

    empty = WORK / "empty.sqlite"
    if not empty.exists():
        with _app(empty).app_context():
            upgrade()
            load_vocabularies()
            db.session.commit()
    full = WORK / f"existing_{existing}.sqlite"
    if not full.exists():
        source = generate.write(WORK / f"existing_{existing}.ris", "ris", existing, seed=2,
                                offset=50_000_000)
        shutil.copyfile(empty, full)
        _measure("commit", source, full)
        shutil.copyfile(WORK / "run.sqlite", full)
    return empty, full


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="ris,pubmed")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), Path(args.child[2]))))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    empty, full = _databases(args.existing)
    print("| format | records | database | parse-only s | import s | CPU s | records/s | ratio "
          "| peak MB | new | dup | probable | invalid |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in map(int, args.sizes.split(",")):
        repeat = args.repeat if size <= 10_000 else 1
        for fmt in args.formats.split(","):
            file = generate.write(WORK / f"{fmt}_{size}.{'xml' if fmt == 'pubmed' else 'ris'}",
                                  fmt, size)
            floor = statistics.median(_measure("parse", file, empty)["seconds"]
                                      for _ in range(repeat))
            for label, template in (("empty", empty), (f"{args.existing} existing", full)):
                runs = [_measure("commit", file, template) for _ in range(repeat)]
                seconds = statistics.median(r["seconds"] for r in runs)
                cpu = statistics.median(r["cpu_seconds"] for r in runs)
                last = runs[-1]
                print(f"| {fmt} | {size} | {label} | {floor:.1f} | {seconds:.1f} | {cpu:.1f} | "
                      f"{size / seconds:,.0f} | {seconds / floor:.1f}× | "
                      f"{max(r['peak_mb'] for r in runs):.0f} | {last['new']} | "
                      f"{last['duplicates']} | {last['probable']} | {last['invalid']} |",
                      flush=True)
            quality = _measure("quality", file, empty)
            print(f"<!-- quality {fmt} {size}: {json.dumps(quality)} -->", flush=True)


if __name__ == "__main__":
    main()
