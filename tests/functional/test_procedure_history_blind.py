"""The intervention's history page keeps the panel blind to its owner: panel members
appear as "een panellid" without their notes (a conflict's reason), while the
secretariat sees every name and note; the owner's own and the secretariat's steps stay
named for the owner."""

from __future__ import annotations

import pytest

from registry.extensions import db
from registry.services import screening
from tests.unit.procedure.support import drive, login, make_cast, make_user

NOTE = "Ik adviseer een concurrent van deze aanbieder, betaald"
REVIEWER = "Dr. Vertrouwelijk Beoordelaar"


@pytest.fixture
def history(client):
    cast = make_cast()
    round_ = drive(cast, "screening")
    reviewer = make_user("reviewer", name=REVIEWER)
    screening.assign_reviewer(round_, cast.secretary, reviewer)
    db.session.commit()
    login(client, reviewer)
    declared = client.post(f"/procedure/rondes/{round_.id}/verklaring",
                           data={"conflict": "1", "note": NOTE})
    assert declared.status_code < 400
    client.post("/uitloggen")

    def page(user) -> str:
        login(client, user)
        text = client.get(f"/procedure/interventies/{round_.intervention_id}/geschiedenis"
                          ).get_data(as_text=True)
        client.post("/uitloggen")
        return text

    return cast, page


def test_the_owner_sees_the_panel_as_anonymous_members_without_their_notes(history):
    cast, page = history
    shown = page(cast.owner)
    assert NOTE not in shown and REVIEWER not in shown and "een panellid" in shown
    assert cast.owner.name in shown and cast.secretary.name in shown


def test_the_secretariat_sees_every_name_and_note(history):
    cast, page = history
    shown = page(cast.secretary)
    assert NOTE in shown and REVIEWER in shown


def test_the_owner_does_not_read_why_the_discussion_was_reopened(client):
    from registry.services import decision

    reason = "Beoordelaar B twijfelt aan de effectmaat van de tweede studie"
    cast = make_cast()
    round_ = drive(cast, "decided")
    decision.reopen_discussion(round_, cast.secretary, reason)
    db.session.commit()
    page = f"/procedure/interventies/{round_.intervention_id}/geschiedenis"

    login(client, cast.owner)
    owner_sees = client.get(page).get_data(as_text=True)
    client.post("/uitloggen")
    login(client, cast.secretary)
    secretary_sees = client.get(page).get_data(as_text=True)

    assert reason not in owner_sees and reason in secretary_sees
