"""Owner pages (two editors, versions and their diff), the expiry command, the dashboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from registry.extensions import db
from registry.services import screening, submission
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
