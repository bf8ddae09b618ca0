"""Validity of decisions: valid-until dates, expiry, reassessment and objections."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions as perm
from registry.errors import InvalidTransition
from registry.extensions import db
from registry.models import AssessmentRound, EvidenceDecision, Intervention, Submission, User
from registry.models.base import utcnow
from registry.models.procedure import CLOSED_ROUND_STATES
from registry.row_locks import hold_row
from registry.services.audit_trail import record_event
from registry.services.procedure import apply_transition


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(decided_on: date, outcome: str) -> date | None:
    """Five years after the decision, six months when provisional (both settings);
    None for not_recognised, which does not lapse."""
    config = current_app.config
    if outcome == "not_recognised":
        return None
    if outcome == "provisional":
        return add_months(decided_on, config["PROVISIONAL_VALID_MONTHS"])
    return add_months(decided_on, 12 * config["RECOGNITION_VALID_YEARS"])


@dataclass
class ExpiryReport:
    expired: list[EvidenceDecision] = field(default_factory=list)
    lapsing: list[EvidenceDecision] = field(default_factory=list)


def _current_decisions():
    return (
        select(EvidenceDecision)
        .join(Intervention, Intervention.current_decision_id == EvidenceDecision.id)
        .where(EvidenceDecision.expired_at.is_(None), EvidenceDecision.valid_until.is_not(None))
    )


def expire_lapsed(today: date | None = None, warn_days: int = 90) -> ExpiryReport:
    """Mark lapsed current decisions expired (idempotent) and list those lapsing within
    `warn_days`. Acts as the system, not as a user."""
    today = today or date.today()
    report = ExpiryReport()
    for decision in db.session.scalars(_current_decisions().order_by(EvidenceDecision.id)):
        if decision.valid_until < today:
            decision.expired_at = utcnow()
            round_ = db.session.get(AssessmentRound, decision.round_id or 0)
            if round_ is not None and round_.state == "published":
                apply_transition(round_, "expire", None, system=True)
            else:
                record_event(None, "expire", decision, intervention_id=decision.intervention_id)
            report.expired.append(decision)
        elif decision.valid_until <= today + timedelta(days=warn_days):
            report.lapsing.append(decision)
    db.session.flush()
    return report


def _one_round_at_a_time(intervention_id: int) -> None:
    """Hold the intervention's row until the transaction ends, so two requests opening a
    round for it at the same moment (an objection and a reassessment, say) take turns
    and the second sees the first's round (registry/row_locks.py)."""
    hold_row(Intervention, intervention_id)


def _refuse_a_second_open_round(intervention_id: int) -> None:
    _one_round_at_a_time(intervention_id)
    if open_round(intervention_id) is not None:
        raise InvalidTransition(_("Er loopt al een beoordelingsronde voor deze interventie."))


def open_round(intervention_id: int) -> AssessmentRound | None:
    """The intervention's round under way (not published, expired, withdrawn or under
    objection), if any."""
    stmt = select(AssessmentRound).where(
        AssessmentRound.intervention_id == intervention_id,
        AssessmentRound.state.not_in(CLOSED_ROUND_STATES),
    )
    return db.session.scalars(stmt).first()


def request_reassessment(intervention: Intervention, actor: User) -> AssessmentRound:
    """Start a reassessment round on a new draft of the published version; the current
    decision stays public until the new one is published.
    Raises PermissionDenied, InvalidTransition (a round is already open)."""
    from registry.services.submission import new_draft_from

    perm.authorize(perm.can_request_reassessment(actor, intervention))
    _refuse_a_second_open_round(intervention.id)
    base = intervention.published_version or intervention.versions[-1]
    draft = new_draft_from(base)
    round_ = AssessmentRound(
        intervention_id=intervention.id, version=draft, kind="reassessment", state="draft"
    )
    db.session.add(round_)
    db.session.flush()
    record_event(actor, "request_reassessment", round_, intervention_id=intervention.id,
                 to_state="draft")
    return round_


def lodge_objection(round_: AssessmentRound, owner: User, grounds: str) -> AssessmentRound:
    """Object to a published decision within the objection period: the round moves to
    'objection' and a new round (reviewers not on the first panel) starts at 'submitted'.
    Raises PermissionDenied, InvalidTransition (period over, or not published)."""
    decision = db.session.scalars(
        select(EvidenceDecision).filter_by(round_id=round_.id).order_by(EvidenceDecision.id.desc())
    ).first()
    days = current_app.config["OBJECTION_PERIOD_DAYS"]
    if decision is None or decision.published_at is None:
        raise InvalidTransition(
            _("Er is geen gepubliceerd besluit om bezwaar tegen te maken."))
    if decision.superseded_at is not None or (
            round_.version.intervention.current_decision_id != decision.id):
        # An objection round republishes this round's version: against a decision a
        # reassessment has replaced, it rolled the public version back.
        raise InvalidTransition(_("Dit besluit is vervangen door een nieuwer besluit; "
                                  "bezwaar kan alleen tegen het geldende besluit."))
    published_on = decision.published_at.date()
    if date.today() > published_on + timedelta(days=days):
        raise InvalidTransition(_("De bezwaartermijn van %(days)s dagen is verstreken.", days=days))
    _refuse_a_second_open_round(round_.intervention_id)
    apply_transition(round_, "object", owner, note=grounds)
    objection = AssessmentRound(
        intervention_id=round_.intervention_id, version_id=round_.version_id,
        kind="objection", state="submitted",
    )
    db.session.add(objection)
    db.session.flush()
    db.session.add(Submission(round=objection, version_id=round_.version_id,
                              submitted_by_id=owner.id))
    record_event(owner, "lodge_objection", objection, intervention_id=round_.intervention_id,
                 to_state="submitted", note=grounds)
    db.session.flush()
    return objection
