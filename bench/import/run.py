"""Import benchmark: `.venv/bin/python -m bench.import.run [--sizes 10000,100000]`.

For each generated file: the parse-only floor, then the whole pipeline (parse, validate,
dedup, write, commit) into an empty SQLite database and into one holding 100k studies.
Each measurement runs in its own process so its peak memory (VmHWM) is its own.
Also measures dedup quality against the planted duplicates. Prints a Markdown table.

`--tabular [--records 100000] [--repeat 3]`: the same records as RIS, as a mapped CSV
(Scopus-style headers) and as an .xlsx workbook; per format, parse only, parse +
validate and the dry-run preview (preview_import) on a scratch copy of the empty
database, alternating the formats' order each round; best and median of the rounds,
and each format's ratio to RIS per stage, all from the same run (`--tables` adds
xlsx_excel, a workbook as Excel saves it). `--profile xlsx`: the parser against the
reader alone (and openpyxl's read-only rows for comparison), then cProfile of one parse,
its time by package.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from . import generate

WORK = Path(os.environ.get("BENCH_IMPORT_DIR", Path(tempfile.gettempdir()) / "bench_import"))


def _app(database: Path | str):
    """The app on a SQLite file, or on a database URL (bench/import/postgres.py)."""
    from registry import create_app

    url = database if "://" in str(database) else f"sqlite:///{database}"
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SEARCH_SYNC": "off",
                       "INDEX_DIR": str(WORK / "index")})


def _peak_mb(key: str = "VmHWM") -> float:
    # VmHWM: this process's own high-water mark. On Linux ru_maxrss survives execve, so a
    # child would report at least the RSS the parent had when it forked (the parent holds
    # the generated records for a moment), which hid the import's own peak at 100k.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parse(stream, name: str):
    """The parser's records, as the pipeline calls it (a table reader with TableOptions)."""
    from importers.detect import TABULAR, parser_for
    from importers.tabular import TableOptions

    parser = parser_for(name)
    return parser(stream, TableOptions()) if name in TABULAR else parser(stream)


def _validated(stream, name: str, lookups):
    from importers.validate import validate

    for raw in _parse(stream, name):
        yield validate(raw, lookups)[0]


def _tabular_child(mode: str, stream) -> dict:
    """parse, validate, preview (the stages --tabular times) and check (not timed: a
    digest of the first 10k validated records, to show the formats carry the same)."""
    from importers import pipeline
    from importers.detect import detect_format

    name = detect_format(stream, stream.name)
    if mode == "parse":
        return {"total": sum(1 for _ in _parse(stream, name))}
    if mode == "validate":
        lookups = pipeline.load_lookups()
        valid = sum(1 for record in _validated(stream, name, lookups) if record is not None)
        return {"valid": valid}
    if mode == "check":
        digests: dict = {}
        for record in islice(_validated(stream, name, pipeline.load_lookups()), 10_000):
            for key, value in (record.values if record else {"invalid": True}).items():
                digests.setdefault(key, hashlib.sha256()).update(repr(value).encode() + b"\0")
        return {"fields": {key: digest.hexdigest()[:12] for key, digest in digests.items()}}
    report = pipeline.preview_import(stream, Path(stream.name).name)
    return {**report.counts(), "ignored": report.ignored_columns}


def child(mode: str, file: Path, db_path: Path | str) -> dict:
    """One measurement in this process; returns seconds, peak memory and counts."""
    from importers import pipeline
    from importers.detect import detect_format, parser_for
    from registry.extensions import db

    app = _app(db_path)
    mode, _, reader = mode.partition(":")
    with app.app_context(), file.open("rb") as stream:
        base_mb = _peak_mb("VmRSS")
        start, cpu = time.perf_counter(), time.process_time()
        if mode in ("validate", "preview", "check") or (mode == "parse" and _is_table(file)):
            counts = _tabular_child(mode, stream)
        elif mode == "rows":
            counts = {"total": sum(1 for _ in _reader_rows(stream, file, reader))}
        elif mode == "profile":
            profile = cProfile.Profile()
            counts = {"total": profile.runcall(lambda: sum(1 for _ in _parse(
                stream, detect_format(stream))))}
            profile.dump_stats(str(file.with_suffix(".pstats")))
        elif mode == "parse":
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
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mb": _peak_mb(), "base_mb": base_mb,
            **counts}


