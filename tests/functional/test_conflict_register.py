"""The register of conflicts of interest: the secretary sees every declaration with its
history and exports it; a reviewer changes and withdraws their own standing ones."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent, ConflictDeclaration
from registry.models.conflicts import conflicts_of
from registry.services import conflict_register, screening
from tests.factories import OrganisationFactory
from tests.unit.procedure.support import drive, login, make_cast, make_user


@pytest.fixture
def cast():
    return make_cast()


def _standing(reviewer, organisation, note="Adviseur geweest") -> ConflictDeclaration:
    return screening.declare_organisation_conflict(reviewer, organisation.id, note)


def test_the_register_lists_every_kind_of_declaration(cast):
    round_ = drive(cast, "in_review")  # panel members declared no conflict
    other = OrganisationFactory(name="Stichting Anders")
    _standing(cast.reviewer_a, other)
    entries = conflict_register.register()
    kinds = {(e.reviewer, e.kind) for e in entries}
    assert (cast.reviewer_a.name, "organisation") in kinds
    assert (cast.reviewer_a.name, "no_conflict") in kinds
    assert (cast.reviewer_b.name, "no_conflict") in kinds
    title = round_.version.title
    assert any(e.kind == "no_conflict" and e.target == title for e in entries)


def test_filters_by_reviewer_and_by_organisation(cast):
    drive(cast, "in_review")
    other = OrganisationFactory(name="Stichting Anders")
    _standing(cast.reviewer_b, other)
    only_b = conflict_register.register(reviewer_id=cast.reviewer_b.id)
    assert {e.reviewer for e in only_b} == {cast.reviewer_b.name}
    at_other = conflict_register.register(organisation_id=other.id)
    assert [(e.reviewer, e.kind) for e in at_other] == [(cast.reviewer_b.name, "organisation")]


def test_withdrawing_keeps_the_entry_and_frees_the_reviewer(cast):
    round_ = drive(cast, "screening")
    reviewer = make_user("reviewer")
    declaration = _standing(reviewer, cast.organisation)
    assert conflicts_of(reviewer, round_) == ["heeft een belang gemeld"]
    conflict_register.withdraw(reviewer, declaration.id)
    assert conflicts_of(reviewer, round_) == []
    entry = conflict_register.register(reviewer_id=reviewer.id)[0]
    assert entry.withdrawn_at is not None
    assert screening.declared_organisation_conflicts(reviewer) == []
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.actor_id == reviewer.id)))
    assert actions == ["declare_conflict", "withdraw_conflict"]


def test_a_reviewer_cannot_touch_anothers_declaration_or_withdraw_twice(cast):
    from registry.errors import InvalidTransition, NotFound

    declaration = _standing(cast.reviewer_a, cast.organisation)
    with pytest.raises(NotFound):
        conflict_register.withdraw(cast.reviewer_b, declaration.id)
    with pytest.raises(NotFound):
        conflict_register.change_note(cast.reviewer_b, declaration.id, "Niet van mij")
    conflict_register.withdraw(cast.reviewer_a, declaration.id)
    with pytest.raises(InvalidTransition):
        conflict_register.withdraw(cast.reviewer_a, declaration.id)


def test_the_secretary_reads_and_exports_the_register(client, cast):
    note = "=HYPERLINK(\"x\") <script>alert(1)</script>"
    _standing(cast.reviewer_a, cast.organisation, note)
    db.session.commit()
    login(client, cast.secretary)
    page = client.get("/procedure/belangen").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert cast.organisation.name in page
    response = client.get(f"/procedure/belangen.csv?medewerker={cast.reviewer_a.id}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv" and rows[0][0] == "reviewer"
    assert rows[1][:4] == [cast.reviewer_a.name, "organisation", "Belang bij organisatie",
                           cast.organisation.name]
    assert rows[1][4].startswith("'=")  # never a formula in a spreadsheet
    client.get("/taal/en?next=/")
    english = client.get(f"/procedure/belangen.csv?medewerker={cast.reviewer_a.id}")
    assert "Interest in an organisation" in english.get_data(as_text=True)


def test_a_filter_that_is_no_id_is_no_filter(client, cast):
    _standing(cast.reviewer_a, cast.organisation)
    db.session.commit()
    login(client, cast.secretary)
    for value in ("abc", "99999999999999999999999", "-1"):
        response = client.get(f"/procedure/belangen?medewerker={value}")
        assert response.status_code == 200 and cast.reviewer_a.name in response.get_data(
            as_text=True)


def test_the_reviewer_changes_and_withdraws_on_their_page(client, cast):
    declaration = _standing(cast.reviewer_a, cast.organisation)
    db.session.commit()
    login(client, cast.reviewer_a)
    page = client.get("/mijn/").get_data(as_text=True)
    assert f"Melding over {cast.organisation.name} intrekken" in page
    client.post(f"/mijn/belangen/{declaration.id}", data={"note": "Nu anders verwoord"})
    assert db.session.get(ConflictDeclaration, declaration.id).note == "Nu anders verwoord"
    response = client.post(f"/mijn/belangen/{declaration.id}/intrekken")
    assert response.status_code == 302
    assert db.session.get(ConflictDeclaration, declaration.id).withdrawn_at is not None
    again = client.post(f"/mijn/belangen/{declaration.id}/intrekken")
    assert again.status_code == 409
