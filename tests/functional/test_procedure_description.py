"""The owner's description form: tags per vocabulary and providers, in the form, the
schema, the saved draft, the API and the version diff."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent
from registry.services import description as description_service
from registry.services import screening, submission
from registry.services.accounts import create_token
from tests.factories import OrganisationFactory
from tests.unit.procedure.support import description, drive, login, make_cast


@pytest.fixture
def cast():
    cast = make_cast()
    db.session.commit()
    return cast


def _tags(version) -> set[tuple[str, str]]:
    return {(t.vocabulary, t.code) for t in version.tags}


def _post(client, round_, **fields):
    data = description(lock_version=str(round_.version.lock_version), **fields)
    return client.post(f"/procedure/rondes/{round_.id}/beschrijving", data=data)


def test_the_form_shows_every_tag_vocabulary_as_a_fieldset(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    page = client.get(f"/procedure/rondes/{round_.id}/beschrijving").get_data(as_text=True)
    assert all(f'id="tags-{v}"' in page for v in ("support_need", "barrier", "region"))
    assert "<legend>Belemmeringen</legend>" in page and ">Schulden</label>" in page


def test_the_form_shows_tag_labels_in_english_when_asked(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    page = client.get(f"/procedure/rondes/{round_.id}/beschrijving?lang=en").get_data(as_text=True)
    assert ">Debt</label>" in page


def test_saving_a_draft_keeps_its_tags_and_providers(client, cast):
    round_ = drive(cast, "draft")
    provider = OrganisationFactory(name="Werkbedrijf Oost")
    db.session.commit()
    login(client, cast.owner)
    response = _post(client, round_, **{"tag-barrier": ["debt", "language"],
                                        "tag-age_band": ["under_27"],
                                        "providers": [provider.slug]})
    db.session.expire_all()
    assert response.status_code == 302
    assert _tags(round_.version) == {("barrier", "debt"), ("barrier", "language"),
                                     ("age_band", "under_27")}
    assert [o.name for o in round_.version.providers] == ["Werkbedrijf Oost"]


def test_an_unknown_tag_code_is_refused_with_a_field_error_and_nothing_is_written(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    response = _post(client, round_, title="Nieuwe titel", **{"tag-barrier": ["gokken"]})
    db.session.expire_all()
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="tags.barrier-fouten"' in page and "Onbekende code: gokken." in page
    assert (round_.version.title, _tags(round_.version)) == ("Samen aan de slag", set())


def test_an_unknown_provider_is_refused_with_a_field_error(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    response = _post(client, round_, providers=["bestaat-niet"])
    assert response.status_code == 422
    assert "Onbekende organisatie: bestaat-niet." in response.get_data(as_text=True)


def test_an_inactive_term_is_not_a_valid_tag(cast):
    term = description_service.active_tag_terms()["barrier"][0]
    term.is_active = False
    schema = description_service.description_schema()
    errors = schema.validate(description(tags={"barrier": [term.code]}))
    assert errors == {"tags": {"barrier": [f"Onbekende code: {term.code}."]}}


def test_the_api_saves_tags_and_refuses_unknown_codes(client, cast):
    round_ = drive(cast, "draft")
    secret = create_token(cast.owner, "test").secret
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    body = description(lock_version=round_.version.lock_version, sub_aims=[], active_elements=[])
    url = f"/api/v1/procedure/rounds/{round_.id}/description"
    refused = client.put(url, json={**body, "tags": {"phase": ["nergens"]}}, headers=headers)
    saved = client.put(url, json={**body, "tags": {"phase": ["intake"]}}, headers=headers)
    db.session.expire_all()
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"][0]["field"] == "tags.phase"
    assert saved.status_code == 200 and _tags(round_.version) == {("phase", "intake")}


def test_the_diff_shows_a_changed_tag(client, cast):
    round_ = drive(cast, "screening")
    screening.screen(round_, cast.secretary, [], "returned", "Noem de belemmeringen.")
    submission.save_draft(round_, cast.owner, {"tags": {"barrier": ["debt"]}})
    db.session.commit()
    login(client, cast.owner)
    page = client.get(f"/procedure/interventies/{round_.intervention_id}/versies?van=1&naar=2")
    text = page.get_data(as_text=True)
    assert "<h2>Belemmeringen</h2>" in text and "<ins>+ Schulden</ins>" in text


def test_the_diff_shows_a_changed_provider(cast):
    round_ = drive(cast, "screening")
    screening.screen(round_, cast.secretary, [], "returned", "Noem de aanbieders.")
    first = round_.version
    provider = OrganisationFactory(name="Leerwerkbedrijf")
    submission.save_draft(round_, cast.owner, {"providers": [provider.slug]})
    changes = submission.diff_versions(first, round_.version)
    assert changes == [{"field": "providers", "lines": ["+ Leerwerkbedrijf"]}]


def test_the_audit_event_names_the_changed_tags(cast):
    round_ = drive(cast, "draft")
    submission.save_draft(round_, cast.owner, {"tags": {"domain": ["participatiewet"]}})
    db.session.flush()
    event = db.session.scalars(
        select(AuditEvent).filter_by(action="save_draft").order_by(AuditEvent.id.desc())
    ).first()
    assert event.after == {"fields": ["tags"]}


def test_field_errors_are_in_dutch(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    response = _post(client, round_, title="", year_started="vorig jaar", website="geen-url")
    page = response.get_data(as_text=True)
    assert "Dit veld is verplicht." in page and "Geef een geheel getal." in page
    assert "Missing data" not in page and "Not a valid" not in page


def test_field_errors_are_in_english_when_asked(client, cast):
    round_ = drive(cast, "draft")
    db.session.commit()
    login(client, cast.owner)
    client.get("/taal/en")
    response = _post(client, round_, title="")
    assert "This field is required." in response.get_data(as_text=True)


def test_the_form_shows_the_saved_tags_and_providers_as_checked(client, cast):
    round_ = drive(cast, "draft")
    provider = OrganisationFactory()
    submission.save_draft(round_, cast.owner, {"tags": {"barrier": ["debt"]},
                                               "providers": [provider.slug]})
    db.session.commit()
    login(client, cast.owner)
    page = client.get(f"/procedure/rondes/{round_.id}/beschrijving").get_data(as_text=True)
    assert re.search(r'id="tag-barrier-debt"[^>]*\n?\s*checked', page)
    assert re.search(rf'id="provider-{provider.slug}"[^>]*\n?\s*checked', page)
    assert not re.search(r'id="tag-barrier-language"[^>]*\n?\s*checked', page)


@pytest.mark.parametrize(("raw", "field"), [
    ("[" * 100_000 + "]" * 100_000, None),            # deeper than the JSON reader goes
    ('{"a":' * 50_000 + "1" + "}" * 50_000, None),
    ('{"title": "\\ud800", "lock_version": %(lock)s}', "title"),  # a lone surrogate
])
def test_the_api_refuses_json_it_cannot_store_with_the_error_shape(client, cast, raw, field):
    round_ = drive(cast, "draft")
    secret = create_token(cast.owner, "test").secret
    db.session.commit()
    before = round_.version.title
    response = client.put(f"/api/v1/procedure/rounds/{round_.id}/description",
                          data=raw % {"lock": round_.version.lock_version} if field else raw,
                          content_type="application/json",
                          headers={"Authorization": f"Bearer {secret}"})
    error = response.get_json()["error"]

    assert response.status_code == 422 and error["code"] == "validation_failed"
    if field:
        assert error["details"][0]["field"] == field
        assert "U+D800" in error["details"][0]["messages"][0]
    db.session.expire_all()
    assert round_.version.title == before
