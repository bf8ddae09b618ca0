"""Evidence pages benchmark: `.venv/bin/python -m bench.evidence.run [--requests 300]`.

At 10k interventions and 30k studies with findings (flask demo generate, SQLite, in its
own folder), in one process through Flask's test client: the plain intervention page (an
intervention without effect studies) as the baseline, the intervention page with forest
plots (interventions with at least four findings), and the evidence gap map
(/bewijskaart, all three column choices; kept per index generation, so also measured
with nothing cached, as after an index change). Requests alternate between the kinds;
each is timed in CPU (time.process_time) and wall time. Prints a Markdown table with p50/p95 and
each kind's p95 as a ratio to the baseline's, from the same run (bench/README.md,
"Evidence pages"; target: at most 2×).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

WORK = Path(os.environ.get("BENCH_EVIDENCE_DIR", Path(tempfile.gettempdir()) / "bench_evidence"))
INTERVENTIONS, STUDIES = 10_000, 30_000
SAMPLE = 60


def _app():
    from registry import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{WORK / 'evidence.sqlite'}",
                       "SEARCH_SYNC": "off", "INDEX_DIR": str(WORK / "index")})


def _build(app) -> None:
    from flask_migrate import upgrade

    from registry.demo.generator import generate
    from registry.extensions import db
    from registry.search.sync import rebuild_all

    with app.app_context():
        upgrade()
        generate(INTERVENTIONS, STUDIES, bulk=True)
        db.session.commit()
        rebuild_all(db.engine, Path(app.config["INDEX_DIR"]))


def _upgrade(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def _targets(app) -> tuple[list[str], list[str]]:
    from sqlalchemy import func, select

    from registry.extensions import db
    from registry.models import Finding, Intervention, InterventionStudy

    with app.app_context():
        counts = dict(db.session.execute(
            select(InterventionStudy.intervention_id, func.count(Finding.id))
            .join(Finding, Finding.study_id == InterventionStudy.study_id)
            .group_by(InterventionStudy.intervention_id)).all())
        slugs = dict(db.session.execute(select(Intervention.id, Intervention.slug)).all())
    rng = random.Random(7)
    plain = [slugs[i] for i in slugs if i not in counts]
    rich = [slugs[i] for i, n in counts.items() if n >= 4]
    return rng.sample(plain, min(SAMPLE, len(plain))), rng.sample(rich, min(SAMPLE, len(rich)))


def _time(client, url: str) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    app = _app()
    if not (WORK / "evidence.sqlite").exists():
        started = time.perf_counter()
        _build(app)
        print(f"catalogue built in {time.perf_counter() - started:.0f} s")
    else:
        _upgrade(app)  # a kept catalogue may predate a new migration
    plain, rich = _targets(app)
    kinds = {
        "plain intervention page (baseline)": [f"/interventies/{s}" for s in plain],
        "intervention page with forest plots": [f"/interventies/{s}" for s in rich],
        "evidence gap map": [f"/bewijskaart?columns={c}"
                             for c in ("target_group", "barrier", "ladder_rung")],
    }
    client = app.test_client()
    for urls in kinds.values():  # warm: index view, templates, caches
        for url in urls[:5]:
            _time(client, url)
    timings = {kind: [] for kind in kinds}
    for n in range(args.requests):
        for kind, urls in kinds.items():
            timings[kind].append(_time(client, urls[n % len(urls)]))
    # A map after an index change: nothing cached (the maps and the study sets are kept
    # per index generation).
    from registry.search import evidence_map

    cold = "evidence gap map, first after an index change"
    timings[cold] = []
    for n in range(max(10, args.requests // 10)):
        evidence_map._cache.clear()
        evidence_map._studies.clear()
        timings[cold].append(_time(client, kinds["evidence gap map"][n % 3]))
    base = _p([c for c, _ in timings["plain intervention page (baseline)"]], 95)
    print(f"\n{INTERVENTIONS:,} interventions, {STUDIES:,} studies; {args.requests} requests "
          f"per kind, alternating; CPU ms (wall ms)\n")
    print("| page | p50 | p95 | p95 / baseline p95 |\n|---|---|---|---|")
    for kind, pairs in timings.items():
        cpu, wall = [c for c, _ in pairs], [w for _, w in pairs]
        print(f"| {kind} | {_p(cpu, 50):.1f} ({_p(wall, 50):.1f}) | {_p(cpu, 95):.1f} "
              f"({_p(wall, 95):.1f}) | {_p(cpu, 95) / base:.2f}× |")


if __name__ == "__main__":
    main()
