"""Worker crashes and memory with and without the request-boundary garbage collection of
gunicorn.conf.py (bench/README.md, Load).

    python -m bench.load.gc_ab run --arm before|after --seconds 300 [--max-requests 300]
        [--name NAME]
    python -m bench.load.gc_ab table [NAME ...]

`run` starts gunicorn on the benchmark catalogue (`python -m bench.load.run --setup-only`
or `--keep` leaves it) with 2 workers x 8 threads, `after` with gunicorn.conf.py as it is,
`before` with bench/load/gunicorn_auto_gc.conf.py (the same, automatic collection left
on), drives it with 24 locust users sending requests back to back (bench/load/drive.py,
at most 600 s a phase), and every second notes each worker's RSS and how many requests it
has answered (its access log lines). It writes bench/load/.work/gc-ab/NAME/result.json
with the requests, p95, worker crashes (a worker that died of a signal), the workers'
RSS at the end, and RSS growth per 10,000 requests: the least-squares slope of RSS over
requests answered within each worker's life, after its first requests (2,000 of them,
or 50 with --max-requests, whose workers live 300-400 requests), averaged over the
workers weighted by the requests each served in that span. `table` prints the runs as
Markdown. Run one at a time, alternating the arms: only runs made in the same hour on
the same machine compare.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.load import catalogue
from bench.load.catalogue import ROOT, WORK

OUT = WORK / "gc-ab"
CONFIGS = {"after": ROOT / "gunicorn.conf.py",
           "before": ROOT / "bench" / "load" / "gunicorn_auto_gc.conf.py"}
USERS, THREADS, SAMPLE_SECONDS = 24, 8, 1.0
CRASH = re.compile(r"Worker \(pid:(\d+)\) was sent (SIG(?!TERM)\w+)")
GC_LINE = re.compile(r"Worker (\d+): (\d+) requests, garbage collections per generation "
                     r"\[(\d+), (\d+), (\d+)\]")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _workers(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


class Sampler(threading.Thread):
    """Every SAMPLE_SECONDS: each worker's RSS and requests answered so far (per pid)."""

    def __init__(self, master: int, log: Path):
        super().__init__(daemon=True)
        self.master, self.log, self.stop = master, log, threading.Event()
        self.served: dict[int, int] = {}
        self.samples: dict[int, list[tuple[float, int, int]]] = {}  # pid: (t, requests, kB)
        self._offset, self._t0 = 0, time.monotonic()

    def _read_log(self) -> None:
        with self.log.open("rb") as handle:
            handle.seek(self._offset)
            chunk = handle.read()
        end = chunk.rfind(b"\n") + 1
        self._offset += end
        for line in chunk[:end].decode(errors="replace").splitlines():
            if line.startswith('{"') and '"gunicorn.access"' in line:
                try:
                    pid = json.loads(line)["pid"]
                except (ValueError, KeyError):
                    continue
                self.served[pid] = self.served.get(pid, 0) + 1

    def sample(self) -> None:
        self._read_log()
        now = time.monotonic() - self._t0
        for pid in _workers(self.master):
            rss = _rss_kb(pid)
            if rss is not None:
                self.samples.setdefault(pid, []).append((now, self.served.get(pid, 0), rss))

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            self.sample()


def _slope(points: list[tuple[int, int]]) -> float | None:
    """kB per request, least squares; None for fewer than 5 points or no spread."""
    if len(points) < 5:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def growth_per_10k(samples: dict[int, list[tuple[float, int, int]]], warm: int) -> dict:
    """RSS growth in MB per 10,000 requests, over each worker's samples after `warm`
    requests, weighted by the requests in that span."""
    total, weight, lives = 0.0, 0, []
    for pid, points in samples.items():
        kept = [(requests, kb) for _, requests, kb in points if requests >= warm]
        slope = _slope(kept)
        if slope is None:
            continue
        span = kept[-1][0] - kept[0][0]
        lives.append({"pid": pid, "from": kept[0], "to": kept[-1],
                      "mb_per_10k": round(slope * 10_000 / 1024, 2)})
        total += slope * span
        weight += span
    return {"mb_per_10k": round(total / weight * 10_000 / 1024, 2) if weight else None,
            "requests_in_span": weight, "lives": lives}


def _rss_at_exit(samples: dict[int, list[tuple[float, int, int]]], alive: list[int]) -> dict:
    """The last RSS noted of the workers that ended during the run (retired after
    --max-requests, or crashed), in MB, with the requests they had answered."""
    ended = [points[-1] for pid, points in samples.items() if pid not in alive and points]
    if not ended:
        return {"workers": 0}
    return {"workers": len(ended),
            "mean_mb": round(sum(kb for *_, kb in ended) / len(ended) / 1024, 1),
            "mean_requests": round(sum(requests for _, requests, _ in ended) / len(ended))}


