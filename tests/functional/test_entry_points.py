"""Every role finds its way in: a refusal says why and what to do, and an admin can
give an owner the organisation that the owner's work needs."""

from __future__ import annotations

from registry.extensions import db
from registry.models import Organisation
from tests.unit.procedure.support import login, make_user


def test_an_owner_without_organisation_is_told_why_and_what_to_do(client):
    owner = make_user("owner")
    db.session.commit()
    login(client, owner)

    response = client.get("/procedure/nieuw")

    assert response.status_code == 403
    assert "niet aan een organisatie gekoppeld" in response.get_data(as_text=True)


def test_a_refusal_names_the_role_the_work_needs(client):
    login(client, make_user("professional"))
    page = client.get("/import/").get_data(as_text=True)
    assert "de rol Onderzoeker" in page


def test_an_admin_sets_the_organisation_and_the_owner_can_start(client, app):
    admin, owner = make_user("admin"), make_user("owner")
    organisation = Organisation(slug="werkplein", name="Werkplein", kind="provider")
    db.session.add(organisation)
    db.session.commit()
    login(client, admin)

    response = client.post(f"/beheer/gebruikers/{owner.id}", data={
        "roles": ["owner"], "active": "true", "organisation_id": str(organisation.id)})

    assert response.status_code == 302 and owner.organisation_id == organisation.id
    other = app.test_client()
    login(other, owner)
    assert other.get("/procedure/nieuw").status_code == 200


def test_the_user_page_shows_the_organisation_field(client):
    admin, owner = make_user("admin"), make_user("owner")
    db.session.commit()
    login(client, admin)
    page = client.get(f"/beheer/gebruikers/{owner.id}").get_data(as_text=True)
    assert 'for="organisation_id"' in page
