"""Full rebuild, a segment per buffer against one spilled segment, same run:
`.venv/bin/python -m bench.search.rebuild_speed [SIZE]` (default 10000). Or this tree's
rebuild against another commit's: `git worktree add /tmp/base COMMIT`, then
`.venv/bin/python -m bench.search.rebuild_speed --against /tmp/base [SIZE] [ROUNDS]`.

On the synthetic catalogue of SIZE interventions (bench/search/.work/SIZE, built once as
bench.search.profile_speed builds it), rebuilds the index twice, each in a fresh process
(so each peak resident memory is its own), one process each: the baseline writes one
segment, its posting buffer spilling sorted runs to disk past writing.LIMIT_MB and merged
back through Whoosh's heap merge (search_index.writing.fill before bulk.write_segments);
today's fill finishes a segment per full buffer. Reports wall and CPU seconds, peak RSS,
segments and index size of each, then times the probe's searches (bench/search/probe.py:
(a) text, (b) text + filters, (c) filters, (d) profile) on both indexes alternately in
this process: CPU p95 ms of each and the ratio, and that both find the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.search.probe import FILTERS, TEXTS, _profile, peak_rss_mb
from bench.search.profile_speed import catalogue_index, p95
from bench.search.run import WORK

BUILDS = ("spilled", "segments")


def _fill_one_spilled_segment(ix, documents) -> int:
    """writing.fill as it was: one BulkWriter, spilling past LIMIT_MB, one commit."""
    from search_index import writing
    from search_index.bulk import BulkWriter

    writer = BulkWriter(ix, limitmb=writing.LIMIT_MB, **writing.WRITER_OPTIONS)
    count = 0
    for doc in documents:
        writer.add_document(**doc)
        count += 1
    writer.commit()
    return count


def build(kind: str, size: int, out: Path, database: Path | None = None) -> dict:
    """Rebuild the catalogue's index into `out` one way (in this process)."""
    import logging

    from registry import create_app
    from registry.extensions import db
    from registry.search import sync
    from search_index import storage, writing

    if kind == "spilled":
        writing.fill = _fill_one_spilled_segment
    database = database or WORK / str(size) / "registry.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "INDEX_DIR": str(out), "SEARCH_SYNC": "off"})
    logging.disable(logging.CRITICAL)
    with app.app_context():
        start, cpu = time.perf_counter(), time.process_time()
        count = sync.rebuild(db.engine, out, procs=1)[0]
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        segments = len(storage.open_current(out)._segments())
    files = [f for f in storage.current_path(out).iterdir() if f.is_file()]
    return {"kind": kind, "documents": count, "wall_s": wall, "cpu_s": cpu,
            "peak_rss_mb": peak_rss_mb(), "segments": segments,
            "index_mb": sum(f.stat().st_size for f in files) / 1e6}


def _searches(searcher, view):
    from search_index.profile import run_profile
    from search_index.query import SearchRequest, run_search

    return {
        "a": lambda i: run_search(searcher, view, SearchRequest(TEXTS[i % 10])),
        "b": lambda i: run_search(searcher, view, SearchRequest(TEXTS[i % 10], FILTERS[i % 3])),
        "c": lambda i: run_search(searcher, view, SearchRequest("", FILTERS[i % 3])),
        "d": lambda i: run_profile(searcher, view, _profile(i)),
    }


def _found(result) -> tuple:
    """What a search or profile result found: the total and the page's ids in order."""
    return result.total, [hit[0] if isinstance(hit, tuple) else hit.intervention_id
                          for hit in result.hits]


def compare_searches(roots: dict[str, Path], rounds: int = 60) -> dict:
    """CPU ms per search kind on each index, alternating which goes first."""
    from search_index import searchers

    ways = {kind: _searches(*searchers.acquire(root)) for kind, root in roots.items()}
    cpu: dict[str, dict[str, list[float]]] = {k: {q: [] for q in "abcd"} for k in roots}
    same = True
    for i in range(-5, rounds):  # five warm-up rounds
        for query in "abcd":
            order = list(roots) if i % 2 else list(reversed(roots))
            found = {}
            for kind in order:
                start = time.thread_time()
                found[kind] = ways[kind][query](i)
                if i >= 0:
                    cpu[kind][query].append((time.thread_time() - start) * 1000)
            first, second = (_found(found[k]) for k in roots)
            same &= first == second
    searchers.release_all()
    return {"p95": {k: {q: p95(v) for q, v in by.items()} for k, by in cpu.items()},
            "same_results": same}