def _reader_rows(stream, file: Path, reader: str = ""):
    """The rows the reader alone yields (the workbook reader, openpyxl's read-only rows
    for comparison, or csv.reader over the decoded text): the floor under a table
    parser, without importers/tabular.py."""
    if file.suffix == ".xlsx" and reader != OPENPYXL:
        import zipfile

        from importers.xlsx_format import sheet_rows
        from importers.xlsx_parts import read_workbook

        with zipfile.ZipFile(stream) as archive:
            workbook = read_workbook(archive)
            yield from sheet_rows(archive, next(iter(workbook.sheets.values())), workbook)
        return
    if file.suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(stream, read_only=True, data_only=True)
        yield from workbook.worksheets[0].iter_rows(values_only=True)
        workbook.close()
        return
    import csv
    import io

    yield from csv.reader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))


def _is_table(file: Path) -> bool:
    return file.suffix in (".csv", ".xlsx")


def _measure(mode: str, file: Path, db_template: Path, env: dict | None = None) -> dict:
    db_path = WORK / "run.sqlite"
    shutil.copyfile(db_template, db_path)
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-m", "bench.import.run", "--child", mode, str(file),
                          str(db_path)], check=True, capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load": load}


def _databases(existing: int) -> tuple[Path, Path]:
    empty = _empty_database()
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
    parser.add_argument("--tabular", action="store_true",
                        help="CSV and XLSX against RIS (parse, validate, preview)")
    parser.add_argument("--records", type=int, default=100_000, help="--tabular file size")
    parser.add_argument("--stages", default="parse,validate,preview")
    parser.add_argument("--tables", default="ris,csv,xlsx",
                        help="--tabular formats, of ris, csv, xlsx, xlsx_excel")
    parser.add_argument("--report", action="store_true",
                        help="print the saved --tabular run's table (its complete rounds)")
    parser.add_argument("--profile", metavar="FORMAT",
                        help="cProfile one parse (ris, csv, xlsx, xlsx_excel)")
    args = parser.parse_args()
    if args.child:
        database = args.child[2]
        print(json.dumps(child(args.child[0], Path(args.child[1]),
                               database if "://" in database else Path(database))))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    if args.tabular or args.profile:
        tabular(args)
        return
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


# --tables name → (generate.write format, suffix).
TABLE_FORMATS = {"ris": ("ris_full", "ris"), "csv": ("csv", "csv"), "xlsx": ("xlsx", "xlsx"),
                 "xlsx_excel": ("xlsx_excel", "xlsx")}
# `rows:openpyxl`: a workbook's rows as openpyxl's read-only mode gives them (the reader
# the import used before importers/xlsx_format.py read the XML itself).
OPENPYXL = "openpyxl"


def _empty_database() -> Path:
    from flask_migrate import upgrade

    from registry.extensions import db
    from registry.services.vocabularies import load_vocabularies

    empty = WORK / "empty.sqlite"
    if not empty.exists():
        with _app(empty).app_context():
            upgrade()
            load_vocabularies()
            db.session.commit()
    return empty


def _table_files(records: int, names: list[str]) -> dict[str, Path]:
    files = {}
    for name in names:
        fmt, suffix = TABLE_FORMATS[name]
        file = WORK / f"table_{fmt}_{records}.{suffix}"
        if not file.exists():
            started = time.perf_counter()
            generate.write(file, fmt, records)
            print(f"<!-- wrote {file.name}: {file.stat().st_size / 1e6:.1f} MB in "
                  f"{time.perf_counter() - started:.0f} s -->", flush=True)
        files[name] = file
    return files


