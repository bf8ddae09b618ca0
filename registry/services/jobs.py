"""The scheduled jobs: `flask jobs run`, which a systemd timer or cron starts daily.

Expires lapsed recognitions and provisional decisions, then reminds the owner and the
secretaries of each recognition at the configured points before it lapses
(REMINDER_MONTHS_BEFORE_EXPIRY, default 6, 3 and 1 months), in the app and by e-mail.

Safe on several hosts at once: on PostgreSQL the run holds a transaction-scoped advisory
lock, so a second host starting at the same moment finds it taken and does nothing; on
SQLite (one host) the database's single writer does the same. Each reminder is one
transaction with its DecisionReminder row (unique per decision and point), so a run
killed halfway leaves every reminder either sent and recorded or neither, and the next
run sends each missing one exactly once. E-mails go out after each commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select, text

from registry.errors import Conflict
from registry.extensions import db, on_postgresql
from registry.i18n import N_
from registry.models import (
    DecisionReminder,
    EvidenceDecision,
    Intervention,
)
from registry.services.accounts import active_owners_of, active_secretaries
from registry.services.notices import notify
from registry.services.validity import add_months, expire_lapsed
from registry.unit_of_work import commit

JOBS_LOCK = 0x10B5  # any constant all hosts share
REMINDER = N_("De erkenning van een interventie verloopt binnenkort. Start op tijd een "
              "herbeoordeling.")


@dataclass
class JobReport:
    ran: bool = True  # False: another host held the lock
    expired: list[EvidenceDecision] = field(default_factory=list)
    reminded: list[tuple[EvidenceDecision, int]] = field(default_factory=list)


def run_jobs(today: date | None = None) -> JobReport:
    """Every scheduled job once, each step committed. Returns what was done."""
    today = today or date.today()
    if not _lock():
        db.session.rollback()
        return JobReport(ran=False)
    report = JobReport(expired=expire_lapsed(today).expired)
    commit()
    for decision, months in due_reminders(today):
        # The lock ends with each transaction: take it again, and check again under it
        # whether a host that ran meanwhile sent this one.
        if not _lock():
            db.session.rollback()
            break
        if _handled(decision.id, months):
            db.session.rollback()
            continue
        send_reminder(decision, months)
        try:
            commit()
        except Conflict:  # SQLite: another process recorded it a moment earlier
            continue
        report.reminded.append((decision, months))
    return report


def _handled(decision_id: int, months: int) -> bool:
    return db.session.scalar(select(DecisionReminder.id).where(
        DecisionReminder.decision_id == decision_id,
        DecisionReminder.months_before == months)) is not None


def _lock() -> bool:
    if not on_postgresql():
        return True
    return bool(db.session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                  {"key": JOBS_LOCK}))


def reminder_points() -> tuple[int, ...]:
    """Months before expiry at which to remind, largest first."""
    return tuple(sorted(current_app.config["REMINDER_MONTHS_BEFORE_EXPIRY"], reverse=True))


def due_reminders(today: date) -> list[tuple[EvidenceDecision, int]]:
    """(decision, months) for each current, unexpired decision whose nearest due point
    has not been handled: a decision first seen two months before expiry gets the
    three-month reminder once, not the six-month one as well."""
    handled = {(r.decision_id, r.months_before) for r in db.session.scalars(
        select(DecisionReminder))}
    stmt = (
        select(EvidenceDecision)
        .join(Intervention, Intervention.current_decision_id == EvidenceDecision.id)
        .where(EvidenceDecision.expired_at.is_(None), EvidenceDecision.valid_until.is_not(None),
               EvidenceDecision.valid_until >= today)
        .order_by(EvidenceDecision.id)
    )
    due = []
    for decision in db.session.scalars(stmt):
        reached = [m for m in reminder_points()
                   if add_months(today, m) >= decision.valid_until]
        if reached and (decision.id, min(reached)) not in handled:
            due.append((decision, min(reached)))
    return due


def send_reminder(decision: EvidenceDecision, months: int) -> None:
    """Notify the owners and secretaries once, and record this point and every larger one
    that is due (they are passed over, not sent late)."""
    intervention = decision.intervention
    owners = active_owners_of(intervention)
    secretaries = active_secretaries()
    notify(owners, "reminder", REMINDER,
           f"/procedure/interventies/{intervention.id}/herbeoordeling", about=intervention.title)
    notify([s for s in secretaries if s not in owners], "reminder", REMINDER,
           f"/interventies/{intervention.slug}", about=intervention.title)
    handled = {r.months_before for r in db.session.scalars(
        select(DecisionReminder).where(DecisionReminder.decision_id == decision.id))}
    for point in reminder_points():
        if point >= months and point not in handled:
            db.session.add(DecisionReminder(decision_id=decision.id, months_before=point,
                                            sent=point == months))
    db.session.flush()
