"""Does a page cost more because the catalogue grew? `.venv/bin/python -m bench.load.growth`.

Issue 9's last load target: no page may cost more than a search page because the
catalogue grew (the home page once took 1.3 s at 2,000 interventions because it loaded
every one of them). The load catalogue (10,000 interventions, 100,000 studies) is measured
beside one a tenth of its size with the same make-up (1,000 interventions, ten studies
each, from the same generator), each on its own PostgreSQL database (bench.load.catalogue,
BENCH_LOAD_INTERVENTIONS). Every kind of page of the load mix is requested through the
app's test client in a fresh process per catalogue (bench.load.profile --json), the
catalogues taking turns, ROUNDS requests per kind and turn, two turns each.

Reported per kind: CPU ms and wall ms per request (median of the turns' medians; wall
time includes the database's work, which CPU time of this process does not) on each
catalogue, the growth (large / small), and the spread between the two turns on the same
catalogue (the noise this run can tell apart). A page other than the search pages passes
when in both measures its growth is no more than the text search page's, or within its
own turn-to-turn spread, plus CONTENT_NOISE (the records differ between catalogues): a
search page's engine counts over ten times as many documents, so its growth is the
allowance the issue names. The intervention and study pages' cost
depends on the record (its studies and findings), so ROUNDS is large enough for the
draws to even out.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.load import mix

ROOT = Path(__file__).resolve().parents[2]
SIZES = (1_000, 10_000)
REFERENCE = "search"  # the text search page: what the issue allows a page to grow by
# The search pages themselves: their engine's work grows with the catalogue (issue 16's
# targets measure it at 100k); the target is about every other page.
SEARCH_KINDS = ("search", "search_filtered", "profile_page", "profile_api")
# The two catalogues hold different records, so a record page's cost differs between them
# by what was drawn: two draws of 380 intervention pages from one catalogue differed by 3 %
# (24.2 and 23.5 ms). The turns repeat the same draws, so their spread does not show it.
CONTENT_NOISE = 0.05


def _env(size: int) -> dict[str, str]:
    return {**os.environ, "BENCH_LOAD_INTERVENTIONS": str(size), "PYTHONPATH": str(ROOT)}


def setup(size: int) -> None:
    """The catalogue of this size, made once and then reused (bench.load.catalogue)."""
    subprocess.run([sys.executable, "-c", "from bench.load import catalogue; catalogue.setup()"],
                   cwd=ROOT, env=_env(size), check=True)


def measure(size: int, rounds: int, kinds: list[str]) -> dict:
    """One turn: per kind the profile's figures, from a fresh process."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.load.profile", "--json", "--rounds", str(rounds),
         "--kinds", ",".join(kinds)],
        cwd=ROOT, env=_env(size), check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


MEASURES = ("cpu", "wall")  # the process's CPU; wall time adds the database's work


def summarise(turns: dict[int, list[dict]], kinds: list[str]) -> list[dict]:
    """Per kind and measure: the median per size, the growth, and the larger
    turn-to-turn spread; a kind passes when each measure's growth is within the
    search page's growth or its own spread, plus CONTENT_NOISE."""
    small, large = SIZES
    rows = []
    for kind in kinds:
        row: dict = {"kind": kind}
        for measure in MEASURES:
            got = {size: [turn[kind][f"{measure}_median"] for turn in turns[size]]
                   for size in SIZES}
            row[measure] = {
                "small": statistics.median(got[small]),
                "large": statistics.median(got[large]),
                "spread": max((max(v) - min(v)) / statistics.mean(v) for v in got.values()),
            }
            row[measure]["growth"] = row[measure]["large"] / row[measure]["small"]
        rows.append(row)
    reference = next(row for row in rows if row["kind"] == REFERENCE)
    for row in rows:
        row["passes"] = None if row["kind"] in SEARCH_KINDS else all(
            row[m]["growth"] <= max(reference[m]["growth"], 1 + row[m]["spread"]) + CONTENT_NOISE
            for m in MEASURES)
    return rows


def report(rows: list[dict], rounds: int) -> str:
    small, large = SIZES
    lines = [
        f"{rounds} requests per kind and turn, two turns per catalogue, load average "
        f"{os.getloadavg()[0]:.1f} at the end",
        "",
        f"| page | CPU ms p50, {small:,} → {large:,} interventions | growth (spread) | "
        f"wall ms p50, {small:,} → {large:,} | growth (spread) | "
        "within the search page's growth |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [f"{row[m]['small']:.1f} → {row[m]['large']:.1f} | {row[m]['growth']:.2f}× "
                 f"({row[m]['spread'] * 100:.0f} %)" for m in MEASURES]
        lines.append(f"| {row['kind']} | {' | '.join(cells)} | "
                     f"{_verdict(row['passes'])} |")
    return "\n".join(lines)


def _verdict(passes: bool | None) -> str:
    return "a search page" if passes is None else "yes" if passes else "**no**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--kinds", default=",".join(mix.KINDS))
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    for size in SIZES:
        setup(size)
    turns: dict[int, list[dict]] = {size: [] for size in SIZES}
    for _turn in range(2):
        for size in SIZES:
            turns[size].append(measure(size, args.rounds, kinds))
    print(report(summarise(turns, kinds), args.rounds))


if __name__ == "__main__":
    main()
