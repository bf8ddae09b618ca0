"""Text relevance scoring, array operations against the per-posting loop, same run:
`.venv/bin/python -m bench.search.text_speed [SIZE] [QUERIES]` (defaults 10000, 300).

Builds the synthetic catalogue of SIZE interventions and its index once (as
bench.search.profile_speed does, reused when present), then scores QUERIES word pairs
that no earlier query used, drawn with a fixed seed from the catalogue's own words (each
word in 1-50 % of the documents, both in some document), with
search_index/ranking.py's top_scored of commit BASELINE (a Python loop per posting,
loaded from git) and of today's tree, alternating which goes first, on one index view.
Each query is timed the first time either way sees it (cold: the term's postings not yet
kept as arrays; the matching documents were found before, and whichever way goes second
finds the postings decoded by the first) and again after all have run (warm). Both must
return the same documents and scores.
"""

from __future__ import annotations

import importlib.util
import random
import statistics
import subprocess
import sys
import time

from bench.search.as_served import serve_conditions
from bench.search.profile_speed import catalogue_index, p95
from search_index import ranking, searchers
from search_index.query import parse_text, text_mask

BASELINE = "7774bf3"  # the last commit that scored text postings in a Python loop
TOP = 20


def _baseline_module():
    source = subprocess.run(["git", "show", f"{BASELINE}:search_index/ranking.py"],
                            check=True, capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("ranking_baseline", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, "ranking_baseline.py", "exec"), module.__dict__)  # noqa: S102
    return module


def _word_pairs(searcher):
    """Distinct pairs of the catalogue's words of moderate frequency, in a fixed order."""
    reader = searcher.reader()
    docs = reader.doc_count()
    words = sorted(text for text, freq in (
        (term.decode() if isinstance(term, bytes) else term, reader.doc_frequency("text", term))
        for term in reader.lexicon("text"))
        if docs * 0.01 <= freq <= docs * 0.5 and text.isalpha() and len(text) > 3)
    chooser = random.Random(16)
    seen: set[str] = set()
    while True:
        pair = " ".join(chooser.sample(words, 2))
        if pair not in seen:
            seen.add(pair)
            yield pair


def unseen_texts(searcher, view, count: int) -> list[str]:
    """The first `count` pairs of _word_pairs that some document has both words of."""
    texts = []
    for text in _word_pairs(searcher):
        if text_mask(searcher, view, parse_text(searcher, text, view)):
            texts.append(text)
            if len(texts) == count:
                break
    return texts


def _timed(way, searcher, view, query, mask) -> tuple[float, list]:
    start = time.thread_time()
    found = way.top_scored(searcher, view, query, mask, TOP)
    return (time.thread_time() - start) * 1000, found


def main() -> None:
    allocator = serve_conditions()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    ways = {"per-posting loop (baseline)": _baseline_module(), "arrays": ranking}
    searcher, view = searchers.acquire(catalogue_index(size))
    queries = [parse_text(searcher, text, view) for text in unseen_texts(searcher, view, count)]
    masks = [text_mask(searcher, view, query) for query in queries]
    cpu = {(name, phase): [] for name in ways for phase in ("cold", "warm")}
    for phase in ("cold", "warm"):
        for i, (query, mask) in enumerate(zip(queries, masks, strict=True)):
            order = list(ways.items()) if i % 2 else list(reversed(ways.items()))
            results = []
            for name, way in order:
                ms, found = _timed(way, searcher, view, query, mask)
                cpu[(name, phase)].append(ms)
                results.append([(doc, round(score, 9)) for doc, score in found])
            assert results[0] == results[1], (query, results)
    print(f"{size} interventions ({allocator}), {count} word pairs never queried "
          "before (each found in "
          f"some document), top {TOP}, CPU ms per query\n")
    print("| scoring | cold p50 | cold p95 | warm p50 | warm p95 | warm p95 / baseline |")
    print("|---|---|---|---|---|---|")
    base = p95(cpu[("per-posting loop (baseline)", "warm")])
    for name in ways:
        cold, warm = cpu[(name, "cold")], cpu[(name, "warm")]
        print(f"| {name} | {statistics.median(cold):.2f} | {p95(cold):.2f} | "
              f"{statistics.median(warm):.2f} | {p95(warm):.2f} | {p95(warm) / base:.2f}× |")


if __name__ == "__main__":
    main()
