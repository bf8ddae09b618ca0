"""The search engine alone on unseen texts: `.venv/bin/python -m bench.search.engine_alone
[SIZE] [COUNT]` (defaults 10000 and 200).

On the synthetic catalogue of SIZE interventions (built once, as bench.search.profile_speed
builds it), the COUNT word pairs of bench.search.text_speed that no query used before, each
searched (a) alone, top 20 with every facet's counts, and (b) with one of the three filter
sets of bench.search.probe: first the first time each text is seen, then three times warm.
Prints p50 / p95 CPU ms of run_search per row, as one line. No peer engine and no web
layer: to compare two versions of the engine, run this from each tree in turn (a git
worktree sharing bench/search/.work), alternating, several times; the machine's speed
drifts by half within minutes, so only pairs run one after the other compare.
"""

from __future__ import annotations

import statistics
import sys
import time

from bench.search.as_served import serve_conditions
from bench.search.probe import FILTERS
from bench.search.profile_speed import catalogue_index, p95
from bench.search.text_speed import unseen_texts
from search_index import searchers
from search_index.query import SearchRequest, run_search

WARM_ROUNDS = 3


def _timed(searcher, view, request: SearchRequest) -> float:
    start = time.thread_time()
    run_search(searcher, view, request)
    return (time.thread_time() - start) * 1000


def main() -> None:
    allocator = serve_conditions()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    searcher, view = searchers.acquire(catalogue_index(size))
    texts = unseen_texts(searcher, view, count)
    kinds = {"(a) text": lambda i: SearchRequest(texts[i]),
             "(b) text + 3 filters": lambda i: SearchRequest(texts[i], FILTERS[i % 3])}
    cells = []
    for kind, request in kinds.items():
        first = [_timed(searcher, view, request(i)) for i in range(count)]
        warm = [_timed(searcher, view, request(i))
                for _ in range(WARM_ROUNDS) for i in range(count)]
        cells.append(f"{kind}: first {statistics.median(first):.2f} / {p95(first):.2f}, "
                     f"warm {statistics.median(warm):.2f} / {p95(warm):.2f}")
    print(f"{size} interventions ({allocator}), {count} unseen texts, "
          "CPU ms p50 / p95 | " + " | ".join(cells))


if __name__ == "__main__":
    main()
