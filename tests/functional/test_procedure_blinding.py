"""Blinding: until a reviewer has submitted (and the discussion is open), no page, API
response or notice shows them another reviewer's assessment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import Notice
from registry.services import assessment, decision
from registry.services.accounts import create_api_token
from tests.unit.procedure.support import (
    RATIONALE,
    drive,
    full_appraisals,
    full_scores,
    login,
    make_cast,
)

SECRET_A, SECRET_B = "GEHEIM-MOTIVERING-A", "GEHEIM-MOTIVERING-B"


@pytest.fixture
def round_and_cast():
    cast = make_cast()
    round_ = drive(cast, "in_review")
    assess(round_, cast.reviewer_a, SECRET_A, submit=True)
    db.session.commit()
    return round_, cast


def assess(round_, reviewer, motivation, submit):
    assessment.save_assessment(round_, reviewer, {
        "scores": full_scores(round_), "appraisals": full_appraisals(round_),
        "proposed_level": "well_founded",
        "motivation": motivation, "submit": submit})


def seen_by(client, user, round_) -> str:
    login(client, user)
    pages = [client.get(f"/procedure/rondes/{round_.id}"), client.get("/mijn/"),
             client.get(f"/procedure/rondes/{round_.id}/beoordeling")]
    client.post("/uitloggen")
    token = create_api_token(user, "t")[1]
    db.session.commit()
    api = client.get(f"/api/v1/procedure/rounds/{round_.id}/assessments",
                     headers={"Authorization": f"Bearer {token}"})
    return "".join(p.get_data(as_text=True) for p in pages) + api.get_data(as_text=True)


def test_a_reviewer_who_has_not_submitted_sees_no_other_assessment(client, round_and_cast):
    round_, cast = round_and_cast
    assert SECRET_A not in seen_by(client, cast.reviewer_b, round_)


def test_a_draft_assessment_stays_hidden_from_the_other_reviewer(client, round_and_cast):
    round_, cast = round_and_cast
    assess(round_, cast.reviewer_b, SECRET_B, submit=False)
    db.session.commit()
    assert SECRET_B not in seen_by(client, cast.reviewer_a, round_)


def test_submitting_alone_does_not_open_the_others_before_the_discussion(client, round_and_cast):
    round_, cast = round_and_cast
    assess(round_, cast.reviewer_b, SECRET_B, submit=True)
    db.session.commit()
    assert SECRET_A not in seen_by(client, cast.reviewer_b, round_)


def test_after_submitting_and_opening_the_discussion_the_panel_sees_all(client, round_and_cast):
    round_, cast = round_and_cast
    assess(round_, cast.reviewer_b, SECRET_B, submit=True)
    decision.open_discussion(round_, cast.secretary)
    db.session.commit()
    assert SECRET_A in seen_by(client, cast.reviewer_b, round_)


def test_the_secretary_sees_submitted_assessments_but_not_drafts(client, round_and_cast):
    round_, cast = round_and_cast
    assess(round_, cast.reviewer_b, SECRET_B, submit=False)
    db.session.commit()
    seen = seen_by(client, cast.secretary, round_)
    assert SECRET_A in seen and SECRET_B not in seen


def test_the_owner_sees_no_assessment(client, round_and_cast):
    round_, cast = round_and_cast
    assert SECRET_A not in seen_by(client, cast.owner, round_)


def test_no_notice_quotes_an_assessment(round_and_cast):
    round_, cast = round_and_cast
    assess(round_, cast.reviewer_b, SECRET_B, submit=True)
    decision.open_discussion(round_, cast.secretary)
    decision.record_decision(round_, cast.secretary, {"outcome": "effective_good",
                                                        "rationale": RATIONALE})
    messages = " ".join(db.session.scalars(select(Notice.message)))
    assert messages and SECRET_A not in messages and SECRET_B not in messages


def test_a_panel_member_who_lost_the_reviewer_role_loses_the_panels_access(client):
    """Their seat stays for the secretary to fill; what the panel may do goes at once, on
    the pages and through tokens made before: no round page with the others'
    assessments, no comments, no confirmation of the decision."""
    from registry.services.accounts import set_roles
    from tests.unit.procedure.support import drive, login, make_cast

    cast = make_cast()
    round_ = drive(cast, "in_discussion")
    secret = create_api_token(cast.reviewer_b, "oud")[1]
    set_roles(cast.reviewer_b, ["professional"])
    db.session.commit()
    login(client, cast.reviewer_b)
    base = f"/procedure/rondes/{round_.id}"

    assert client.get(base).status_code == 403
    assert client.get(f"/api/v1/procedure/rounds/{round_.id}/assessments",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 403
    assert client.post(f"{base}/reacties", data={"body": "Nog een punt."}).status_code == 403
    assert client.post(f"{base}/bevestigen").status_code == 403


def test_the_secretary_is_told_to_replace_a_member_who_is_no_reviewer_any_more():
    from registry.services.accounts import set_roles
    from registry.services.procedure import transition_blockers
    from tests.unit.procedure.support import drive, make_cast

    cast = make_cast()
    round_ = drive(cast, "assessed")
    set_roles(cast.reviewer_b, ["professional"])
    db.session.flush()

    blocker = transition_blockers(round_, cast.secretary).get("open_discussion") or ""
    assert "geen beoordelaar meer" in blocker and cast.reviewer_b.name in blocker
