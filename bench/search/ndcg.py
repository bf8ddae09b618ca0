"""Profile ranking quality on a judged set:
`.venv/bin/python -m bench.search.ndcg [--heldout | --third | --fourth] [-v]`.

The demo catalogue (42 interventions) in a fresh SQLite database with its index, the
30 judged client profiles of bench/search/profiles_judged.json (rules: JUDGING.md), or
with --heldout the 15 of profiles_heldout.json (judged by someone else, blind to the
ranking), or with --third those of profiles_third.json (written after the held-out set
had been used to choose a rule, blind to it), or with --fourth those of
profiles_fourth.json (written blind the same way, to measure the ranking as it stood
on 2026-12-08), each run through the profile search as the page runs it; nDCG@5 and nDCG@10
per query with gain 2^grade - 1, and the mean (bench/README.md, "Profile ranking:
judged set"). -v adds each query's first five results.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

from registry import create_app
from registry.demo.loader import load_demo
from registry.extensions import db
from registry.schemas.search import ProfileQuerySchema, client_profile
from registry.search import service
from registry.search.sync import rebuild_all
from search_index import searchers

JUDGED = Path(__file__).with_name("profiles_judged.json")
HELDOUT = Path(__file__).with_name("profiles_heldout.json")
THIRD = Path(__file__).with_name("profiles_third.json")
FOURTH = Path(__file__).with_name("profiles_fourth.json")
SETS = {"--heldout": HELDOUT, "--third": THIRD, "--fourth": FOURTH}


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked: list[str], judgments: dict[str, int], k: int) -> float:
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return dcg([judgments.get(slug, 0) for slug in ranked[:k]]) / ideal if ideal else 0.0


def ranked_slugs(root: Path, args: dict) -> list[str]:
    loaded = ProfileQuerySchema(max_per_page=100, default_per_page=10).load(args)
    _result, items = service.search_profile(root, client_profile(loaded), 1, 10)
    return [item.intervention.slug for item in items]


def main() -> None:
    source = next((path for option, path in SETS.items() if option in sys.argv), JUDGED)
    judged = json.loads(source.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI":
                          f"sqlite:///{folder}/ndcg.sqlite", "INDEX_DIR": f"{folder}/index"})
        with app.app_context(), app.test_request_context():
            from flask_migrate import upgrade

            upgrade()
            load_demo()
            db.session.commit()
            root = Path(folder) / "index"
            rebuild_all(db.engine, root)
            rows = []
            for query in judged:
                ranked = ranked_slugs(root, query["args"])
                rows.append((query["id"], ndcg(ranked, query["judgments"], 5),
                             ndcg(ranked, query["judgments"], 10), ranked[:5]))
            searchers.release_all()
    verbose = "-v" in sys.argv
    print("| query | nDCG@5 | nDCG@10 |" + (" top 5 |" if verbose else ""))
    print("|---|---|---|" + ("---|" if verbose else ""))
    for name, at5, at10, top in rows:
        print(f"| {name} | {at5:.3f} | {at10:.3f} |" + (f" {', '.join(top)} |" if verbose else ""))
    mean5 = sum(r[1] for r in rows) / len(rows)
    mean10 = sum(r[2] for r in rows) / len(rows)
    lowest = min(rows, key=lambda r: r[1])
    print(f"\nmean nDCG@5 {mean5:.3f}, mean nDCG@10 {mean10:.3f}; "
          f"lowest nDCG@5 {lowest[1]:.3f} ({lowest[0]}); {len(rows)} queries")


if __name__ == "__main__":
    main()
