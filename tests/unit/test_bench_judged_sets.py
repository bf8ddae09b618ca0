"""The judged client profiles of bench/search (JUDGING.md) name only interventions of
the demo catalogue and characteristics the profile search accepts, and grade 1 to 3:
a renamed slug or code would otherwise count as a miss, silently lowering nDCG."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from registry.demo.loader import load_demo
from registry.models import Intervention
from registry.schemas.search import ProfileQuerySchema

SETS = sorted((Path(__file__).parents[2] / "bench" / "search").glob("profiles_*.json"))


@pytest.mark.parametrize("path", SETS, ids=[path.stem for path in SETS])
def test_a_judged_set_names_demo_interventions_and_known_values(db_session, path):
    load_demo()
    db_session.flush()
    slugs = set(db_session.scalars(select(Intervention.slug)))
    queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 15
    assert len({query["id"] for query in queries}) == len(queries)
    for query in queries:
        ProfileQuerySchema(max_per_page=100, default_per_page=10).load(query["args"])
        assert set(query["judgments"]) <= slugs, query["id"]
        assert set(query["judgments"].values()) <= {1, 2, 3}, query["id"]
