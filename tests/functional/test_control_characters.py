"""Text with a control character (NUL and the like) is refused with a clear message on
every form and in the API, on both databases (PostgreSQL cannot store NUL, which was a
500), and nothing is written."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError, fields
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Guide, PracticeExperience, SavedProfile
from registry.schemas.dutch import DutchSchema
from tests.factories import make_intervention
from tests.unit.procedure.support import login, make_user

EXPERIENCE = {
    "municipality": "GM0268", "started_on": "2023-02-01", "ended_on": "", "participants": "40",
    "target_group": "Bijstandsgerechtigden met schulden",
    "adaptations": "Schuldhulp en werkconsulent voeren samen het eerste gesprek.",
    "observations": "Minder uitval in het werktraject sinds de geldzorgen eerst aandacht krijgen.",
    "lessons": "Leg de samenwerking vast in een convenant.",
    "contact_name": "Team Werk", "contact_email": "team.werk@voorbeeld.example",
}


class _Sample(DutchSchema):
    text = fields.String()
    words = fields.List(fields.String())
    email = fields.Email()


@pytest.mark.parametrize("data", [{"text": "a\x00b"}, {"words": ["ok", "\x1bx"]},
                                  {"email": "a\x00@example.org"}, {"text": "Werkfit \ufffe"},
                                  {"text": "\uffff"}])
def test_every_text_field_of_a_schema_refuses_control_characters(app, data):
    with app.test_request_context(), pytest.raises(ValidationError) as refused:
        _Sample().load(data)
    assert "stuurteken" in str(refused.value.messages)


def test_tabs_and_newlines_pass(app):
    with app.test_request_context():
        assert _Sample().load({"text": "a\tb\r\nc"}) == {"text": "a\tb\r\nc"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def intervention(db_session):
    found = make_intervention(title="Schulden eerst")
    db.session.commit()
    return found


def test_a_saved_profile_label(client, db_session):
    login(client, make_user("professional"))
    db.session.commit()
    page = client.post("/zoeken/profiel/bewaren", data={"label": "Schulden\x00trede 2",
                                                         "rung": "2", "barrier": "debt"})
    assert page.status_code == 422 and "stuurteken" in page.get_data(as_text=True)
    assert count(SavedProfile) == 0


@pytest.mark.parametrize("field", ["target_group", "observations", "contact_name"])
def test_a_practice_experience(client, intervention, field):
    login(client, make_user("professional"))
    db.session.commit()
    data = {**EXPERIENCE, field: EXPERIENCE[field][:5] + "\x00" + EXPERIENCE[field][5:]}
    page = client.post(f"/interventies/{intervention.slug}/ervaring-delen", data=data)
    assert page.status_code == 422 and "stuurteken" in page.get_data(as_text=True)
    assert count(PracticeExperience) == 0


def test_a_guide(client, db_session):
    login(client, make_user("secretary"))
    db.session.commit()
    page = client.post("/werkwijzers/nieuw", data={"title": "Intake\x00", "phase": "intake",
                                                   "body": "# Kop\n\ntekst"})
    assert page.status_code == 422 and "stuurteken" in page.get_data(as_text=True)
    assert count(Guide) == 0


def test_signing_in(client, db_session):
    page = client.post("/inloggen", data={"email": "a\x00@example.org", "password": "x" * 12})
    assert page.status_code < 500

