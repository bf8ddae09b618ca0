"""Owner pages (two editors, versions and their diff), the expiry command, the dashboard."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from registry.extensions import db
from registry.models import Intervention
from registry.services import screening, submission
from tests.functional.statements import statements_of_page
from tests.unit.procedure.support import (
    description,
    drive,
    login,
    make_cast,
    make_user,
)


@pytest.fixture
def cast():
    cast = make_cast()
    db.session.commit()
    return cast


def test_the_second_save_of_the_same_draft_is_a_conflict_not_an_overwrite(app, cast):
    round_ = drive(cast, "draft")
    colleague = make_user("owner", organisation=cast.organisation)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, cast.owner)
    login(second, colleague)
    url = f"/procedure/rondes/{round_.id}/beschrijving"
    lock = str(round_.version.lock_version)
    saved = first.post(url, data=description(title="Eerste", lock_version=lock))
    refused = second.post(url, data=description(title="Tweede", lock_version=lock))
    db.session.expire_all()
    assert (saved.status_code, refused.status_code, round_.version.title) == (302, 409, "Eerste")
    assert "Iemand anders heeft dit intussen opgeslagen" in refused.get_data(as_text=True)


def test_the_diff_page_shows_what_changed_between_versions(client, cast):
    round_ = drive(cast, "screening")
    screening.screen(round_, cast.secretary, [], "returned", "Vul de kosten aan.")
    submission.save_draft(round_, cast.owner, {"cost_notes": "Ongeveer 2000 euro."})
    db.session.commit()
    login(client, cast.owner)
    page = client.get(f"/procedure/interventies/{round_.intervention_id}/versies?van=1&naar=2")
    assert "<ins>+ Ongeveer 2000 euro.</ins>" in page.get_data(as_text=True)


def test_the_owner_sees_screening_remarks_and_a_notice(client, cast):
    round_ = drive(cast, "screening")
    screening.screen(round_, cast.secretary, [], "returned", "Vul de kosten aan.")
    db.session.commit()
    login(client, cast.owner)
    dashboard = client.get("/mijn/").get_data(as_text=True)
    round_page = client.get(f"/procedure/rondes/{round_.id}").get_data(as_text=True)
    assert "teruggestuurd" in dashboard and "Vul de kosten aan." in round_page


def test_the_expire_command_is_idempotent(app, cast):
    round_ = drive(cast, "published")
    db.session.commit()
    later = (round_.version.intervention.current_decision.valid_until + timedelta(days=1))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["procedure", "expire", "--today", later.isoformat()])
    second = runner.invoke(args=["procedure", "expire", "--today", later.isoformat()])
    assert "Verlopen: 1" in first.output and "Verlopen: 0" in second.output
    assert round_.state == "expired"


def test_the_expire_command_lists_decisions_lapsing_within_90_days(app, cast):
    round_ = drive(cast, "published")
    db.session.commit()
    soon = round_.version.intervention.current_decision.valid_until - timedelta(days=60)
    result = app.test_cli_runner().invoke(args=["procedure", "expire", "--today", str(soon)])
    assert "Verloopt binnen 90 dagen: 1" in result.output


def test_reassessment_over_http_starts_a_new_round(client, cast):
    round_ = drive(cast, "published")
    db.session.commit()
    login(client, cast.owner)
    response = client.post(f"/procedure/interventies/{round_.intervention_id}/herbeoordeling")
    assert response.status_code == 302 and "/procedure/rondes/" in response.headers["Location"]
    assert round_.version.intervention.current_decision.valid_until > date.today()


def _unreferenced_errors(page: str) -> list[str]:
    """The ids of the page's inline error messages that no field names in its
    aria-describedby (a screen reader on that field would not hear them), and those
    whose field does not say it is invalid."""
    from lxml import html

    tree = html.fromstring(page)
    missing = []
    for message in tree.xpath('//*[contains(@class, "field-errors")]/@id'):
        fields = tree.xpath(f'//*[self::input or self::select or self::textarea]'
                            f'[contains(concat(" ", @aria-describedby, " "), " {message} ")]')
        if not fields or not all(f.get("aria-invalid") == "true" for f in fields):
            missing.append(message)
    return missing


def test_every_error_of_the_blind_assessment_form_is_tied_to_its_field(client, cast):
    round_ = drive(cast, "in_review")
    db.session.commit()
    login(client, cast.reviewer_a)
    response = client.post(f"/procedure/rondes/{round_.id}/beoordeling",
                           data={"action": "submit"})
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert page.count('class="field-errors"') >= 3  # scores, study questions, level ...
    assert _unreferenced_errors(page) == []


def test_every_error_of_the_screening_form_is_tied_to_its_field(client, cast):
    round_ = drive(cast, "screening")
    db.session.commit()
    login(client, cast.secretary)
    response = client.post(f"/procedure/rondes/{round_.id}/screening", data={
        "outcome": "returned", "lock_version": str(round_.lock_version)})
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert 'id="remarks-fouten"' in page
    assert _unreferenced_errors(page) == []


@pytest.mark.parametrize("page", ["", "/quickscan"])
def test_a_round_page_reads_its_linked_studies_in_a_few_queries(client, cast, page):
    """The dossier, the suggested level and the quickscan read every linked study: a
    lazy load per study made 120 queries for an intervention with 31 studies."""
    from tests.factories import FindingFactory, StudyFactory, link

    round_ = drive(cast, "in_review")
    intervention_id = round_.intervention_id
    db.session.commit()
    login(client, cast.secretary)
    path = f"/procedure/rondes/{round_.id}{page}"
    statements_of_page(client, path, fresh=True)  # what a first request loads once
    few = statements_of_page(client, path, fresh=True)
    intervention = db.session.get(Intervention, intervention_id)
    for _ in range(6):
        study = StudyFactory()
        FindingFactory(study=study)
        link(intervention, study)
    db.session.commit()
    assert statements_of_page(client, path, fresh=True) <= few + 1


def test_marking_a_notice_read_says_so_and_returns_to_the_notices(client, cast):
    from registry.models import Notice

    round_ = drive(cast, "screening")
    screening.screen(round_, cast.secretary, [], "returned", "Vul de kosten aan.")
    db.session.commit()
    login(client, cast.owner)
    notice = db.session.query(Notice).filter_by(user_id=cast.owner.id).first()
    dashboard = client.get("/mijn/").get_data(as_text=True)

    response = client.post(f"/mijn/meldingen/{notice.id}/gelezen")

    assert response.headers["Location"].endswith("/mijn/#meldingen")
    assert "De melding is gelezen." in client.get("/mijn/").get_data(as_text=True)
    assert re.search(r'Gelezen<span class="visually-hidden">: [^<]+ – <span>'
                     + re.escape(round_.version.title), dashboard)


def _unmarked(page: str, text: str) -> bool:
    """Whether `text` appears on the page outside every element marked lang="nl"."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[bool] = []
            self.found = False

        def handle_starttag(self, tag, attrs):
            if tag not in ("br", "img", "input", "meta", "link", "hr"):
                self.stack.append(dict(attrs).get("lang") == "nl")

        def handle_endtag(self, tag):
            if tag not in ("br", "img", "input", "meta", "link", "hr") and self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if text in data and not any(self.stack):
                self.found = True

    reader = Reader()
    reader.feed(page[page.index("<main"):])
    return reader.found


