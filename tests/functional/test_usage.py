"""Adoption figures: what the pages count (in memory; never a database write in the
request, never a query text or a person), the monthly cells the flush adds to on a real
database, the admin page with small cells suppressed, and the open data resource."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import UsageCount
from registry.opendata.package import records
from registry.opendata.resources import resources
from registry.search import sync
from registry.usage.buffer import month_of
from registry.usage.counting import usage_buffer
from registry.usage.store import write_counts
from tests.conftest import app_on_own_database
from tests.factories import make_intervention
from tests.unit.procedure.support import login, make_user

MONTH = month_of(date.today())


@pytest.fixture(scope="module")
def search_index(app):
    # An index (empty is enough) so the search pages answer rather than 503.
    with app.app_context():
        sync.rebuild_all(db.engine, Path(app.config["INDEX_DIR"]))


@pytest.fixture(autouse=True)
def empty_buffer(app):
    usage_buffer(app).clear()
    yield
    usage_buffer(app).clear()


def counted(app) -> Counter:
    return Counter({key[1:]: n for key, n in usage_buffer(app).snapshot().items()})


def test_a_search_counts_each_known_filter_value_and_no_text(app, client, search_index):
    client.get("/zoeken?q=geheime+zoektekst&target_group=social_assistance&barrier=debt")
    refused = client.get("/zoeken?q=geheime+zoektekst&barrier=debt&barrier=onzin")
    assert refused.status_code == 422  # an unknown value: refused, so not counted either
    assert counted(app) == Counter({("search", "", ""): 1,
                                    ("search", "target_group", "social_assistance"): 1,
                                    ("search", "barrier", "debt"): 1})
    assert db.session.scalar(select(func.count()).select_from(UsageCount)) == 0


def test_the_next_page_of_a_search_is_not_another_search(app, client, search_index):
    client.get("/zoeken?pagina=2")
    assert counted(app) == Counter()


def test_a_profile_search_counts_its_characteristics(app, client, search_index):
    client.get("/zoeken/profiel?rung=2&barrier=debt")
    assert counted(app)[("profile_search", "barrier", "debt")] == 1
    assert counted(app)[("profile_search", "", "")] == 1


def test_views_and_fact_sheets_count_per_status(app, client):
    intervention = make_intervention(outcome="effective_good")
    client.get(f"/interventies/{intervention.slug}")
    client.get(f"/interventies/{intervention.slug}/factsheet")
    assert counted(app) == Counter({
        ("intervention_view", "", ""): 1, ("intervention_view", "status", "effective_good"): 1,
        ("factsheet_download", "", ""): 1,
        ("factsheet_download", "status", "effective_good"): 1})


def test_a_page_answers_when_counting_fails(app, client, monkeypatch):
    intervention = make_intervention()

    def broken(keys):
        raise RuntimeError("buffer broken")

    monkeypatch.setattr(usage_buffer(app), "add", broken)
    assert client.get(f"/interventies/{intervention.slug}").status_code == 200


def test_flushes_from_several_processes_add_up_in_one_cell(db_session, own_database_url,
                                                            tmp_path):
    cell = (MONTH, "search", "barrier", "debt")
    with app_on_own_database(own_database_url, tmp_path) as own:
        write_counts(db.engine, Counter({cell: 3}))
        write_counts(db.engine, Counter({cell: 4, (MONTH, "search", "", ""): 7}))
        rows = db.session.execute(select(UsageCount.dimension, UsageCount.count)
                                  .order_by(UsageCount.dimension)).all()
        assert own is not None
    assert rows == [("", 7), ("barrier", 7)]


def add_cell(month, metric, dimension, value, count):
    db.session.add(UsageCount(month=month, metric=metric, dimension=dimension, value=value,
                              count=count))
    db.session.flush()


def test_the_admin_page_suppresses_small_cells(client):
    add_cell(MONTH, "search", "", "", 12)
    add_cell(MONTH, "search", "barrier", "debt", 9)
    add_cell(MONTH, "search", "barrier", "language", 3)
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    page = client.get("/beheer/gebruik").get_data(as_text=True)
    assert "<td>12</td>" in page and "<td>9</td>" in page
    assert "<td>3</td>" not in page and "&lt; 5" in page


def test_two_periods_do_not_differ_by_a_hidden_count(client):
    last_month = month_of(MONTH - timedelta(days=1))
    add_cell(last_month, "search", "region", "zeeland", 3)  # hidden: below 5
    add_cell(MONTH, "search", "region", "zeeland", 6)
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    one, two = (client.get(f"/beheer/gebruik?maanden={n}").get_data(as_text=True)
                for n in (1, 2))
    assert "<td>6</td>" in one and "<td>6</td>" in two and "<td>9</td>" not in two


def test_the_data_package_has_finished_months_only_with_small_cells_suppressed(db_session):
    last_month = month_of(MONTH - timedelta(days=1))
    add_cell(last_month, "intervention_view", "status", "effective_good", 8)
    add_cell(last_month, "intervention_view", "status", "well_described", 2)
    add_cell(MONTH, "intervention_view", "status", "effective_good", 50)
    usage = next(r for r in resources() if r.name == "usage_counts")
    rows = list(records(db.session.connection(), usage))
    # One status hidden: the other is hidden too, or the total would give it away.
    assert [(r["value"], r["count"], r["suppressed"]) for r in rows] == [
        ("effective_good", None, True), ("well_described", None, True)]


def test_a_hidden_cell_cannot_be_worked_out_from_the_total(db_session):
    last_month = month_of(MONTH - timedelta(days=1))
    add_cell(last_month, "intervention_view", "", "", 22)
    for status, count in (("effective_good", 10), ("well_described", 8),
                          ("expired", 2), ("effective_first", 2)):
        add_cell(last_month, "intervention_view", "status", status, count)
    usage = next(r for r in resources() if r.name == "usage_counts")

    shown = {r["value"]: r["count"] for r in records(db.session.connection(), usage)}

    # Two cells below 5: each hidden, and their sum (4) alone is what the total gives.
    assert shown == {"all": 22, "effective_first": None, "effective_good": 10,
                     "expired": None, "well_described": 8}
