"""What a page costs beyond its search engine: `.venv/bin/python -m bench.search.page_overhead
[SIZE] [ROUNDS]` (defaults 10000 and 200).

On the synthetic catalogue of SIZE interventions (bench/search/.work/SIZE, SQLite, built
once as bench.search.profile_speed builds it), through Flask's test client in one
process: the search page with text, with text and filters, and the profile page, with
the load benchmark's request mix (bench/load/mix.py). (The intervention page has no
engine, and this catalogue's interventions link no studies: bench.load.profile measures
it on the load catalogue.) For
each search request the engine's own CPU time (search_index's run_search / run_profile,
timed by wrapping them in this process) is taken from the same request, so a page and
its engine are measured together. Reports per kind p50 / p95 CPU ms of the page and of
the engine, and the target of issue 16: the page's p95 within the engine's p95 + 10 ms;
then per kind the pages whose URL this run had not asked for before (a first view: its
summaries not yet analysed, its hits' harm not yet known) apart from the repeats.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from bench.load import mix
from bench.search.as_served import serve_conditions
from bench.search.profile_speed import catalogue_index, p95
from bench.search.run import WORK

KINDS = ("search", "search_filtered", "profile_page")
ALLOWED_MS = 10.0


def _timed_engine(spent: list[float]) -> None:
    """Wrap the engine's entry points as registry.search.service calls them."""
    from registry.search import service

    for name in ("run_search", "run_profile"):
        function = getattr(service, name)

        def timed(*args, _function=function, **kwargs):
            start = time.thread_time()
            try:
                return _function(*args, **kwargs)
            finally:
                spent[0] += time.thread_time() - start

        setattr(service, name, timed)


def measure(size: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    import logging

    from registry import create_app

    catalogue_index(size)
    folder = WORK / str(size)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'registry.sqlite'}",
                      "INDEX_DIR": str(folder / "index"), "SEARCH_SYNC": "off"})
    logging.disable(logging.INFO)
    spent = [0.0]
    _timed_engine(spent)
    client = app.test_client()
    rng = random.Random(11)
    measured: dict[str, dict[str, list[float]]] = {
        k: {"page": [], "engine": [], "first": [], "repeat": []} for k in KINDS}
    asked: set[str] = set()
    for round_number in range(-5, rounds):  # five warm-up rounds
        for kind in KINDS:
            path = mix.url(kind, rng, {})
            first = path not in asked
            asked.add(path)
            spent[0] = 0.0
            start = time.thread_time()
            response = client.get(path)
            page = (time.thread_time() - start) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if round_number >= 0:
                measured[kind]["page"].append(page)
                measured[kind]["engine"].append(spent[0] * 1000)
                measured[kind]["first" if first else "repeat"].append(page)
    return measured


def main() -> None:
    allocator = serve_conditions()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    measured = measure(size, rounds)
    print(f"| page ({size:,} interventions, {rounds} requests, CPU ms; {allocator}) | "
          "page p50 / p95 | "
          "engine p50 / p95 | page p95 − engine p95 | within engine p95 + 10 ms |")
    print("|---|---|---|---|---|")
    for kind, parts in measured.items():
        page, engine = parts["page"], parts["engine"]
        gap = p95(page) - p95(engine)
        engine_cell = f"{statistics.median(engine):.1f} / {p95(engine):.1f}"
        verdict = "yes" if gap <= ALLOWED_MS else "no"
        print(f"| {kind} | {statistics.median(page):.1f} / {p95(page):.1f} | {engine_cell} | "
              f"{gap:.1f} | {verdict} |")
    print("\n| page | first views | their p50 / p95 | repeats | their p50 / p95 |")
    print("|---|---|---|---|---|")
    for kind, parts in measured.items():
        cells = [f"{len(parts[k])} | " + (f"{statistics.median(parts[k]):.1f} / {p95(parts[k]):.1f}"
                                         if parts[k] else "–") for k in ("first", "repeat")]
        print(f"| {kind} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
