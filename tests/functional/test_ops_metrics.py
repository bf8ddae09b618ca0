"""GET /metrics: who may scrape, what is counted, and the multiprocess mode of gunicorn."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from registry import ROOT
from registry.ops.metrics import observe_import, observe_search
from tests.conftest import make_test_app

TOKEN = "scrape-token-for-tests"
REMOTE = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def token_app(database_url, tmp_path):
    return make_test_app(database_url, tmp_path, METRICS_TOKEN=TOKEN)


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(response) -> dict:
    """{(sample name, frozenset of labels): value} of a /metrics answer."""
    families = text_string_to_metric_families(response.get_data(as_text=True))
    samples = (sample for family in families for sample in family.samples)
    return {(s.name, frozenset(s.labels.items())): s.value for s in samples}


def test_loopback_may_scrape(client):
    response = client.get("/metrics")
    assert (response.status_code, response.mimetype) == (200, "text/plain")


def test_another_address_gets_not_found(client):
    assert client.get("/metrics", environ_base=REMOTE).status_code == 404


def test_a_request_forwarded_by_a_local_proxy_is_not_local(client):
    headers = {"X-Forwarded-For": "198.51.100.20"}
    assert client.get("/metrics", headers=headers).status_code == 404


def test_the_token_lets_another_address_scrape(token_app):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = token_app.test_client().get("/metrics", headers=headers, environ_base=REMOTE)
    assert response.status_code == 200


@pytest.mark.parametrize("authorization", ["Bearer wrong", f"Basic {TOKEN}", TOKEN, "Bearer"])
def test_a_wrong_token_gets_not_found(token_app, authorization):
    headers = {"Authorization": authorization}
    response = token_app.test_client().get("/metrics", headers=headers, environ_base=REMOTE)
    assert response.status_code == 404


def test_requests_are_counted_by_url_rule(client):
    labels = {"route": "/interventies/<slug>", "method": "GET", "status": "404"}
    before = sample("registry_http_requests_total", **labels)
    client.get("/interventies/bestaat-niet-1")
    client.get("/interventies/bestaat-niet-2")
    assert sample("registry_http_requests_total", **labels) - before == 2


def test_unknown_paths_count_as_unmatched(client):
    labels = {"route": "unmatched", "method": "GET", "status": "404"}
    before = sample("registry_http_request_duration_seconds_count", **labels)
    client.get("/willekeurig/pad/123")
    assert sample("registry_http_request_duration_seconds_count", **labels) - before == 1


def test_an_unusual_method_counts_as_other(client):
    labels = {"route": "unmatched", "method": "other", "status": "405"}
    before = sample("registry_http_requests_total", **labels)
    client.open("/healthz", method="PROPFIND")
    assert sample("registry_http_requests_total", **labels) - before == 1


@pytest.mark.parametrize(
    ("kind", "url"),
    [("text", "/api/v1/search?q=werk"), ("profile", "/zoeken/profiel?goal=werk")],
)
def test_searches_are_timed_by_kind(live_search_app, kind, url):
    before = sample("registry_search_seconds_count", kind=kind)
    assert live_search_app.test_client().get(url).status_code == 200
    assert sample("registry_search_seconds_count", kind=kind) - before == 1


def test_an_unknown_search_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        observe_search("fuzzy", 0.1)


def test_imports_are_measured():
    before = (sample("registry_import_seconds_count"), sample("registry_import_records_sum"),
              sample("registry_import_bytes_sum"))
    observe_import(2.5, 120, 4096)
    after = (sample("registry_import_seconds_count"), sample("registry_import_records_sum"),
             sample("registry_import_bytes_sum"))
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 120, 4096]


def test_a_committed_import_is_measured(db_session):
    import io

    from importers.pipeline import commit_import

    content = b"TY  - JOUR\nTI  - Gemeten import\nPY  - 2021\nER  - \n"
    before = (sample("registry_import_seconds_count"), sample("registry_import_bytes_sum"))
    commit_import(io.BytesIO(content), "gemeten.ris")
    after = (sample("registry_import_seconds_count"), sample("registry_import_bytes_sum"))
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, len(content)]


def test_index_lag_is_computed_when_scraped(live_search_app):
    metrics = scraped(live_search_app.test_client().get("/metrics"))
    assert metrics[("registry_search_index_lag_seconds", frozenset())] == 0


def test_index_lag_is_infinite_when_unknown(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)  # an index folder that was never built
    metrics = scraped(app.test_client().get("/metrics"))
    assert math.isinf(metrics[("registry_search_index_lag_seconds", frozenset())])


MULTIPROCESS_SCRIPT = textwrap.dedent(
    """
    from registry import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "INDEX_DIR": %r})
    client = app.test_client()
    for _ in range(3):
        client.get("/healthz")
    print(client.get("/metrics").get_data(as_text=True))
    """
)


def test_multiprocess_mode_writes_samples_to_the_shared_folder(tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    script = MULTIPROCESS_SCRIPT % str(tmp_path / "index")
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True,
    )
    assert 'registry_http_requests_total{method="GET",route="/healthz",status="200"} 3.0' in (
        result.stdout
    )
    assert list(folder.glob("counter_*.db"))