def run(arm: str, seconds: int, max_requests: int | None, name: str) -> dict:
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "gunicorn.log"
    port = _free_port()
    env = catalogue.app_env(
        REGISTRY_ENV="production", REGISTRY_SECRET_KEY=secrets.token_hex(32),
        REGISTRY_TRUSTED_HOSTS="127.0.0.1,localhost", REGISTRY_BIND=f"127.0.0.1:{port}",
        REGISTRY_WORKERS="2", REGISTRY_THREADS=str(THREADS),
        PROMETHEUS_MULTIPROC_DIR=str(folder / "prometheus"), PYTHONFAULTHANDLER="1")
    env.pop("GUNICORN_CMD_ARGS", None)
    if max_requests:
        env["GUNICORN_CMD_ARGS"] = f"--max-requests {max_requests} --max-requests-jitter 100"

    def no_core_files() -> None:  # core_pattern may be "core": not into the working tree
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(CONFIGS[arm]), "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=no_core_files)
    sampler = Sampler(server.pid, log_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log_path}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        sampler.start()
        drive_env = {**os.environ, "BENCH_LOAD_TARGETS": str(catalogue.TARGETS),
                     "PYTHONPATH": str(ROOT)}
        phases, left = [], seconds
        while left > 0:
            chunk = min(left, 600)
            out = subprocess.run(
                [sys.executable, "-m", "bench.load.drive", "--host", f"http://127.0.0.1:{port}",
                 "--users", str(USERS), "--rate", "0", "--seconds", str(chunk),
                 "--warmup", "2"],
                cwd=ROOT, env=drive_env, check=True, capture_output=True, text=True)
            phases.append(json.loads(out.stdout.strip().splitlines()[-1]))
            left -= chunk
        time.sleep(SAMPLE_SECONDS + 1)
        sampler.stop.set()
        sampler.join()
        sampler.sample()
        end_pids = _workers(server.pid)
        end_rss = [kb for kb in (_rss_kb(pid) for pid in end_pids) if kb]
    finally:
        sampler.stop.set()
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    text = log_path.read_text(errors="replace")
    crashes = CRASH.findall(text)
    collections = [0, 0, 0]
    for match in GC_LINE.finditer(text):
        for i in range(3):
            collections[i] += int(match.group(3 + i))
    requests = sum(p["all"]["requests"] for p in phases)
    result = {
        "name": name, "arm": arm, "started": started_at, "seconds": seconds,
        "max_requests": max_requests, "python": sys.version.split()[0],
        "requests": requests, "failures": sum(p["all"]["failures"] for p in phases),
        "rps": round(requests / sum(p["seconds"] for p in phases), 1),
        "p95_ms": max(p["all"]["p95"] for p in phases),
        "p50_ms": max(p["all"]["p50"] for p in phases),
        "load_average": round(max(p["load_average"] for p in phases), 1),
        "crashes": len(crashes), "crash_signals": sorted({sig for _, sig in crashes}),
        "worker_lives": len(sampler.samples),
        "rss_end_mb": [round(kb / 1024) for kb in end_rss],
        "growth": growth_per_10k(sampler.samples, 50 if max_requests else 2000),
        "rss_at_exit_mb": _rss_at_exit(sampler.samples, end_pids),
        "gc_collections_logged": collections if arm == "after" else None,
    }
    (folder / "samples.json").write_text(json.dumps(
        {str(pid): points for pid, points in sampler.samples.items()}))
    (folder / "result.json").write_text(json.dumps(result, indent=1))
    return result


def table(names: list[str]) -> str:
    folders = [OUT / n for n in names] if names else sorted(
        OUT.iterdir(), key=lambda f: f.stat().st_mtime)
    rows = [
        "| run | arm | length | max-requests | requests | req/s | worker crashes | p95 ms "
        "| worker RSS at end MB | RSS growth MB per 10k requests | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for folder in folders:
        path = folder / "result.json"
        if not path.exists():
            continue
        r = json.loads(path.read_text())
        arm = "GC at request boundaries" if r["arm"] == "after" else "automatic GC (as deployed)"
        growth = r["growth"]["mb_per_10k"]
        rows.append(
            f"| {r['name']} | {arm} | {r['seconds']} s | {r['max_requests'] or '-'} "
            f"| {r['requests']:,} | {r['rps']} | {r['crashes']} | {r['p95_ms']} "
            f"| {' / '.join(str(m) for m in r['rss_end_mb'])} "
            f"| {'-' if growth is None else f'{growth:+.2f}'} | {r['load_average']} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("run")
    one.add_argument("--arm", choices=sorted(CONFIGS), required=True)
    one.add_argument("--seconds", type=int, required=True)
    one.add_argument("--max-requests", type=int)
    one.add_argument("--name")
    many = sub.add_parser("table")
    many.add_argument("names", nargs="*")
    args = parser.parse_args()
    if args.command == "table":
        print(table(args.names))
        return
    if not 0 < args.seconds <= 3600:
        sys.exit("a run lasts at most an hour")
    name = args.name or f"{args.arm}-{args.seconds}s" + (
        f"-mr{args.max_requests}" if args.max_requests else "")
    result = run(args.arm, args.seconds, args.max_requests, name)
    print(json.dumps({k: v for k, v in result.items() if k != "growth"}
                     | {"growth_mb_per_10k": result["growth"]["mb_per_10k"]}))


if __name__ == "__main__":
    main()
