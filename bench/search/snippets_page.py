"""Search page with kept summary analyses: `.venv/bin/python -m bench.search.snippets_page`.

On the evidence benchmark's catalogue (10k interventions, SQLite; bench/evidence builds
it), the search page for text queries through Flask's test client, the snippet made two
ways, alternating request by request in one process: Whoosh's highlighter (what the
page used before, the baseline) and registry/search/snippets.py. Each query text is
used once per way warm-up first, then measured; CPU ms per page (bench/README.md,
"Search page: snippets").
"""

from __future__ import annotations

import statistics
import time

from markupsafe import Markup
from whoosh import highlight

from bench.evidence import run as evidence
from registry.search import service
from search_index.analysis import DUTCH_ANALYZER

QUERIES = ("schuldhulp", "werk begeleiding", "jongeren", "taal", "participatie", "jobcoach",
           "re-integratie", "werkervaring", "bijstand", "psychische klachten")


def whoosh_snippet(intervention, terms):
    summary = intervention.published_version.summary or ""
    if terms:
        fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
        formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        marked = highlight.highlight(summary, terms, DUTCH_ANALYZER, fragmenter, formatter)
        if marked:
            return Markup(marked)  # noqa: S704
    return Markup.escape(summary[:240])


def main() -> None:
    app = evidence._app()
    client = app.test_client()
    kept = service._snippet
    ways = {"Whoosh highlighter (baseline)": whoosh_snippet, "kept analyses": kept}
    timings = {name: [] for name in ways}
    for way in ways.values():  # warm: index view, templates, kept analyses
        service._snippet = way
        for query in QUERIES:
            client.get(f"/zoeken?q={query}")
    for _round in range(20):
        for query in QUERIES:
            for name, way in ways.items():
                service._snippet = way
                cpu = time.process_time()
                assert client.get(f"/zoeken?q={query}").status_code == 200
                timings[name].append((time.process_time() - cpu) * 1000)
    service._snippet = kept
    base = statistics.quantiles(timings["Whoosh highlighter (baseline)"], n=100)[94]
    print("| snippet | p50 ms | p95 ms | p95 / baseline |\n|---|---|---|---|")
    for name, values in timings.items():
        p50, p95 = statistics.median(values), statistics.quantiles(values, n=100)[94]
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p95 / base:.2f}× |")


if __name__ == "__main__":
    main()
