"""Model rules that the database enforces, and derived properties."""

import pytest
import sqlalchemy as sa

from registry.models import AuditEvent, AuditTrailIsAppendOnly
from registry.models.study import follow_up_band
from tests.factories import DecisionFactory, FindingFactory, make_intervention


@pytest.mark.parametrize(
    ("months", "band"), [(None, None), (6, "short"), (12, "long"), (36, "long"), (37, "very_long")]
)
def test_follow_up_bands(months, band):
    assert follow_up_band(months) == band


def test_orm_refuses_to_edit_an_audit_event(db_session):
    event = AuditEvent(action="submit", entity_type="intervention", entity_id=1)
    db_session.add(event)
    db_session.flush()
    event.action = "vervalst"
    with pytest.raises(AuditTrailIsAppendOnly):
        db_session.flush()


def test_finding_confidence_interval_must_be_ordered(db_session):
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        FindingFactory(ci_lower=2.0, ci_upper=1.0)


def test_not_recognised_decision_has_no_level(db_session):
    intervention = make_intervention()
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        DecisionFactory(intervention=intervention, outcome="not_recognised", level="well_founded")


def test_version_ladder_range_must_be_ordered(db_session):
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        make_intervention(ladder_rung_min=5, ladder_rung_max=2)


def test_intervention_slug_is_unique(db_session):
    make_intervention(slug="dubbel")
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        make_intervention(slug="dubbel")
