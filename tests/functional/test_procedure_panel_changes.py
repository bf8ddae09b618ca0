"""What leaves the panel leaves with its assessment, a confirmation counts only for the
decision its page showed, the decision form opens in the discussion only, and a flush
that meets a unique constraint inside a request is a 409, not a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from registry import unit_of_work
from registry.errors import Conflict
from registry.extensions import db
from registry.models import Assessment
from registry.services import decision, screening
from registry.services.procedure import current_decision_of, get_round
from tests.unit.procedure.support import drive, login, make_cast


@pytest.fixture
def cast():
    return make_cast()


def _assessments_of(round_id: int, reviewer_id: int) -> int:
    return db.session.scalar(select(func.count(Assessment.id)).where(
        Assessment.round_id == round_id, Assessment.reviewer_id == reviewer_id))


def _fresh(round_):
    """The round as a new request loads it: nothing of it in the session yet."""
    db.session.commit()
    db.session.expire_all()
    return get_round(round_.id)


def test_a_reviewer_taken_off_the_panel_takes_their_submitted_assessment(cast):
    round_ = _fresh(drive(cast, "assessed"))

    screening.remove_reviewer(round_, cast.secretary, cast.reviewer_b)
    db.session.flush()

    assert _assessments_of(round_.id, cast.reviewer_b.id) == 0
    assert [m.user_id for m in round_.panel] == [cast.reviewer_a.id]


def test_a_reviewer_reporting_a_conflict_after_submitting_takes_their_assessment(cast):
    round_ = _fresh(drive(cast, "assessed"))

    screening.declare_conflict(round_, cast.reviewer_a, "Ik ken de aanbieder.")
    db.session.flush()

    assert _assessments_of(round_.id, cast.reviewer_a.id) == 0
    assert cast.reviewer_a.id not in {a.reviewer_id for a in round_.assessments}


def test_a_panel_change_moves_the_round_on_so_an_older_transition_conflicts(cast):
    round_ = drive(cast, "assessed")
    before = round_.lock_version

    screening.declare_conflict(round_, cast.reviewer_b, "Belang")
    db.session.flush()

    assert round_.lock_version == before + 1


def _confirm_form(client, round_id: int) -> dict[str, str]:
    page = client.get(f"/procedure/rondes/{round_id}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/procedure/rondes/\d+/bevestigen".*?</form>',
                     page, re.S).group(0)
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def test_a_confirmation_from_a_page_showing_an_earlier_decision_is_refused(client, cast):
    round_ = drive(cast, "decided")
    db.session.commit()
    login(client, cast.reviewer_a)
    stale = _confirm_form(client, round_.id)
    decision.reopen_discussion(round_, cast.secretary, "Toch niet eens")
    decision.record_decision(round_, cast.secretary, {
        "outcome": "not_recognised", "rationale": "De effecten zijn onvoldoende aangetoond."})
    db.session.commit()

    response = client.post(f"/procedure/rondes/{round_.id}/bevestigen", data=stale)

    vote = next(v for v in current_decision_of(round_).votes
                if v.user_id == cast.reviewer_a.id)
    assert (response.status_code, vote.confirmed_at) == (409, None)
    assert client.post(f"/procedure/rondes/{round_.id}/bevestigen",
                       data=_confirm_form(client, round_.id)).status_code == 302


def test_the_decision_form_with_every_reviewers_ratings_opens_in_the_discussion_only(
        client, cast):
    round_ = drive(cast, "assessed")
    db.session.commit()
    login(client, cast.secretary)

    before = client.get(f"/procedure/rondes/{round_.id}/besluit")
    decision.open_discussion(round_, cast.secretary)
    db.session.commit()
    during = client.get(f"/procedure/rondes/{round_.id}/besluit")

    assert (before.status_code, during.status_code) == (409, 200)
    assert "De beoordelaars" not in before.get_data(as_text=True)


def test_a_unique_constraint_met_inside_a_request_is_a_conflict_not_a_server_error(app):
    def view():
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    run = unit_of_work._transactional(app, view)
    with app.test_request_context(method="POST"), pytest.raises(Conflict):
        run()
