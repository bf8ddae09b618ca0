"""Measure one catalogue in a fresh process (so its memory is the serving process's).

python -m bench.search.probe DATABASE_URL INDEX_DIR FTS_PATH  -> JSON on stdout
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.serving import make_server

from bench.search import fts
from registry import create_app
from registry.extensions import db
from search_index import searchers
from search_index.profile import ClientProfile, run_profile
from search_index.query import SearchRequest, run_search

# What a klantmanager types: a method or problem plus a group, two words each. One broad
# query ("begeleiding werk") matches about half the catalogue, as it would in reality.
TEXTS = ["schuldhulp jongeren", "jobcoach autisme", "taalcursus statushouders",
         "werkervaringsplaats bijstand", "psychische klachten", "loonkostensubsidie werkgever",
         "proefplaatsing uitkering", "alleenstaande ouders", "beschut werk",
         "begeleiding werk"]
FILTERS = [
    {"barrier": ["debt", "language"], "age_band": ["under_27"], "domain": ["participatiewet"]},
    {"barrier": ["mental_health"], "target_group": ["social_assistance"], "phase": ["guidance"]},
    {"region": ["national", "utrecht"], "support_need": ["high"], "delivery_form": ["group"]},
]
ROUNDS = 60
# Query syntax that once expanded over the whole term list (one "[a TO z]" cost 79 s of
# CPU at 10k records): now plain text, it must cost what an ordinary query costs.
SYNTAX = ["[a TO z]", "w* b* s*", "*", "schuld~2", "title:schuld", "year:[2000 TO]",
          "(jobcoach OR schuld*) AND NOT z*", "\"begeleiding werk\"~5^3"]


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not getrusage: on Linux its ru_maxrss keeps
    the parent's peak across fork and exec (the benchmark driver's, here)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _time(fn, rounds: int = ROUNDS, clock=time.thread_time) -> dict:
    for i in range(5):
        fn(i)
    samples, cpu = [], []
    for i in range(rounds):
        start, start_cpu = time.perf_counter(), clock()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((clock() - start_cpu) * 1000)
    samples.sort()
    cpu.sort()
    # CPU time of this thread too: on a shared, loaded machine wall time mostly measures
    # the other processes, CPU time what the query itself costs.
    return {"median": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1],
            "cpu_p95": cpu[int(len(cpu) * 0.95) - 1]}


def _profile(i: int) -> ClientProfile:
    return ClientProfile(rung=2 + i % 3, age_band=["under_27", "55_plus"][i % 2],
                         barriers=["debt", "language"], target_groups=["newcomers"],
                         domains=["participatiewet"], phases=["guidance"], goal=TEXTS[i % 10])


def _cold(fn) -> dict:
    """Each query text once, first thing: nothing of it cached yet (p95 = the slowest)."""
    wall, cpu = [], []
    for i in range(len(TEXTS)):
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn(i)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return {"median": statistics.median(wall), "p95": max(wall), "cpu_p95": max(cpu)}


def whoosh_numbers(root: Path) -> dict:
    searcher, view = searchers.acquire(root)
    cold = _cold(lambda i: run_search(searcher, view, SearchRequest(TEXTS[i])))
    return {
        "a_cold": cold,
        # What the page runs for text alone: match set, facet counts, top 20 by score.
        "a": _time(lambda i: run_search(searcher, view, SearchRequest(TEXTS[i % 10]))),
        "b": _time(lambda i: run_search(searcher, view, SearchRequest(
            TEXTS[i % 10], FILTERS[i % 3]))),
        "c": _time(lambda i: run_search(searcher, view, SearchRequest("", FILTERS[i % 3]))),
        "d": _time(lambda i: run_profile(searcher, view, _profile(i))),
        "e": _time(lambda i: run_search(searcher, view, SearchRequest(
            SYNTAX[i % len(SYNTAX)]))),
    }


def fts_numbers(path: str) -> dict:
    con = sqlite3.connect(path)

    def pairs(i):
        p = _profile(i)
        return [("ladder_rung", str(p.rung)), ("age_band", p.age_band)] + [
            ("barrier", b) for b in p.barriers] + [("target_group", "newcomers")]

    return {
        "a": _time(lambda i: fts.search(con, TEXTS[i % 10], {}, counts=False)),
        "b": _time(lambda i: fts.search(con, TEXTS[i % 10], FILTERS[i % 3], counts=True)),
        "c": _time(lambda i: fts.search(con, "", FILTERS[i % 3], counts=True)),
        "d": _time(lambda i: fts.profile(con, pairs(i))),
    }


def http_numbers(app) -> dict:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port)

    def get(i):
        query = urlencode({"q": TEXTS[i % 10], **FILTERS[i % 3]}, doseq=True)
        conn.request("GET", f"/zoeken?{query}")
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status

    numbers = _time(get, 40, clock=time.process_time)  # the server runs in another thread
    server.shutdown()
    return numbers


def change_latency(root: Path) -> float:
    """Seconds from commit of a title change until a search finds the new word."""
    from registry.models import Intervention

    item = db.session.get(Intervention, 7)
    item.published_version.title = "Zeldzaamwoord traject"
    start = time.perf_counter()
    db.session.commit()
    searcher, view = searchers.acquire(root)
    found = run_search(searcher, view, SearchRequest("zeldzaamwoord")).total
    elapsed = time.perf_counter() - start
    assert found == 1, found
    return elapsed


def main(database_url: str, index_dir: str, fts_path: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INDEX_DIR": index_dir,
                      "SEARCH_SYNC": "inline"})
    root = Path(index_dir)
    with app.app_context():
        started = time.perf_counter()
        searchers.acquire(root)
        result = {"first_view_s": time.perf_counter() - started}
        result["whoosh"] = whoosh_numbers(root)
        result["fts"] = fts_numbers(fts_path)
        result["http"] = http_numbers(app)
        result["probe_rss_mb"] = peak_rss_mb()
        result["change_s"] = change_latency(root)
    result["load"] = os.getloadavg()  # the machine is shared: say how busy it was
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:4])
