"""Two threads take the same transition at the same moment: exactly one succeeds, the
other gets Conflict (409). Needs real separate connections, so a database of its own."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from registry.errors import Conflict, InvalidTransition
from registry.extensions import db
from registry.models import AssessmentRound, AuditEvent, EvidenceDecision, Intervention, Submission
from registry.services import decision, screening, submission, validity
from registry.services.procedure import get_round
from tests.unit.procedure.support import RATIONALE, drive, make_cast


@pytest.fixture
def real_app(threaded_app):
    return threaded_app


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
                outcomes.append(_outcome(lambda: action(round_)))
            finally:
                db.session.remove()

    _run_together([threading.Thread(target=run) for _ in range(2)])
    return sorted(outcomes)


def _outcome(action) -> str:
    """Run `action` and commit: "ok", or "conflict" (rolled back) when it lost."""
    try:
        action()
        db.session.commit()
        return "ok"
    except (Conflict, InvalidTransition):
        db.session.rollback()
        return "conflict"


def _run_together(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


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


def race_held(app, first, second) -> list[str]:
    """`first` acts (its writes flushed, not committed) and holds its transaction until
    `second`, which acts meanwhile on what it read before, has finished (or for 2 s);
    each gets its own session. Returns the sorted outcomes."""
    acted, finished = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def hold_then_commit():
        first()
        acted.set()
        finished.wait(2)

    def run(action, before=None):
        with app.app_context():
            try:
                if before:
                    before.wait(10)
                outcomes.append(_outcome(action))
            finally:
                acted.set()
                db.session.remove()
                if before:
                    finished.set()

    _run_together([threading.Thread(target=run, args=(hold_then_commit,)),
                   threading.Thread(target=run, args=(second, acted))])
    return sorted(outcomes)


def _published(app) -> tuple[int, int, dict]:
    with app.app_context():
        cast = make_cast()
        round_ = drive(cast, "published")
        db.session.commit()
        return round_.id, round_.intervention_id, {
            "owner": cast.owner.id, "secretary": cast.secretary.id}


def test_leaving_the_panel_while_the_discussion_opens_lets_only_one_through(real_app):
    # The discussion's guard checks the panel it read: a member who leaves in a
    # transaction not yet committed must make one of the two fail, not leave the
    # discussion open on a one-member panel.
    with real_app.app_context():
        cast = make_cast()
        round_ = drive(cast, "assessed")
        db.session.commit()
        round_id, secretary_id, leaving_id = round_.id, cast.secretary.id, cast.reviewer_b.id

    def leave():
        screening.declare_conflict(get_round(round_id), _user(leaving_id), "Belang")

    def open_discussion():
        decision.open_discussion(get_round(round_id), _user(secretary_id))

    assert race_held(real_app, leave, open_discussion) == ["conflict", "ok"]


def test_an_objection_and_a_reassessment_at_once_open_one_round(real_app):
    round_id, intervention_id, ids = _published(real_app)

    def object_():
        validity.lodge_objection(get_round(round_id), _user(ids["owner"]), "Wij zijn het oneens.")

    def reassess():
        validity.request_reassessment(db.session.get(Intervention, intervention_id),
                                      _user(ids["secretary"]))

    outcomes = race_held(real_app, object_, reassess)

    open_rounds = count(real_app, select(func.count(AssessmentRound.id)).where(
        AssessmentRound.intervention_id == intervention_id,
        AssessmentRound.state.in_(("draft", "submitted"))))
    assert (outcomes, open_rounds) == (["conflict", "ok"], 1)


def test_a_double_clicked_confirmation_is_audited_once(real_app):
    with real_app.app_context():
        cast = make_cast()
        round_ = drive(cast, "decided")
        db.session.commit()
        round_id, member_id = round_.id, cast.reviewer_a.id

    def confirm():
        decision.confirm_decision(get_round(round_id), _user(member_id))

    outcomes = race_held(real_app, confirm, confirm)

    events = count(real_app, select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "confirm_decision"))
    assert (outcomes, events) == (["ok", "ok"], 1)


def _user(user_id: int):
    from registry.models import User

    return db.session.get(User, user_id)