def tabular(args) -> None:
    """The --tabular comparison (or --profile): prints Markdown tables."""
    empty = _empty_database()
    names = ["ris", *(n for n in args.tables.split(",") if n != "ris")]
    if args.profile:
        _profile(_table_files(args.records, [args.profile])[args.profile], empty)
        return
    files = _table_files(args.records, names)
    saved = WORK / f"tabular_{args.records}_{'+'.join(names)}_{args.stages.replace(',', '+')}.json"
    if args.report:
        data = json.loads(saved.read_text())
        runs = {tuple(key.split("/")): value for key, value in data["runs"].items()}
        args.repeat = min(len(value) for value in runs.values())
        runs = {key: value[:args.repeat] for key, value in runs.items()}
        _print_tabular(args, runs, data["stages"], names, data["loads"])
        return
    loads = [os.getloadavg()]
    print(f"<!-- load average at start: {' '.join(f'{x:.2f}' for x in loads[0])} -->")
    # Not timed: do the files carry the same records? A digest per validated field over
    # the first 10k records of each; the fields whose digest differs from RIS's are named.
    fields = {name: _measure("check", file, empty)["fields"]
              for name, file in files.items()}
    for name in names[1:]:
        differ = sorted(k for k in fields["ris"].keys() | fields[name].keys()
                        if fields["ris"].get(k) != fields[name].get(k))
        print(f"<!-- validated values, {name} against ris (first 10k records): "
              f"{'the same' if not differ else 'differ in ' + ', '.join(differ)} -->",
              flush=True)
    stages = args.stages.split(",")
    runs: dict[tuple[str, str], list[dict]] = {(s, n): [] for s in stages for n in names}
    for round_number in range(args.repeat):
        # Alternate the order every round, so no format always runs first or last.
        order = names[round_number % len(names):] + names[:round_number % len(names)]
        if round_number % 2:
            order.reverse()
        for stage in stages:
            for name in order:
                result = _measure(stage, files[name], empty)
                runs[stage, name].append(result)
                # Saved as it goes: `--report` prints the table of the complete rounds.
                saved.write_text(json.dumps({"stages": stages, "loads": loads + [os.getloadavg()],
                                             "runs": {"/".join(k): v for k, v in runs.items()}}))
                print(f"<!-- round {round_number + 1} {stage} {name}: {result['seconds']:.1f} s,"
                      f" CPU {result['cpu_seconds']:.1f} s, peak {result['peak_mb']:.0f} MB, "
                      f"load {result['load']:.1f} -->", flush=True)
        loads.append(os.getloadavg())
    _print_tabular(args, runs, stages, names, loads)


def _print_tabular(args, runs, stages, names, loads) -> None:
    print(f"\n{args.records:,} records, best (median) of {args.repeat} rounds; 1-min load "
          f"average {min(x[0] for x in loads):.1f}–{max(x[0] for x in loads):.1f} during "
          f"the run (per measurement: "
          f"{min(r['load'] for v in runs.values() for r in v):.1f}–"
          f"{max(r['load'] for v in runs.values() for r in v):.1f}).\n")
    print("| stage | format | wall s best (median) | CPU s best (median) | ratio to RIS wall "
          "best (median) | ratio to RIS CPU best | peak MB | peak − start MB | counts |")
    print("|---|---|---|---|---|---|---|---|---|")
    verdict = []
    for stage in stages:
        best = {n: min(r["seconds"] for r in runs[stage, n]) for n in names}
        median = {n: statistics.median(r["seconds"] for r in runs[stage, n]) for n in names}
        cpu = {n: min(r["cpu_seconds"] for r in runs[stage, n]) for n in names}
        cpu_median = {n: statistics.median(r["cpu_seconds"] for r in runs[stage, n])
                      for n in names}
        for name in names:
            last = runs[stage, name][-1]
            counts = {k: v for k, v in last.items() if k not in (
                "seconds", "cpu_seconds", "peak_mb", "base_mb", "load")}
            peak = max(r["peak_mb"] for r in runs[stage, name])
            grown = max(r["peak_mb"] - r["base_mb"] for r in runs[stage, name])
            print(f"| {stage} | {name} | {best[name]:.1f} ({median[name]:.1f}) | "
                  f"{cpu[name]:.1f} ({cpu_median[name]:.1f}) | "
                  f"{best[name] / best['ris']:.2f}× ({median[name] / median['ris']:.2f}×) | "
                  f"{cpu[name] / cpu['ris']:.2f}× | {peak:.0f} | {grown:.0f} | "
                  f"{json.dumps(counts, ensure_ascii=False)} |")
            if stage == "preview" and name != "ris":  # the target is on the import
                ratio = best[name] / best["ris"]
                verdict.append(f"{name.upper()}/RIS {stage}: {ratio:.2f}× best wall, "
                               f"{median[name] / median['ris']:.2f}× median, "
                               f"{cpu[name] / cpu['ris']:.2f}× CPU — target 1.2× "
                               f"{'met' if ratio <= 1.2 else 'missed'}")
    print()
    for line in verdict:
        print(f"- {line}")


