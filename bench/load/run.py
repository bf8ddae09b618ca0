"""Load benchmark: `.venv/bin/python -m bench.load.run` (bench/README.md, "Load").

Builds (or reuses) a PostgreSQL catalogue of 10k interventions and 100k studies, starts
`gunicorn -c gunicorn.conf.py wsgi:app` on 127.0.0.1 with REGISTRY_ENV=production, and
drives it with locust (bench/load/locustfile.py, through bench/load/drive.py):

1. warm-up (discarded): 20 requests/s for 20 s;
2. uncontended: one user, requests back to back;
3. a fixed offered rate of 20 requests/s;
4. a ramp of rising offered rates, up to the first whose p95 reaches 250 ms, that has
   errors, or that the server cannot keep up with;
5. 20 requests/s again while `flask import studies` imports a 20k-record RIS file, until
   the sync worker has made every imported study searchable.

As docs/deploy.md deploys it: REGISTRY_SEARCH_SYNC=worker and one `flask index sync
--follow` at nice 10 (the unit's Nice=10) beside gunicorn.

Every phase is bounded in time and only targets 127.0.0.1. Prints a Markdown report;
`--readme` also writes it into bench/README.md. The database is dropped at the end
unless --keep (the import in phase 5 changes it anyway).
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.load import catalogue
from bench.load.catalogue import ROOT, WORK

README = ROOT / "bench" / "README.md"
START, END = "<!-- load-bench:start -->", "<!-- load-bench:end -->"
P95_LIMIT_MS = 250
FIXED_RATE = 20
IMPORT_RECORDS = 20_000
SYNC_NICE = 10  # docs/deploy.md: the sync unit's Nice=


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[int | None, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError as error:
        return None, str(error)
    finally:
        connection.close()


class Server:
    """gunicorn with the production settings, on a free port of 127.0.0.1."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = catalogue.app_env(
            REGISTRY_ENV="production", REGISTRY_SECRET_KEY=secrets.token_hex(32),
            REGISTRY_TRUSTED_HOSTS="127.0.0.1,localhost", REGISTRY_BIND=f"127.0.0.1:{self.port}",
            PROMETHEUS_MULTIPROC_DIR=str(WORK / "prometheus"),
            # A worker that crashes in C code leaves every thread's Python stack in the log.
            PYTHONFAULTHANDLER="1")
        self.log = (WORK / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.sync_log = (WORK / "sync.log").open("w")
        self.sync = subprocess.Popen(
            ["nice", "-n", str(SYNC_NICE), sys.executable, "-m", "flask", "--app", "wsgi",
             "index", "sync", "--follow"],
            cwd=ROOT, env=env, stdout=self.sync_log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self, seconds: float = 60) -> None:
        deadline, answer = time.monotonic() + seconds, ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {WORK / 'gunicorn.log'}")
            status, answer = _get(self.port, "/readyz")
            if status == 200:
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"gunicorn not ready after {seconds} s: {answer}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and its workers."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a worker that ended meanwhile
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def snapshot(self) -> tuple[float, int]:
        """(CPU seconds used, requests answered) so far, from /proc and the access log."""
        served = (WORK / "gunicorn.log").read_text(errors="replace").count('"gunicorn.access"')
        return self.cpu_seconds(), served

    def crashes(self) -> int:
        """Workers that died of a signal (a segfault, say) so far; faulthandler's stacks of
        each are in the log."""
        text = (WORK / "gunicorn.log").read_text(errors="replace")
        return text.count("Fatal Python error") or text.count("was sent SIG")

    def caught_up(self) -> bool:
        """Whether both indexes have applied every change (/readyz's lag checks at 0)."""
        status, answer = _get(self.port, "/readyz")
        try:
            checks = json.loads(answer)["checks"]
            return all(checks[name]["seconds"] == 0 for name in ("search_lag", "study_lag"))
        except (ValueError, KeyError, TypeError):
            return False

    def stop(self) -> None:
        for process in (self.sync, self.process):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.log.close()
        self.sync_log.close()


def phase(url: str, users: int, rate: float, seconds: float, warmup: float = 5,
          stop_file: Path | None = None, server: Server | None = None) -> dict:
    """One locust phase in its own process (bench/load/drive.py); its statistics, and
    with `server` gunicorn's CPU ms per request (over the phase and its warm-up)."""
    before = server.snapshot() if server else None
    command = [sys.executable, "-m", "bench.load.drive", "--host", url, "--users", str(users),
               "--rate", str(rate), "--seconds", str(seconds), "--warmup", str(warmup)]
    if stop_file is not None:
        command += ["--stop-file", str(stop_file)]
    env = {**os.environ, "BENCH_LOAD_TARGETS": str(catalogue.TARGETS), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True,
                         timeout=seconds + warmup + 120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if server:
        cpu, served = (b - a for a, b in zip(before, server.snapshot(), strict=True))
        result["server_cpu_ms"] = cpu * 1000 / served if served else None
    return result


def _passes(result: dict) -> bool:
    total = result["all"]
    kept_up = result["offered_rps"] is None or total["rps"] >= 0.95 * result["offered_rps"]
    return total["failures"] == 0 and total["p95"] < P95_LIMIT_MS and kept_up


def ramp(server: Server, seconds: float, start: int, step: int, ceiling: int) -> list[dict]:
    """Rising offered rates until one fails; then one rate halfway to narrow it down.

    Users send 0.5 requests/s each, so a user waits for a slow answer without the
    offered rate dropping until answers take 2 s.
    """
    steps, rate, last_pass = [], start, None
    while rate <= ceiling:
        result = phase(server.url, users=rate * 2, rate=0.5, seconds=seconds, server=server)
        steps.append(result)
        print(f"ramp {rate}/s: {_line(result)}", file=sys.stderr, flush=True)
        if not _passes(result):
            break
        last_pass, rate = rate, rate + step
    else:
        return steps
    if last_pass is not None and rate - last_pass > 10:
        middle = (last_pass + rate) // 2
        result = phase(server.url, users=middle * 2, rate=0.5, seconds=seconds,
                       server=server)
        steps.append(result)
        print(f"ramp {middle}/s: {_line(result)}", file=sys.stderr, flush=True)
    return steps


def with_import(server: Server, seconds_cap: float) -> dict:
    """20 requests/s while a 20k-record RIS import runs; the phase ends when the sync
    worker has applied it to both indexes (every imported study searchable).

    The file is made the way bench/import makes its files (bench/import/generate.py),
    with DOIs of its own so the records are new to the catalogue.
    """
    generate = importlib.import_module("bench.import.generate")
    file = generate.write(WORK / "import_20k.ris", "ris", IMPORT_RECORDS, seed=3,
                          offset=70_000_000)
    stop_file = WORK / "import.done"
    stop_file.unlink(missing_ok=True)
    driver = subprocess.Popen(  # the same phase as the fixed rate, ended by the stop file
        [sys.executable, "-m", "bench.load.drive", "--host", server.url,
         "--users", str(FIXED_RATE),
         "--rate", "1", "--seconds", str(seconds_cap), "--warmup", "2",
         "--stop-file", str(stop_file), "--timeline"],
        cwd=ROOT, env={**os.environ, "BENCH_LOAD_TARGETS": str(catalogue.TARGETS),
                       "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    # The driver starts (about 2 s) and warms up (3 s) before the import begins, so its
    # statistics, reset after the warm-up, cover the whole import.
    time.sleep(6)
    log = (WORK / "import.log").open("w")
    began = time.time()
    importer = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "import", "studies", str(file)],
        cwd=ROOT, env=catalogue.app_env(), stdout=log, stderr=subprocess.STDOUT)
    started = time.monotonic()
    try:
        code = importer.wait(timeout=seconds_cap)
        import_seconds = time.monotonic() - started
        committed = time.time()
        while code == 0 and not server.caught_up():
            if time.monotonic() - started > seconds_cap:
                raise RuntimeError(f"the index did not catch up in {seconds_cap} s")
            time.sleep(0.5)
        searchable_seconds = time.monotonic() - started
        searchable = time.time()
    finally:
        stop_file.touch()
        out, _ = driver.communicate(timeout=120)
        if importer.poll() is None:
            importer.kill()
            importer.wait()
        log.close()
    if code != 0:
        raise RuntimeError(f"the import failed; see {WORK / 'import.log'}")
    result = json.loads(out.strip().splitlines()[-1])
    result["import_seconds"] = import_seconds
    result["searchable_seconds"] = searchable_seconds
    result["import_records"] = IMPORT_RECORDS
    timeline = result.pop("timeline")
    result["stages"] = {
        "importing": stage_latency(timeline, began, committed),
        "indexing": stage_latency(timeline, committed, searchable),
    }
    return result


def stage_latency(timeline: list[list[float]], start: float, end: float) -> dict:
    """Requests that ended between start and end (wall clock): count, p50 and p95 ms."""
    times = sorted(ms for at, ms in timeline if start <= at < end)
    if not times:
        return {"requests": 0, "p50": None, "p95": None}
    return {"requests": len(times), "p50": times[len(times) // 2],
            "p95": times[min(len(times) - 1, int(len(times) * 0.95))]}


def _line(result: dict) -> str:
    total = result["all"]
    return (f"{total['rps']:.1f} req/s, p50 {total['p50']} p95 {total['p95']} p99 "
            f"{total['p99']} ms, {total['failures']} failed, load {result['load_average']:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of phases 2, 3, 5")
    parser.add_argument("--ramp-seconds", type=float, default=30)
    parser.add_argument("--ramp", default="40,20,240", help="start,step,ceiling (requests/s)")
    parser.add_argument("--phases", default="uncontended,fixed,ramp,import")
    parser.add_argument("--readme", action="store_true", help="write the report into README")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument("--drop-only", action="store_true")
    args = parser.parse_args()
    if args.drop_only:
        catalogue.drop()
        return
    catalogue.setup()
    if args.setup_only:
        return
    phases = args.phases.split(",")
    results: dict = {"date": date.today().isoformat(), "cpus": os.cpu_count()}
    server = Server()
    try:
        phase(server.url, users=FIXED_RATE, rate=1, seconds=20)  # warm-up, discarded
        if "uncontended" in phases:
            results["uncontended"] = phase(server.url, users=1, rate=0, seconds=args.seconds,
                                           server=server)
            print(f"uncontended: {_line(results['uncontended'])}", file=sys.stderr, flush=True)
        if "fixed" in phases:
            results["fixed"] = phase(server.url, users=FIXED_RATE, rate=1, seconds=args.seconds,
                                     server=server)
            print(f"fixed 20/s: {_line(results['fixed'])}", file=sys.stderr, flush=True)
        if "ramp" in phases:
            start, step, ceiling = map(int, args.ramp.split(","))
            results["ramp"] = ramp(server, args.ramp_seconds, start, step, ceiling)
        if "import" in phases:
            results["import"] = with_import(server, 600)
            print(f"with import: {_line(results['import'])}; by stage: "
                  f"{results['import']['stages']}", file=sys.stderr, flush=True)
    finally:
        results["worker_crashes"] = server.crashes()
        server.stop()
        if not args.keep:
            catalogue.drop()
    (WORK / "results.json").write_text(json.dumps(results, indent=1))
    from bench.load.report import markdown

    text = markdown(results)
    print(text)
    if args.readme:
        write_readme(text)


def write_readme(text: str) -> None:
    """Replace the measured part of bench/README.md's Load section (between markers)."""
    readme = README.read_text()
    block = f"{START}\n{text}\n{END}"
    if START in readme:
        head, rest = readme.split(START, 1)
        readme = head + block + rest.split(END, 1)[1]
    else:
        readme = readme.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(readme)


if __name__ == "__main__":
    main()
