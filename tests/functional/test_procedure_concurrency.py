"""Two threads take the same transition at the same moment: exactly one succeeds, the
other gets Conflict (409). Needs real separate connections, so a database of its own."""

from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from registry.errors import Conflict, InvalidTransition
from registry.extensions import db
from registry.models import AuditEvent, EvidenceDecision, Submission
from registry.services import decision, submission
from registry.services.procedure import get_round
from registry.services.vocabularies import load_vocabularies
from tests.conftest import make_test_app
from tests.unit.procedure.support import RATIONALE, drive, make_cast


@pytest.fixture
def real_app(own_database_url, tmp_path):
    app = make_test_app(own_database_url, tmp_path)
    saved = db.session
    # The per-test session is bound to the shared test connection; these threads need
    # sessions of their own on this app's engine.
    db.session = db._make_scoped_session({})
    try:
        with app.app_context():
            upgrade()
            load_vocabularies()
            db.session.commit()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        db.session = saved


def arrange(app, until: str) -> tuple[int, dict]:
    with app.app_context():
        cast = make_cast()
        round_ = drive(cast, until)
        db.session.commit()
        ids = {"owner": cast.owner.id, "secretary": cast.secretary.id}
        return round_.id, ids


def run_race(app, round_id: int, action) -> list[str]:
    """Two threads load the round, meet at a barrier, then both try `action(round)`."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run():
        with app.app_context():
            round_ = get_round(round_id)
            round_.version  # noqa: B018  (loaded before the race, as a request would)
            barrier.wait()
            try:
                action(round_)
                db.session.commit()
                outcomes.append("ok")
            except (Conflict, InvalidTransition):
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def count(app, stmt) -> int:
    with app.app_context():
        return db.session.scalar(stmt)


def test_double_submission_makes_exactly_one_transition(real_app):
    round_id, ids = arrange(real_app, "draft")

    def submit(round_):
        submission.submit(round_, _user(ids["owner"]))

    outcomes = run_race(real_app, round_id, submit)
    submissions = count(real_app, select(func.count(Submission.id)))
    events = count(
        real_app, select(func.count(AuditEvent.id)).where(AuditEvent.action == "submit")
    )
    assert (outcomes, submissions, events) == (["conflict", "ok"], 1, 1)


def test_double_decision_makes_exactly_one_decision(real_app):
    round_id, ids = arrange(real_app, "in_discussion")

    def decide(round_):
        decision.record_decision(round_, _user(ids["secretary"]), {"outcome": "effective_good",
                                                                   "rationale": RATIONALE})

    outcomes = run_race(real_app, round_id, decide)
    decisions = count(real_app, select(func.count(EvidenceDecision.id)))
    assert (outcomes, decisions) == (["conflict", "ok"], 1)


def _user(user_id: int):
    from registry.models import User

    return db.session.get(User, user_id)
