"""Profile ranking v2 against v1, same run: `.venv/bin/python -m bench.search.profile_speed
[SIZE]` (default 10000).

Builds the synthetic catalogue of SIZE interventions and its index once (in
bench/search/.work/SIZE, where bench.search.run keeps it; reused when present), then
times run_profile of the ranking before v2 (search_index/profile.py at commit V1,
loaded from git) and of today's, alternating query by query in one process on one
index view, with the probe's varied profiles (bench/README.md, "Profile ranking: judged set").
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.search.as_served import serve_conditions
from bench.search.probe import _profile
from bench.search.run import WORK
from registry.search.goals import goal_domains
from registry.search.service import TARGET_GROUPS_BY_AGE_BAND
from search_index import profile as v2
from search_index import searchers

V1 = "ee2076d"  # the last commit with the ranking before v2
AGE_ORDER = ("under_27", "27_44", "45_54", "55_plus")


def _v1_module():
    source = subprocess.run(["git", "show", f"{V1}:search_index/profile.py"], check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("profile_v1", loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules["profile_v1"] = module  # dataclasses look their module up
    exec(compile(source, "profile_v1.py", "exec"), module.__dict__)  # noqa: S102
    return module


def _prepare(size: int) -> None:
    """The catalogue and one index build (bench.search.run also times builds and FTS5)."""
    from flask_migrate import upgrade

    from registry import create_app
    from registry.demo.generator import generate
    from registry.extensions import db
    from registry.search import sync
    from registry.services.vocabularies import load_vocabularies

    folder = WORK / str(size)
    folder.mkdir(parents=True, exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'registry.sqlite'}",
                      "INDEX_DIR": str(folder / "index"), "SEARCH_SYNC": "off"})
    with app.app_context():
        upgrade()
        load_vocabularies()
        db.session.commit()
        generate(size, bulk=True)
        db.session.commit()
        sync.rebuild(db.engine, folder / "index")


def catalogue_index(size: int) -> Path:
    """The index folder of the synthetic catalogue of `size`, built once."""
    root = WORK / str(size) / "index"
    if not (root / "current").exists():
        _prepare(size)
    return root


def _as_registry_asks(profile):
    """The profile as registry/search/service.py hands it over (age order, goal domains,
    the target groups the age band implies)."""
    implied = tuple(("target_group", group)
                    for group in TARGET_GROUPS_BY_AGE_BAND.get(profile.age_band or "", ()))
    return v2.ClientProfile(**{**vars(profile), "age_order": AGE_ORDER,
                               "goal_domains": goal_domains(profile.goal),
                               "implied_focus": implied})


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def main() -> None:
    allocator = serve_conditions()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    root = catalogue_index(size)
    v1 = _v1_module()
    searcher, view = searchers.acquire(Path(root))
    ways = {"v1 (baseline)": lambda i: v1.run_profile(searcher, view, v1.ClientProfile(
                **{k: v for k, v in vars(_profile(i)).items()
                   if k not in ("age_order", "goal_domains", "implied_focus")})),
            "v2": lambda i: v2.run_profile(searcher, view, _as_registry_asks(_profile(i)))}
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    for i in range(10):  # warm: per-term sets, norms, level masks
        for way in ways.values():
            way(i)
    for i in range(300):
        for name, way in ways.items():
            start = time.thread_time()
            way(i)
            cpu[name].append((time.thread_time() - start) * 1000)
    base = p95(cpu["v1 (baseline)"])
    print(f"{size} interventions ({allocator}), CPU ms per profile query, 300 queries each, "
          "alternating\n")
    print("| ranking | p50 | p95 | p95 / v1 |\n|---|---|---|---|")
    for name, values in cpu.items():
        print(f"| {name} | {statistics.median(values):.1f} | {p95(values):.1f} | "
              f"{p95(values) / base:.2f}× |")


if __name__ == "__main__":
    main()
