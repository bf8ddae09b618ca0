"""The quickscan page and the advisory round over HTTP: who may see and write what, the
notices and audit events, and the errors for bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent, Notice, RoundAdvice
from registry.services import submission
from tests.unit.procedure.support import drive, login, make_cast, make_user


@pytest.fixture
def draft(app):
    cast = make_cast()
    round_ = drive(cast, "draft")
    db.session.commit()
    return cast, round_


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _notices(user, kind: str) -> list[Notice]:
    return list(db.session.scalars(select(Notice).filter_by(user_id=user.id, kind=kind)))


def _events(round_, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(
        entity_id=round_.id, entity_type="assessment_rounds", action=action)))


def test_the_owner_sees_what_is_within_reach_and_what_is_missing(app, draft):
    cast, round_ = draft
    page = _client(app, cast.owner).get(f"/procedure/rondes/{round_.id}/quickscan")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nog geen niveau binnen bereik." in text
    missing = text[text.index('id="ontbreekt"'):text.index('id="regels"')]
    assert "Duur en intensiteit zijn beschreven" in missing
    assert "Titel, samenvatting" not in missing  # met, so not missing
    # The round page leads there while the round is a draft.
    round_page = _client(app, cast.owner).get(f"/procedure/rondes/{round_.id}")
    assert f"/procedure/rondes/{round_.id}/quickscan" in round_page.get_data(as_text=True)


def test_a_question_and_the_advice_are_notices_and_audit_events_and_nothing_changes(
        app, draft):
    cast, round_ = draft
    owner, secretary = _client(app, cast.owner), _client(app, cast.secretary)
    url = f"/procedure/rondes/{round_.id}"
    response = owner.post(f"{url}/advies/vragen",
                          data={"body": "Is één procesevaluatie genoeg voor de screening?"})
    assert response.status_code == 302
    assert len(_notices(cast.secretary, "advice_requested")) == 1
    assert _events(round_, "advice_requested")[0].note.startswith("Is één procesevaluatie")
    response = secretary.post(f"{url}/advies", data={
        "body": "Ja, mits die evaluatie op twee locaties is gedaan; voeg het rapport toe."})
    assert response.status_code == 302
    assert len(_notices(cast.owner, "advice_given")) == 1
    assert len(_events(round_, "advice_given")) == 1
    db.session.refresh(round_)
    assert round_.state == "draft"
    thread = owner.get(f"{url}/quickscan").get_data(as_text=True)
    assert thread.index("Vraag van de indiener") < thread.index("Advies van het secretariaat")
    assert "voeg het rapport toe" in thread


def test_advice_too_short_is_refused_in_dutch_and_nothing_is_written(app, draft):
    cast, round_ = draft
    response = _client(app, cast.secretary).post(
        f"/procedure/rondes/{round_.id}/advies", data={"body": "Prima."})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Schrijf minstens 20 tekens." in text
    assert 'aria-invalid="true"' in text and ">Prima.</textarea>" in text
    assert db.session.scalars(select(RoundAdvice)).all() == []
    assert _events(round_, "advice_given") == []


def test_an_empty_or_too_long_question_is_refused(app, draft):
    cast, round_ = draft
    owner = _client(app, cast.owner)
    url = f"/procedure/rondes/{round_.id}/advies/vragen"
    assert owner.post(url, data={"body": "   "}).status_code == 422
    assert owner.post(url, data={"body": "x" * 5001}).status_code == 422
    assert db.session.scalars(select(RoundAdvice)).all() == []


def test_after_submission_the_advisory_round_is_closed(app, draft):
    cast, round_ = draft
    submission.submit(round_, cast.owner)
    db.session.commit()
    owner = _client(app, cast.owner)
    response = owner.post(f"/procedure/rondes/{round_.id}/advies/vragen",
                          data={"body": "Nog een vraag."})
    assert response.status_code == 409
    assert "alleen over een concept" in response.get_data(as_text=True)
    page = owner.get(f"/procedure/rondes/{round_.id}/quickscan").get_data(as_text=True)
    assert "de adviesronde is gesloten" in page and "<textarea" not in page


@pytest.mark.parametrize("who", ["reviewer_a", "other_owner"])
def test_others_may_not_see_the_quickscan_or_ask(app, draft, who):
    cast, round_ = draft
    user = getattr(cast, who, None) or make_cast().owner
    db.session.commit()
    client = _client(app, user)
    assert client.get(f"/procedure/rondes/{round_.id}/quickscan").status_code == 403
    assert client.post(f"/procedure/rondes/{round_.id}/advies/vragen",
                       data={"body": "Mag ik meekijken?"}).status_code == 403
    assert client.post(f"/procedure/rondes/{round_.id}/advies",
                       data={"body": "Dit is advies van iemand die dat niet mag geven."}
                       ).status_code == 403


def test_an_adviser_is_told_of_a_question_sees_it_waiting_and_may_answer(app, draft):
    cast, round_ = draft
    adviser = make_user("adviser")
    db.session.commit()
    owner, advising = _client(app, cast.owner), _client(app, adviser)
    url = f"/procedure/rondes/{round_.id}"
    owner.post(f"{url}/advies/vragen", data={"body": "Welk niveau is haalbaar?"})
    assert len(_notices(adviser, "advice_requested")) == 1
    queue = advising.get("/mijn/").get_data(as_text=True)
    waiting = queue[queue.index('id="adviesvragen"'):]
    assert round_.version.title in waiting
    response = advising.post(f"{url}/advies", data={
        "body": "Goed beschreven lijkt haalbaar; vul eerst duur en intensiteit in."})
    assert response.status_code == 302
    after = advising.get("/mijn/").get_data(as_text=True)
    assert "Geen open vragen." in after[after.index('id="adviesvragen"'):]
