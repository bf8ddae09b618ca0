"""Every timestamp the API writes is an RFC 3339 date-time in UTC, with its offset,
whatever the database hands back: naive datetimes (SQLite, even for timezone-aware
columns) or aware ones in the session's time zone (PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.services.accounts import create_api_token
from tests.factories import make_intervention
from tests.unit.procedure.support import drive, make_cast

MOMENT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
WRITTEN = "2024-05-01T09:30:00+00:00"


@pytest.fixture(autouse=True)
def amsterdam_session(db_session):
    """PostgreSQL hands timestamps back in the session's time zone: not UTC here."""
    if db_session.get_bind().dialect.name == "postgresql":
        db_session.execute(sa.text("SET LOCAL TIME ZONE 'Europe/Amsterdam'"))


@pytest.fixture
def decided(db_session):
    intervention = make_intervention(slug="ips", outcome="effective_good")
    intervention.published_version.published_at = MOMENT
    intervention.current_decision.published_at = MOMENT
    intervention.current_decision.expired_at = MOMENT + timedelta(days=1)
    db.session.flush()
    db.session.expire_all()  # the API reads them back from the database
    return intervention


def test_version_published_at_is_utc_with_offset(client, decided):
    body = client.get("/api/v1/interventions/ips").get_json()
    assert body["published_at"] == WRITTEN


def test_decision_published_at_is_utc_with_offset(client, decided):
    decision = client.get("/api/v1/interventions/ips").get_json()["current_decision"]
    assert decision["published_at"] == WRITTEN


def test_decision_expired_at_is_utc_with_offset(client, decided):
    decision = client.get("/api/v1/interventions/ips").get_json()["decisions"][0]
    assert decision["expired_at"] == "2024-05-02T09:30:00+00:00"


def test_assessment_submitted_at_is_utc_with_offset(client, db_session):
    cast = make_cast()
    round_ = drive(cast, "assessed")
    round_.assessments[0].submitted_at = MOMENT
    secret = create_api_token(round_.assessments[0].reviewer, "t")[1]
    db.session.flush()
    db.session.expire_all()
    body = client.get(f"/api/v1/procedure/rounds/{round_.id}/assessments",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert WRITTEN in [item["submitted_at"] for item in body["items"]]