def _build_in(tree: Path, size: int, out: Path) -> dict:
    """A rebuild of the catalogue by the code of `tree` (a checkout of another commit),
    in a fresh process: this file run with that tree's packages first on the path."""
    database = WORK / str(size) / "registry.sqlite"
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--build", "segments", str(size),
         str(out), str(database)],
        check=True, capture_output=True, text=True, cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def against(tree: Path, size: int, rounds: int) -> None:
    """This tree's rebuild against another tree's, alternating which goes first, each in
    a fresh process; then the searches on both indexes (the same results?)."""
    here = Path(__file__).resolve().parents[2]
    trees = {"baseline": tree.resolve(), "this tree": here}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    roots = {name: WORK / str(size) / f"rebuild-{i}" for i, name in enumerate(trees)}
    for turn in range(rounds):
        for name in (list(trees) if turn % 2 == 0 else list(reversed(trees))):
            runs[name].append(_build_in(trees[name], size, roots[name]))
    base = runs["baseline"]
    print(f"| {size:,} records, {rounds} builds each | wall s | CPU s | peak RSS MB "
          "| segments | index MB |")
    print("|---|---|---|---|---|---|")
    for name, done in runs.items():
        walls = ", ".join(f"{r['wall_s']:.1f}" for r in done)
        cpus = ", ".join(f"{r['cpu_s']:.1f}" for r in done)
        ratio = sum(r["cpu_s"] for r in done) / sum(r["cpu_s"] for r in base)
        print(f"| {name} | {walls} | {cpus} ({ratio:.2f}×) | "
              f"{max(r['peak_rss_mb'] for r in done):.0f} | {done[-1]['segments']} | "
              f"{done[-1]['index_mb']:.0f} |")
    searched = compare_searches(roots)
    print(f"\nsame results on both: {searched['same_results']}")


def main() -> None:
    if sys.argv[1:2] == ["--build"]:
        kind, size, out = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
        database = Path(sys.argv[5]) if len(sys.argv) > 5 else None
        print(json.dumps(build(kind, size, out, database)))
        return
    if sys.argv[1:2] == ["--against"]:
        size = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
        rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 2
        against(Path(sys.argv[2]), size, rounds)
        return
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    if not (WORK / str(size) / "registry.sqlite").exists():
        catalogue_index(size)  # the catalogue (and an index this bench does not use)
    roots, builds = {}, []
    for kind in BUILDS:
        out = WORK / str(size) / f"rebuild-{kind}"
        done = subprocess.run([sys.executable, "-m", "bench.search.rebuild_speed", "--build",
                               kind, str(size), str(out)], check=True, capture_output=True,
                              text=True)
        builds.append(json.loads(done.stdout.strip().splitlines()[-1]))
        roots[kind] = out
    base = builds[0]
    print(f"| {size:,} records | wall s | CPU s | peak RSS MB | segments | index MB |")
    print("|---|---|---|---|---|---|")
    for row in builds:
        label = "one segment, spilled (baseline)" if row["kind"] == "spilled" else \
            "a segment per buffer"
        print(f"| {label} | {row['wall_s']:.1f} ({row['wall_s'] / base['wall_s']:.2f}×) | "
              f"{row['cpu_s']:.1f} ({row['cpu_s'] / base['cpu_s']:.2f}×) | "
              f"{row['peak_rss_mb']:.0f} | {row['segments']} | {row['index_mb']:.0f} |")
    searched = compare_searches(roots)
    print("\n| search, CPU p95 ms | " + " | ".join(BUILDS) + " | ratio |")
    print("|---|---|---|---|")
    for query in "abcd":
        one, many = (searched["p95"][k][query] for k in BUILDS)
        print(f"| ({query}) | {one:.1f} | {many:.1f} | {many / one:.2f}× |")
    print(f"\nsame results on both: {searched['same_results']}")


if __name__ == "__main__":
    main()
