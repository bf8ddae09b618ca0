"""Two hosts on one PostgreSQL database: how long until host A's write is searchable on B.

.venv/bin/python -m bench.hosts.run [--writes 200] [--interval 0.5] [--readme] [--keep]

Host A is a process of its own (bench/hosts/writer.py) with REGISTRY_SEARCH_SYNC=inline
and its own index folder; it publishes and edits interventions through the ORM at a
steady pace. Host B is `flask index sync --follow --interval 0.1` on another index
folder. This process watches B's folder: it opens B's current index with
search_index.storage.open_current (as a searcher on host B would) until the written
document is there (a publication: its id; an edit: a new digest), and reports
write-to-searchable-on-B latency, p50/p95/max. Catalogue: 10k generated interventions
in the database `registry_hosts` (dropped at the end unless --keep); files under
bench/hosts/.work.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORK = Path(os.environ.get("BENCH_HOSTS_DIR", HERE / ".work"))
SERVER = os.environ.get("BENCH_HOSTS_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
DATABASE = "registry_hosts"
DATABASE_URL = f"{SERVER}/{DATABASE}"
README = ROOT / "bench" / "README.md"
START, END = "<!-- hosts-bench:start -->", "<!-- hosts-bench:end -->"
TARGET_P95_S = 2.0
POLL_SECONDS = 0.01


def _admin(sql: str) -> None:
    dsn = SERVER.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)


def host_env(host: str, **extra: str) -> dict[str, str]:
    """Environment of one host's processes: its own index and instance folders."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "REGISTRY_DATABASE_URL": DATABASE_URL,
            "REGISTRY_INDEX_DIR": str(WORK / f"host-{host}" / "index"),
            "REGISTRY_INSTANCE_DIR": str(WORK / f"host-{host}" / "instance"), **extra}


def flask(host: str, *args: str, **env: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                   env=host_env(host, **env), check=True, stdout=subprocess.DEVNULL)


def setup(interventions: int) -> None:
    """A fresh database with a generated catalogue, and an index built on each host."""
    import shutil

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{DATABASE}"')
    flask("a", "db", "upgrade")
    flask("a", "demo", "generate", "--interventions", str(interventions),
          REGISTRY_SEARCH_SYNC="off")
    for host in ("a", "b"):
        flask(host, "index", "rebuild", "--procs", "1", REGISTRY_SEARCH_SYNC="off")


def _digests(ids: list[int]) -> dict[int, str | None]:
    """What host B's index holds for these ids now (None: not there)."""
    from search_index import storage

    ix = storage.open_current(WORK / "host-b" / "index")
    with ix.searcher() as searcher:
        found = {}
        for intervention_id in ids:
            number = searcher.document_number(id=str(intervention_id))
            found[intervention_id] = (None if number is None
                                      else searcher.stored_fields(number)["digest"])
    return found


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(json.loads(line))
    lines.put(None)


def measure(writes: int, interval: float, edit_ids: list[int]) -> dict:
    """Run host B's worker and host A's writer; the latency of every write on B."""
    before = _digests(edit_ids)
    log = (WORK / "worker-b.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "index", "sync", "--follow",
         "--interval", "0.1"],
        cwd=ROOT, env=host_env("b", REGISTRY_SEARCH_SYNC="worker"), stdout=log,
        stderr=subprocess.STDOUT)
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.hosts.writer", "--writes", str(writes), "--interval",
         str(interval), "--edit-ids", ",".join(map(str, edit_ids))],
        cwd=ROOT, env=host_env("a", REGISTRY_SEARCH_SYNC="inline"), stdout=subprocess.PIPE,
        text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(writer.stdout, lines), daemon=True).start()
    pending: dict[int, dict] = {}
    done: list[dict] = []
    finished = False
    deadline = time.monotonic() + writes * interval + 120  # bounded, whatever happens
    try:
        while (not finished or pending) and time.monotonic() < deadline:
            while True:
                try:
                    item = lines.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    finished = True
                else:
                    pending[item["id"]] = item
            if pending:
                now = _digests(list(pending))
                seen = time.monotonic()
                for intervention_id, digest in now.items():
                    item = pending[intervention_id]
                    if digest is not None and (item["kind"] == "publish"
                                               or digest != before.get(intervention_id)):
                        item["visible"] = seen
                        done.append(pending.pop(intervention_id))
            time.sleep(POLL_SECONDS)
    finally:
        writer.wait(timeout=60)
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    if writer.returncode != 0:
        raise RuntimeError("host A's writer failed")
    return {"writes": done, "missing": sorted(pending)}


def summary(result: dict, writes: int, interval: float, interventions: int) -> dict:
    latencies = sorted(w["visible"] - w["committed"] for w in result["writes"])
    commit = sorted(w["returned"] - w["committed"] for w in result["writes"])

    def pct(values, share):
        return values[min(len(values) - 1, int(len(values) * share))] if values else None

    return {
        "date": date.today().isoformat(), "writes": writes, "interval": interval,
        "interventions": interventions, "seen": len(latencies), "missing": result["missing"],
        "p50": statistics.median(latencies), "p95": pct(latencies, 0.95),
        "max": latencies[-1], "min": latencies[0],
        "a_inline_p50": statistics.median(commit), "a_inline_p95": pct(commit, 0.95),
        "load_average": os.getloadavg()[0],
    }


def markdown(s: dict) -> str:
    met = "met" if s["p95"] is not None and s["p95"] <= TARGET_P95_S and not s["missing"] \
        else "NOT met"
    return "\n".join([
        f"Measured {s['date']}: {s['writes']} writes on host A, one every {s['interval']} s "
        f"(publish and edit alternately), on a catalogue of {s['interventions']:,} "
        f"interventions; host B's worker polls every 0.1 s; load average at the end "
        f"{s['load_average']:.1f} on {os.cpu_count()} cores.",
        "",
        "| from A's commit to searchable on B | s |",
        "|---|---|",
        f"| p50 | {s['p50']:.3f} |",
        f"| p95 | {s['p95']:.3f} |",
        f"| max | {s['max']:.3f} |",
        f"| min | {s['min']:.3f} |",
        "",
        f"Writes seen on B: {s['seen']} of {s['writes']}"
        + (f" (never seen: {s['missing']})" if s["missing"] else "") + ". "
        f"Host A's own inline index update after its commit: p50 {s['a_inline_p50']:.3f} s, "
        f"p95 {s['a_inline_p95']:.3f} s.",
        "",
        f"**Target p95 ≤ {TARGET_P95_S:.0f} s: {met}** (p95 {s['p95']:.3f} s).",
    ])


def write_readme(text: str) -> None:
    readme = README.read_text()
    block = f"{START}\n{text}\n{END}"
    if START in readme:
        head, rest = readme.split(START, 1)
        readme = head + block + rest.split(END, 1)[1]
    else:
        readme = readme.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(readme)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--interventions", type=int, default=10_000)
    parser.add_argument("--readme", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    setup(args.interventions)
    try:
        edit_ids = list(range(1, args.writes // 2 + 1))
        result = measure(args.writes, args.interval, edit_ids)
    finally:
        if not args.keep:
            _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    s = summary(result, args.writes, args.interval, args.interventions)
    (WORK / "results.json").write_text(json.dumps({"summary": s, **result}, indent=1))
    text = markdown(s)
    print(text)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
