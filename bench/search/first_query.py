"""The first search of a new process against a warm one, with and without the warm-up a
server runs before serving: `.venv/bin/python -m bench.search.first_query [SIZE]
[ROUNDS]` (defaults 10000, 5).

Each round starts two fresh processes on the synthetic catalogue's index
(bench.search.profile_speed builds it): one searches at once, the other first runs
registry.search.service.warm_up, as gunicorn.conf.py's post_worker_init does. Each then
runs a text search (the page's: match set, facet counts, top 20) of a word pair, then of
nine more, no word used twice: "warm" is the median of those, the same kind of query (its
words' postings decoded for the first time) in a process that has served before. Wall
ms (the process is alone on a core).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from bench.search.profile_speed import catalogue_index
from bench.search.run import WORK


def child(size: int, warm: bool, round_number: int) -> dict:
    from registry import create_app
    from registry.search.service import warm_up
    from search_index import searchers
    from search_index.query import SearchRequest, run_search

    folder = WORK / str(size)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'registry.sqlite'}",
                      "INDEX_DIR": str(folder / "index"), "SEARCH_SYNC": "off"})
    with app.app_context():
        started = time.perf_counter()
        if warm:
            warm_up(app)
        warm_ms = (time.perf_counter() - started) * 1000
        texts = _texts(folder, round_number)

        def timed(text: str) -> float:
            start = time.perf_counter()
            searcher, view = searchers.acquire(folder / "index")
            run_search(searcher, view, SearchRequest(text))
            return (time.perf_counter() - start) * 1000

        first = timed(texts[0])
        later = [timed(text) for text in texts[1:]]
    return {"warm_up": warm_ms, "first": first, "warm": statistics.median(later)}


def _texts(folder, round_number: int) -> list[str]:
    """Ten two-word texts of the catalogue's own words (text_speed's draw), no word used
    twice in this process nor in another round's: each search decodes its words anew."""
    from bench.search.text_speed import _word_pairs
    from search_index.storage import open_current

    with open_current(folder / "index").searcher() as lexicon:  # not the searchers' cache
        seen: set[str] = set()
        pairs = []
        for pair in _word_pairs(lexicon):
            words = set(pair.split())
            if words & seen:
                continue
            seen |= words
            pairs.append(pair)
            if len(pairs) == (round_number + 1) * 10:
                return pairs[round_number * 10:]
    return pairs


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(int(sys.argv[2]), sys.argv[3] == "warm", int(sys.argv[4]))))
        return
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    catalogue_index(size)
    runs: dict[str, list[dict]] = {"no warm-up (before)": [], "warm-up at start": []}
    for round_number in range(rounds):
        for name, mode in (("no warm-up (before)", "cold"), ("warm-up at start", "warm")):
            out = subprocess.run([sys.executable, "-m", "bench.search.first_query", "--child",
                                  str(size), mode, str(round_number)],
                                 check=True, capture_output=True, text=True).stdout
            runs[name].append(json.loads(out.strip().splitlines()[-1]))
    print(f"{size} interventions, {rounds} rounds, wall ms (medians over the rounds)\n")
    print("| process | warm-up ms | first search ms | warm search ms | first / warm |")
    print("|---|---|---|---|---|")
    for name, found in runs.items():
        first = statistics.median(r["first"] for r in found)
        warm = statistics.median(r["warm"] for r in found)
        print(f"| {name} | {statistics.median(r['warm_up'] for r in found):.0f} | "
              f"{first:.1f} | {warm:.1f} | {first / warm:.1f}× |")


if __name__ == "__main__":
    main()
