"""Write the measured table (with same-run FTS5 ratios) into bench/README.md."""

from __future__ import annotations

import platform
from datetime import date
from pathlib import Path

START, END = "<!-- search-bench:start -->", "<!-- search-bench:end -->"
LABELS = {"a": "(a) two-word text, top 20", "b": "(b) text + 3 filters + all facet counts",
          "c": "(c) 3 filters only + all facet counts", "d": "(d) client profile"}


def _cell(n: dict) -> str:
    return f"{n['median']:.1f} / {n['p95']:.1f}"


def table(result: dict) -> str:
    w, f = result["whoosh"], result["fts"]
    lines = [f"### {result['size']:,} interventions", "",
             "| query (median / p95 ms) | Whoosh | SQLite FTS5 | ratio p95 (Whoosh / FTS5) |",
             "|---|---|---|---|"]
    for key, label in LABELS.items():
        ratio = w[key]["p95"] / f[key]["p95"] if f[key]["p95"] else float("nan")
        lines.append(f"| {label} | {_cell(w[key])} | {_cell(f[key])} | {ratio:.2f}× |")
    lines += [
        f"| search page over HTTP (text + 3 filters) | {_cell(result['http'])} | | |", "",
        f"Build: Whoosh {result['build_s']:.1f} s, {result['index_mb']:.0f} MB; "
        f"FTS5 {result['fts_build_s']:.1f} s, {result['fts_mb']:.0f} MB. "
        f"Generation {result['generate_s']:.1f} s. Facet view of a new index generation: "
        f"{result['first_view_s'] * 1000:.0f} ms. One change searchable after commit: "
        f"{result['change_s'] * 1000:.0f} ms. Serving process peak RSS: "
        f"{result['rss_mb']:.0f} MB.", ""]
    return "\n".join(lines)


def write_readme(path: Path, results: list[dict]) -> None:
    body = [START, "## Search", "",
            f"Measured {date.today().isoformat()} on {platform.machine()}, "
            "`python -m bench.search.run --sizes 10000 100000`; both engines in the same run "
            "and process; 60 queries per row after 5 warm-up queries.", ""]
    body += [table(r) for r in results]
    body.append(END)
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text:
        text = text[: text.index(START)] + "\n".join(body) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(body) + "\n"
    path.write_text(text)
