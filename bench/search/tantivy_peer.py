"""The search engine against tantivy on the same documents and queries, same process:
`.venv/bin/python -m bench.search.tantivy_peer [SIZE] [QUERIES]` (defaults 10000, 200).

tantivy (the Rust engine behind Quickwit, through its Python binding; a bench-only
dependency, requirements-dev.txt) indexes the documents of the synthetic catalogue that
bench.search.profile_speed builds (the registry's own search documents: the text field,
the title, and one multi-valued keyword field per facet), with a Dutch analysis of its
own: simple tokenizer, lowercase, Dutch stop words, the Dutch Snowball stemmer (ours also
splits compounds and weights the title inside the text). Both answer, per query:

(a) text, top 20 by BM25 and the counts of every facet value among the matches;
(b) the same text with three facet filters: top 20, and per facet its counts with the
    other facets' filters (a filtered facet does not filter its own counts), which is
    one aggregation for the unfiltered facets and one per filtered facet;
(c) the three filters without text, the same counts.

Ours answers as the API, exports and feeds ask (SearchRequest's defaults). The search
page also asks, when a text finds fewer than three, for the records matching some of its
words and the counts without each word (alternatives=True), which tantivy is not asked
for: "(b), as the page asks" times that for ours beside the same tantivy query.

Texts are QUERIES word pairs never queried before (bench.search.text_speed's draw, each
pair found together in some document), run by (a) first cold (the first time either
engine sees it) and then, with (b) and (c), warm, the engines alternating which goes
first; filters cycle through bench.search.probe.FILTERS. CPU ms of the querying thread
(tantivy's search and aggregations run in the calling thread). Build: tantivy's build
of the same documents, wall and CPU seconds.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

import tantivy

from bench.search.as_served import serve_conditions
from bench.search.probe import FILTERS
from bench.search.profile_speed import catalogue_index, p95
from bench.search.run import WORK
from bench.search.text_speed import unseen_texts
from search_index import searchers
from search_index.query import SearchRequest, run_search

TOP = 20
DUTCH = "nl_stem"


def _documents(size: int) -> list[dict]:
    from registry import create_app
    from registry.extensions import db
    from registry.search.documents import iter_public_batches

    folder = WORK / str(size)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'registry.sqlite'}",
                      "INDEX_DIR": str(folder / "index"), "SEARCH_SYNC": "off"})
    with app.app_context():
        return [doc for batch in iter_public_batches(db.session) for doc in batch]


def _tantivy_index(documents: list[dict], facets: tuple[str, ...], folder: str):
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, fast=True)
    builder.add_text_field("text", tokenizer_name=DUTCH)
    builder.add_text_field("title", tokenizer_name=DUTCH)
    for facet in facets:
        builder.add_text_field(facet, tokenizer_name="raw", fast=True)
    index = tantivy.Index(builder.build(), path=folder)
    index.register_tokenizer(DUTCH, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                             .filter(tantivy.Filter.lowercase())
                             .filter(tantivy.Filter.stopword("dutch"))
                             .filter(tantivy.Filter.stemmer("dutch")).build())
    writer = index.writer(heap_size=256 * 2**20, num_threads=1)
    for doc in documents:
        fields = {"id": [int(doc["id"])], "text": [doc["text"]], "title": [doc["title_prefix"]]}
        for facet in facets:
            values = (doc.get(facet) or "").split()
            if values:
                fields[facet] = values
        writer.add_document(tantivy.Document(**fields))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def _facet_aggs(facets) -> dict:
    return {facet: {"terms": {"field": facet, "size": 500}} for facet in facets}


def _tantivy_search(index, searcher, facets, text: str, filters: dict) -> tuple:
    """(how many match, the facet counts), computed as run_search computes them (the
    top 20 by score is collected too)."""
    base = (index.parse_query(text, ["text", "title"], conjunction_by_default=True)
            if text else tantivy.Query.all_query())

    def with_filters(skip: str | None):
        clauses = [(tantivy.Occur.Must, base)]
        for facet, values in filters.items():
            if facet != skip:
                clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query([
                    (tantivy.Occur.Should, tantivy.Query.term_query(index.schema, facet, v))
                    for v in values])))
        return tantivy.Query.boolean_query(clauses)

    found = searcher.search(with_filters(None), TOP)
    hits = found.count
    counts = searcher.aggregate(with_filters(None), _facet_aggs(
        [f for f in facets if f not in filters]))
    for facet in filters:  # a filtered facet counts without its own filter
        counts |= searcher.aggregate(with_filters(facet), _facet_aggs([facet]))
    return hits, counts


def _timed(fn) -> tuple[float, float]:
    """(CPU ms of this thread, wall ms)."""
    start, wall = time.thread_time(), time.perf_counter()
    fn()
    return (time.thread_time() - start) * 1000, (time.perf_counter() - wall) * 1000


def arguments() -> tuple[str, int, int]:
    """(how freed memory is handled, SIZE, the number of queries) of a peer bench."""
    allocator = serve_conditions()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    return allocator, size, count


def catalogue(size: int) -> tuple[list[dict], object, object, tuple[str, ...]]:
    """The catalogue of SIZE: its search documents, our searcher and view of its index,
    and the facets tantivy indexes (those the documents use)."""
    root = catalogue_index(size)
    documents = _documents(size)
    whoosh_searcher, view = searchers.acquire(root)
    facets = tuple(f for f in view.facets if any(doc.get(f) for doc in documents[:500]))
    return documents, whoosh_searcher, view, facets


def main() -> None:
    allocator, size, count = arguments()
    documents, whoosh_searcher, view, facets = catalogue(size)
    with tempfile.TemporaryDirectory() as folder:
        start, cpu = time.perf_counter(), time.process_time()
        index = _tantivy_index(documents, facets, folder)
        build = (time.perf_counter() - start, time.process_time() - cpu)
        searcher = index.searcher()
        texts = unseen_texts(whoosh_searcher, view, count)
        engines = {
            "Whoosh (ours)": lambda text, filters, page: run_search(
                whoosh_searcher, view, SearchRequest(text, filters, alternatives=page)),
            "tantivy": lambda text, filters, page: _tantivy_search(
                index, searcher, facets, text, filters),
        }
        kinds = {"(a) text, top 20, all facet counts": lambda i: (texts[i], {}, False),
                 "(b) text + 3 filters + facet counts": lambda i: (
                     texts[i], FILTERS[i % 3], False),
                 "(b), as the page asks": lambda i: (texts[i], FILTERS[i % 3], True),
                 "(c) 3 filters + facet counts": lambda i: ("", FILTERS[i % 3], False)}
        cpu_ms = {(kind, engine, phase): [] for kind in kinds for engine in engines
                  for phase in ("cold", "warm")}
        wall_ms = {key: [] for key in cpu_ms}
        first = next(iter(kinds))
        for phase in ("cold", "warm"):
            for kind, args in kinds.items():
                if phase == "cold" and kind != first:
                    continue  # only (a) sees its texts for the first time
                for i in range(count):
                    order = list(engines.items())
                    for engine, run in order if i % 2 else reversed(order):
                        text, filters, page = args(i)
                        cpu, wall = _timed(lambda run=run, t=text, f=filters, p=page: run(
                            t, f, p))
                        cpu_ms[(kind, engine, phase)].append(cpu)
                        wall_ms[(kind, engine, phase)].append(wall)
        matches = (statistics.mean(run_search(whoosh_searcher, view, SearchRequest(t)).total
                                   for t in texts),
                   statistics.mean(_tantivy_search(index, searcher, facets, t, {})[0]
                                   for t in texts))
    print(f"{size} interventions ({allocator}), {count} word pairs never queried "
          "before, CPU ms per "
          f"query (p50 / p95), the engines alternating\n")
    print("| query | phase | Whoosh (ours) | tantivy | p95 ours / tantivy | wall p95 ours / "
          "tantivy |")
    print("|---|---|---|---|---|---|")
    for kind in kinds:
        for phase in ("cold", "warm"):
            if not cpu_ms[(kind, "tantivy", phase)]:
                continue
            ours = cpu_ms[(kind, "Whoosh (ours)", phase)]
            peer = cpu_ms[(kind, "tantivy", phase)]
            print(f"| {kind} | {phase} | {statistics.median(ours):.2f} / {p95(ours):.2f} | "
                  f"{statistics.median(peer):.2f} / {p95(peer):.2f} | "
                  f"{p95(ours) / p95(peer):.2f}× | "
                  f"{p95(wall_ms[(kind, 'Whoosh (ours)', phase)]):.2f} / "
                  f"{p95(wall_ms[(kind, 'tantivy', phase)]):.2f} |")
    print(f"\nMatches per text (mean): ours {matches[0]:.0f}, tantivy {matches[1]:.0f} (the "
          "analyses differ: ours splits compounds).")
    print(f"tantivy build of the {len(documents)} documents: {build[0]:.1f} s wall, "
          f"{build[1]:.1f} s CPU (one indexing thread).")


if __name__ == "__main__":
    main()