def _profile(file: Path, empty: Path) -> None:
    """cProfile one parse of the file; its own time by package, and the top functions."""
    import pstats

    # Without the profiler first: the whole parse against the reader alone, and (for a
    # workbook) openpyxl's read-only rows of the same sheet for comparison. Best of 3 by
    # CPU time, alternating.
    variants = [("parse", {}), ("rows", {})]
    if file.suffix == ".xlsx":
        variants += [(f"rows:{OPENPYXL}", {})]
    timings: dict[int, list[dict]] = {i: [] for i in range(len(variants))}
    for round_number in range(3):
        order = list(range(len(variants)))
        for index in order[::-1] if round_number % 2 else order:
            timings[index].append(_measure(variants[index][0], file, empty, variants[index][1]))
    parse_cpu = min(r["cpu_seconds"] for r in timings[0])
    print(f"\n{file.name}, without the profiler, best of 3 (load "
          f"{min(r['load'] for v in timings.values() for r in v):.1f}–"
          f"{max(r['load'] for v in timings.values() for r in v):.1f}):\n")
    print("| what | wall s | CPU s | CPU share of the parse | peak MB |\n|---|---|---|---|---|")
    for index, (mode, _env) in enumerate(variants):
        best = min(timings[index], key=lambda r: r["cpu_seconds"])
        label = ("whole parser (importers)" if mode.startswith("parse") else
                 "reader rows only") + (", openpyxl read-only" if OPENPYXL in mode else "")
        print(f"| {label} | {best['seconds']:.1f} | {best['cpu_seconds']:.1f} | "
              f"{best['cpu_seconds'] / parse_cpu:.0%} | {best['peak_mb']:.0f} |")
    result = _measure("profile", file, empty)
    stats = pstats.Stats(str(file.with_suffix(".pstats")))
    groups = {
        "openpyxl": "/openpyxl/", "defusedxml": "/defusedxml/", "xml.etree (Python)":
        "/xml/etree/", "csv/io/codecs": "/codecs.py", "zipfile": "/zipfile",
        "rispy": "/rispy/", "importers/tabular.py": "importers/tabular.py",
        "importers/xlsx_format.py": "importers/xlsx_format.py",
        "importers/csv_format.py": "importers/csv_format.py", "importers/ris.py":
        "importers/ris.py", "importers/normalise.py + registry/text_keys.py":
        ("importers/normalise.py", "registry/text_keys.py"),
    }
    total = sum(entry[2] for entry in stats.stats.values())
    shares: dict[str, float] = {}
    for (path, _line, function), entry in stats.stats.items():
        where = path if path != "~" else function
        group = next((g for g, marks in groups.items()
                      if any(m in where for m in ((marks,) if isinstance(marks, str)
                                                  else marks))), None)
        if group is None:
            group = "pyexpat (C)" if "pyexpat" in where else "other (builtins, C calls)"
        shares[group] = shares.get(group, 0.0) + entry[2]
    print(f"\ncProfile of one parse of {file.name}: {result['seconds']:.1f} s under the "
          f"profiler (load {result['load']:.1f}), own time {total:.1f} s\n")
    print("| where | own time s | share |\n|---|---|---|")
    for group, seconds in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"| {group} | {seconds:.1f} | {seconds / total:.0%} |")
    print()
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