@pytest.mark.parametrize(("until", "who", "path"), [
    ("in_review", "secretary", "/procedure/rondes/{id}/panel"),
    ("in_review", "secretary", "/procedure/rondes/{id}/screening"),
    ("in_review", "reviewer_a", "/procedure/rondes/{id}/beoordeling"),
    ("confirmed", "secretary", "/procedure/rondes/{id}"),
    ("confirmed", "owner", "/mijn/"),
])
def test_english_procedure_pages_mark_the_dutch_catalogue_text(client, cast, until, who, path):
    round_ = drive(cast, until)
    db.session.commit()
    login(client, getattr(cast, who))
    client.get("/taal/en?next=/")
    page = client.get(path.format(id=round_.id))
    assert page.status_code == 200, path
    body = page.get_data(as_text=True)
    title = round_.version.title
    assert title in body
    assert not _unmarked(body, title), f"{title!r} not marked lang=nl on {path}"
    if until == "confirmed" and who == "secretary":
        assert not _unmarked(body, "Motivering van")  # the reviewers' own words


def test_an_english_refusal_is_english(client, cast):
    round_ = drive(cast, "submitted")
    db.session.commit()
    login(client, make_user("professional"))
    client.get("/taal/en?next=/")
    page = client.get(f"/procedure/interventies/{round_.version.intervention_id}/geschiedenis")
    text = page.get_data(as_text=True)
    assert page.status_code == 403 and "You may not do this." in text
    assert "U mag deze handeling" not in text


def test_a_step_that_is_no_longer_possible_is_explained_without_codes(client, cast):
    round_ = drive(cast, "screening")
    db.session.commit()
    login(client, cast.secretary)
    page = client.post(f"/procedure/rondes/{round_.id}/screening/starten")
    text = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "de ronde is nu &#39;In screening&#39;" in text
    assert "error-details" not in text  # no "state: screening" beneath it
