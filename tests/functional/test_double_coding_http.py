"""Double coding over HTTP: a reviewer codes a study's findings through the form, the
other coder too, and the secretary decides the difference; bad rows come back with
their errors, nothing saved."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import Finding, FindingCoding
from registry.services.vocabularies import terms_by_code
from tests.factories import StudyFactory, link
from tests.unit.procedure.support import drive, login, make_cast


@pytest.fixture
def review(app):
    cast = make_cast()
    round_ = drive(cast, "in_review")
    study = StudyFactory(title="Werkfit Zuid: RCT")
    link(round_.version.intervention, study)
    db.session.commit()
    clients = {}
    for role in ("reviewer_a", "reviewer_b", "secretary", "owner"):
        clients[role] = app.test_client()
        assert login(clients[role], getattr(cast, role)).status_code == 302
    return cast, round_, study, clients


def _row(effect: str) -> dict:
    return {"rows": "1", "row-1-outcome_domain": "work", "row-1-time_point_months": "12",
            "row-1-measure": "Betaald werk", "row-1-effect_size_type": "risk_ratio",
            "row-1-effect_size": effect, "row-1-direction": "favourable"}


def test_two_codings_and_a_decision_make_one_counted_finding(review):
    cast, round_, study, clients = review
    url = f"/procedure/rondes/{round_.id}/studies/{study.id}"
    round_page = clients["reviewer_a"].get(f"/procedure/rondes/{round_.id}").get_data(
        as_text=True)
    assert f"{url}/coderen" in round_page
    for who, effect in (("reviewer_a", "1,35"), ("reviewer_b", "1.40")):
        response = clients[who].post(f"{url}/coderen", data={**_row(effect), "action": "submit"})
        assert response.status_code == 302
    overview = clients["secretary"].get("/procedure/overzicht").get_data(as_text=True)
    table = overview[overview.index('id="codering"'):overview.index('id="kappa-paren"')]
    assert re.search(r'Effectgrootte</th><td class="number">1</td><td class="number">0</td>',
                     table)
    assert re.search(r'Richting</th><td class="number">1</td><td class="number">1</td>'
                     r'<td class="number">100%', table)
    page = clients["secretary"].get(f"{url}/verschillen").get_data(as_text=True)
    assert "(verschilt)" in page and "1,350" in page and "1,400" in page
    domain = terms_by_code("outcome_domain")["work"].id
    undecided = clients["secretary"].post(f"{url}/verschillen", data={
        "domain": domain, "time_point": 12}).get_data(as_text=True)
    choice = f"bevinding-{domain}-12-effect_size"
    assert f'id="{choice}" aria-describedby="{choice}-fouten"' in undecided
    assert f'id="{choice}-fouten"' in undecided
    response = clients["secretary"].post(f"{url}/verschillen", data={
        "domain": domain, "time_point": 12, "choice-effect_size": "b"})
    assert response.status_code == 302
    finding = db.session.scalars(select(Finding).filter_by(study_id=study.id)).one()
    assert (str(finding.effect_size), finding.counts_towards_rating) == ("1.400", True)
    again = clients["secretary"].post(f"{url}/verschillen", data={
        "domain": domain, "time_point": 12, "choice-effect_size": "a"})
    assert again.status_code == 409
    assert "al beslist" in again.get_data(as_text=True)


def test_which_side_is_better_is_coded_kept_and_decided_like_any_field(review):
    _cast, round_, study, clients = review
    url = f"/procedure/rondes/{round_.id}/studies/{study.id}"
    lower = {**_row("0.8"), "row-1-measure": "Uitkeringsafhankelijkheid",
             "row-1-lower_is_better": "1"}
    clients["reviewer_a"].post(f"{url}/coderen", data={**lower, "action": "save"})
    form = clients["reviewer_a"].get(f"{url}/coderen").get_data(as_text=True)
    assert '<option value="1" selected>' in form
    clients["reviewer_a"].post(f"{url}/coderen", data={**lower, "action": "submit"})
    clients["reviewer_b"].post(f"{url}/coderen", data={**_row("0.8"), "action": "submit"})
    domain = terms_by_code("outcome_domain")["work"].id
    response = clients["secretary"].post(f"{url}/verschillen", data={
        "domain": domain, "time_point": 12, "choice-measure": "a",
        "choice-lower_is_better": "a"})
    assert response.status_code == 302
    finding = db.session.scalars(select(Finding).filter_by(study_id=study.id)).one()
    assert finding.lower_is_better is True


def test_a_bad_row_comes_back_with_its_error_and_nothing_is_saved(review):
    _cast, round_, study, clients = review
    data = {**_row("groot"), "action": "save"}
    response = clients["reviewer_a"].post(
        f"/procedure/rondes/{round_.id}/studies/{study.id}/coderen", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'href="#row-1-effect_size"' in text and 'value="groot"' in text
    assert db.session.scalars(select(FindingCoding)).all() == []


def test_the_owner_and_outsiders_may_not_code_or_decide(review):
    _cast, round_, study, clients = review
    url = f"/procedure/rondes/{round_.id}/studies/{study.id}"
    assert clients["owner"].get(f"{url}/coderen").status_code == 403
    assert clients["owner"].get(f"{url}/verschillen").status_code == 403
    other = StudyFactory()
    db.session.commit()
    assert clients["reviewer_a"].get(
        f"/procedure/rondes/{round_.id}/studies/{other.id}/coderen").status_code == 404


@pytest.mark.parametrize("rows", ["9" * 5000, "-1", "veel", ""])
def test_a_garbage_row_count_reads_no_rows_and_writes_nothing(review, rows):
    _cast, round_, study, clients = review
    response = clients["reviewer_a"].post(
        f"/procedure/rondes/{round_.id}/studies/{study.id}/coderen",
        data={**_row("1.2"), "rows": rows, "action": "submit"})
    assert response.status_code == 422
    assert "Codeer minstens één bevinding" in response.get_data(as_text=True)
    assert db.session.scalars(select(FindingCoding)).all() == []


def test_a_difference_at_one_month_says_maand(review):
    _cast, round_, study, clients = review
    url = f"/procedure/rondes/{round_.id}/studies/{study.id}"
    for who, effect in (("reviewer_a", "1,35"), ("reviewer_b", "1.40")):
        clients[who].post(f"{url}/coderen", data={
            **_row(effect), "row-1-time_point_months": "1", "action": "submit"})

    page = clients["secretary"].get(f"{url}/verschillen").get_data(as_text=True)

    assert ", 1 maand" in page and "1 maanden" not in page
