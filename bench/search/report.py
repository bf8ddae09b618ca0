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


def _cpu(n: dict) -> str:
    return f"{n['cpu_p95']:.1f}" if "cpu_p95" in n else ""


def _builds(result: dict) -> str:
    """The full rebuild's wall and CPU time (all processes) per number of processes."""
    builds = result.get("builds") or [{"procs": result.get("build_procs", 1),
                                       "wall_s": result["build_s"],
                                       "cpu_s": result.get("build_cpu_s")}]
    parts = []
    for b in builds:
        cpu = f", {b['cpu_s']:.1f} s CPU" if b.get("cpu_s") is not None else ""
        load = f", load {b['load']:.1f}" if "load" in b else ""
        parts.append(f"{b['wall_s']:.1f} s ({b['procs']} process(es){cpu}{load})")
    older = "" if "builds" in result else " (measured before search_index/bulk.py)"
    return " / ".join(parts) + older


def table(result: dict) -> str:
    w, f = result["whoosh"], result["fts"]
    load = result.get("load")
    busy = f" Load average during the run: {load[0]:.1f} on 2 cores." if load else ""
    lines = [f"### {result['size']:,} interventions", "", (
        "Queries: (a) the page's search for text alone (match set, facet counts, top 20 by "
        "relevance), (b) the same with three facet filters, (c) three filters without text, "
        "(d) a client profile with a goal text." + busy), "",
             "| query (wall median / p95 ms; CPU p95 ms) | Whoosh | CPU | SQLite FTS5 | CPU "
             "| ratio p95 wall (CPU) |",
             "|---|---|---|---|---|---|"]
    for key, label in LABELS.items():
        ratio = w[key]["p95"] / f[key]["p95"] if f[key]["p95"] else float("nan")
        cpu = (f" ({w[key]['cpu_p95'] / f[key]['cpu_p95']:.2f}×)"
               if f[key].get("cpu_p95") else "")
        lines.append(f"| {label} | {_cell(w[key])} | {_cpu(w[key])} | {_cell(f[key])} "
                     f"| {_cpu(f[key])} | {ratio:.2f}×{cpu} |")
    if "e" in w:
        ratio = w["e"]["p95"] / w["a"]["p95"] if w["a"]["p95"] else float("nan")
        lines.append(f"| (e) query syntax as plain text (ranges, wildcards, fuzzy, fields; "
                     f"`probe.SYNTAX`) | {_cell(w['e'])} | {_cpu(w['e'])} | | "
                     f"| {ratio:.2f}× of (a) |")
    if "a_cold" in w:
        lines.append(f"| (a) first run of each text, nothing cached (p95 = slowest) "
                     f"| {_cell(w['a_cold'])} | {_cpu(w['a_cold'])} | | | |")
    lines += [
        f"| search page over HTTP (text + 3 filters) | {_cell(result['http'])} "
        f"| {_cpu(result['http'])} | | | |", "",
        f"Build: Whoosh {_builds(result)}, "
        f"{result['index_mb']:.0f} MB; "
        f"FTS5 {result['fts_build_s']:.1f} s, {result['fts_mb']:.0f} MB. "
        f"Generation {result['generate_s']:.1f} s. Facet view of a new index generation: "
        f"{result['first_view_s'] * 1000:.0f} ms. One change searchable after commit: "
        f"{result['change_s'] * 1000:.0f} ms. Peak RSS of a process that only serves "
        f"searches: {result.get('rss_mb', float('nan')):.0f} MB (the benchmark process, "
        f"FTS5 included: {result.get('probe_rss_mb', result.get('rss_mb', 0)):.0f} MB).", ""]
    return "\n".join(lines)


def write_readme(path: Path, results: list[dict]) -> None:
    body = [START, "## Search", "",
            f"Measured {date.today().isoformat()} on {platform.machine()}, "
            "`python -m bench.search.run --sizes 10000 100000`; both engines in the same run "
            "and process; 60 queries per row after 5 warm-up queries. The ten query texts "
            "and three filter sets are in `bench/search/probe.py` (see README.md, Search). "
            "Wall times on a shared machine include waiting for the CPU; the CPU column is "
            "the query's own thread time.", ""]
    body += [table(r) for r in results]
    body.append(END)
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text:
        text = text[: text.index(START)] + "\n".join(body) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + "\n".join(body) + "\n"
    path.write_text(text)
