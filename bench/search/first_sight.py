"""The first sight of a word, read from the postings arrays or from Whoosh's blocks:
`.venv/bin/python -m bench.search.first_sight [SIZE] [COUNT]` (defaults 10000 and 200).

On the synthetic catalogue of SIZE interventions (bench/search/.work/SIZE), its index as
a full build of this code writes it (with search_index/postings_arrays.py's files; the
index is rebuilt once if it has none) and a copy of the same segment files without them
(hard links), which is what every index was before. COUNT word pairs never searched
before (bench.search.text_speed's draw), each searched on both indexes, the order
alternating, first cold (no term of the pair read yet on that index) and then warm: the
search page's query (text, top 20, all facet counts: run_search). The draw itself reads
the words' postings, so both indexes' term caches are emptied after it and their views
warmed as a gunicorn worker warms them (registry.search.service.warm_up). Reports CPU ms
of the querying thread, p50 / p95, and the ratio of the p95s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.search.as_served import serve_conditions
from bench.search.profile_speed import catalogue_index, p95
from bench.search.run import WORK
from bench.search.text_speed import unseen_texts
from search_index import searchers, storage
from search_index.query import SearchRequest, run_search
from search_index.schema import ENGLISH_FIELD, TEXT_FIELDS
from search_index.segments import SEGMENTS

WAYS = ("blocks (before)", "arrays")


def index_with_arrays(size: int) -> Path:
    """The catalogue's index, rebuilt once by this code if it has no postings arrays."""
    root = catalogue_index(size)
    if not list(storage.current_path(root).glob("*.pa_ids.npy")):
        import logging

        from registry import create_app
        from registry.extensions import db
        from registry.search import sync

        folder = WORK / str(size)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'registry.sqlite'}",
                          "INDEX_DIR": str(root), "SEARCH_SYNC": "off"})
        logging.disable(logging.INFO)
        with app.app_context():
            start, cpu = time.perf_counter(), time.process_time()
            sync.rebuild(db.engine, root, procs=1)
            print(f"rebuilt in one process: {time.perf_counter() - start:.1f} s wall, "
                  f"{time.process_time() - cpu:.1f} s CPU")
    return root


def _megabytes(files) -> float:
    return sum(file.stat().st_size for file in files) / 1e6


def blocks_only_copy(root: Path, size: int) -> Path:
    """The same generation's files without the postings arrays, as an index root."""
    copy = WORK / str(size) / "index-blocks"
    shutil.rmtree(copy, ignore_errors=True)
    generation = copy / "gen-copy"
    generation.mkdir(parents=True)
    for file in storage.current_path(root).iterdir():
        if file.is_file() and ".pa_" not in file.name and not file.name.endswith("LOCK"):
            os.link(file, generation / file.name)
    os.symlink(generation.name, copy / storage.CURRENT)
    return copy


def main() -> None:
    allocator = serve_conditions()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    roots = dict(zip(WAYS, (None, index_with_arrays(size)), strict=True))
    roots[WAYS[0]] = blocks_only_copy(roots[WAYS[1]], size)
    texts = unseen_texts(*searchers.acquire(roots[WAYS[1]]), count)
    searchers.release_all()
    SEGMENTS._data.clear()  # the draw read every word's postings: forget them
    for root in roots.values():
        searchers.warm(root, (*TEXT_FIELDS, ENGLISH_FIELD))
    opened = {way: searchers.acquire(root) for way, root in roots.items()}
    cpu: dict[tuple[str, str], list[float]] = {(w, p): [] for w in WAYS for p in ("cold", "warm")}
    same = True
    for phase in ("cold", "warm"):
        for i, text in enumerate(texts):
            found = {}
            for way in WAYS if i % 2 else reversed(WAYS):
                start = time.thread_time()
                result = run_search(*opened[way], SearchRequest(text))
                cpu[(way, phase)].append((time.thread_time() - start) * 1000)
                found[way] = (result.total, [doc for doc, _ in result.hits])
            same &= found[WAYS[0]] == found[WAYS[1]]
    print(f"{size} interventions ({allocator}), {count} word pairs never searched "
          "before; run_search "
          f"(text, top 20, all facet counts), CPU ms p50 / p95; load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| phase | " + " | ".join(WAYS) + " | p95 arrays / blocks |")
    print("|---|---|---|---|")
    for phase in ("cold", "warm"):
        cells = [f"{statistics.median(cpu[(w, phase)]):.2f} / {p95(cpu[(w, phase)]):.2f}"
                 for w in WAYS]
        ratio = p95(cpu[(WAYS[1], phase)]) / p95(cpu[(WAYS[0], phase)])
        print(f"| {phase} | " + " | ".join(cells) + f" | {ratio:.2f}× |")
    print(f"\nSame documents in the same order on every query: {same}.")
    folder = storage.current_path(roots[WAYS[1]])
    print(f"Index {_megabytes(f for f in folder.iterdir() if '.pa_' not in f.name):.0f} MB, "
          f"postings arrays {_megabytes(folder.glob('*.pa_*.npy')):.0f} MB.")


if __name__ == "__main__":
    main()
