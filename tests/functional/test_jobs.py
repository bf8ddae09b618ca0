"""`flask jobs run`: expiry and reminders before expiry, each sent exactly once, to the
right people, safe when another host runs at the same moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from registry.extensions import db
from registry.models import DecisionReminder, EvidenceDecision, Notice
from registry.services import jobs
from registry.services.validity import add_months
from tests.unit.procedure.support import drive, login, make_cast, make_user


@pytest.fixture
def cast():
    return make_cast()


def _published(cast) -> EvidenceDecision:
    round_ = drive(cast, "published")
    return round_.version.intervention.current_decision


def _notices(user) -> list[Notice]:
    return list(db.session.scalars(select(Notice).filter_by(user_id=user.id, kind="reminder")))


def test_each_point_before_expiry_reminds_owner_and_secretary_once(cast):
    decision = _published(cast)
    lapses = decision.valid_until
    bystander = make_user("reviewer")
    sent = []
    for months in (6, 3, 1):
        day = add_months(lapses, -months)
        for _run in range(2):  # a second run the same day sends nothing more
            sent += jobs.run_jobs(day).reminded
    assert [(d.id, m) for d, m in sent] == [(decision.id, 6), (decision.id, 3), (decision.id, 1)]
    assert len(_notices(cast.owner)) == 3 and len(_notices(cast.secretary)) == 3
    assert _notices(bystander) == []
    link = _notices(cast.owner)[0].link
    assert link == f"/procedure/interventies/{decision.intervention_id}/herbeoordeling"


def test_a_decision_first_seen_late_gets_the_nearest_reminder_only(cast):
    decision = _published(cast)
    report = jobs.run_jobs(decision.valid_until - timedelta(days=60))
    assert [m for _d, m in report.reminded] == [3]
    rows = {(r.months_before, r.sent) for r in db.session.scalars(select(DecisionReminder))}
    assert rows == {(6, False), (3, True)}
    assert len(_notices(cast.owner)) == 1


def test_nothing_is_sent_long_before_expiry_or_after_it(cast):
    decision = _published(cast)
    assert jobs.run_jobs(add_months(decision.valid_until, -7)).reminded == []
    report = jobs.run_jobs(decision.valid_until + timedelta(days=1))
    assert report.expired == [decision] and report.reminded == []
    assert db.session.scalar(select(func.count(Notice.id)).filter_by(kind="reminder")) == 0


def test_the_reminder_points_are_a_setting(app, cast, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_MONTHS_BEFORE_EXPIRY", (2,))
    decision = _published(cast)
    assert jobs.run_jobs(add_months(decision.valid_until, -3)).reminded == []
    assert [m for _d, m in jobs.run_jobs(
        add_months(decision.valid_until, -2)).reminded] == [2]


def test_a_second_host_finds_the_lock_taken_and_does_nothing(cast):
    decision = _published(cast)
    if db.session.get_bind().dialect.name != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite has one writer")
    with db.engine.connect() as other_host:
        other_host.execute(text("SELECT pg_advisory_lock(:key)"), {"key": jobs.JOBS_LOCK})
        try:
            report = jobs.run_jobs(add_months(decision.valid_until, -6))
        finally:
            other_host.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": jobs.JOBS_LOCK})
    assert report.ran is False and report.reminded == []
    assert _notices(cast.owner) == []


def test_the_command_prints_what_it_did(app, cast):
    decision = _published(cast)
    day = add_months(decision.valid_until, -1).isoformat()
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--today", day])
    assert result.exit_code == 0, result.output
    assert "Herinneringen verstuurd: 1" in result.output
    assert decision.intervention.slug in result.output


def test_the_reminder_leads_the_owner_to_a_button_that_starts_the_reassessment(client, cast):
    decision = _published(cast)
    db.session.commit()
    login(client, cast.owner)
    url = f"/procedure/interventies/{decision.intervention_id}/herbeoordeling"
    page = client.get(url).get_data(as_text=True)
    assert "Herbeoordeling starten" in page and 'name="csrf_token"' in page
    response = client.post(url)
    assert response.status_code == 302


ROOT = Path(__file__).resolve().parents[2]


def _reminded_decisions() -> int:
    """How many decisions the job has committed reminders for (each gets a row per point)."""
    db.session.rollback()  # a fresh snapshot of what the killed process committed
    return db.session.scalar(select(func.count(func.distinct(DecisionReminder.decision_id))))


@pytest.mark.slow
def test_a_run_killed_halfway_sends_nothing_twice_when_run_again(own_database_url, tmp_path):
    from tests.conftest import app_on_own_database
    from tests.factories import OrganisationFactory, make_intervention

    with app_on_own_database(own_database_url, tmp_path):
        organisation = OrganisationFactory()
        owner = make_user("owner", organisation=organisation)
        count = 150
        for number in range(count):
            item = make_intervention(slug=f"itv-{number}", outcome="effective_good")
            item.owner_organisation_id = organisation.id
        db.session.commit()
        day = add_months(db.session.scalar(select(func.min(EvidenceDecision.valid_until))), -1)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "REGISTRY_DATABASE_URL": own_database_url,
               "REGISTRY_INSTANCE_DIR": str(tmp_path / "instance")}
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run",
                   "--today", day.isoformat()]
        job = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while _reminded_decisions() < 1 and job.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        job.send_signal(signal.SIGKILL)
        job.wait(timeout=30)
        killed_at = _reminded_decisions()
        assert 0 < killed_at < count, "the kill came too late to test anything"

        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=300)
        assert again.returncode == 0, again.stderr[-2000:]
        db.session.rollback()
        per_decision = db.session.execute(
            select(DecisionReminder.decision_id, func.count()).group_by(
                DecisionReminder.decision_id)).all()
        assert len(per_decision) == count and {n for _id, n in per_decision} == {3}
        notices = db.session.scalar(select(func.count(Notice.id)).filter_by(
            user_id=owner.id, kind="reminder"))
        assert notices == count  # one per intervention: none lost, none twice
