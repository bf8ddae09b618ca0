"""Discussion and decision: the secretary opens the discussion, records the decision,
every panel member confirms it (unanimity), and publication updates the public page."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from registry import permissions as perm
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.i18n import N_
from registry.models import (
    AssessmentRound,
    DecisionVote,
    EvidenceDecision,
    RoundComment,
    SearchChange,
    User,
)
from registry.models.base import utcnow
from registry.models.conflicts import submitter_ids
from registry.services import appraisal, domain_ratings
from registry.services.audit_trail import record_event
from registry.services.notices import notify
from registry.services.procedure import apply_transition, current_decision_of, set_once
from registry.services.suggested_level import suggested_level_for
from registry.services.validity import valid_until


def open_discussion(round_: AssessmentRound, secretary: User) -> None:
    """Open the discussion; assessments become visible to the panel.
    Raises PermissionDenied, InvalidTransition (panel incomplete or not all submitted)."""
    apply_transition(round_, "open_discussion", secretary)


def add_comment(round_: AssessmentRound, author: User, body: str) -> RoundComment:
    """Add a message to the discussion. Raises PermissionDenied, InvalidTransition."""
    perm.authorize(perm.can_comment(author, round_))
    if round_.state != "in_discussion":
        raise InvalidTransition(_("Reageren kan alleen tijdens de bespreking."))
    comment = RoundComment(author_id=author.id, body=body)
    round_.comments.append(comment)
    db.session.flush()
    return comment


def _level_of(outcome: str, level: str | None) -> str | None:
    if outcome == "not_recognised":
        return None
    return level if outcome == "provisional" else outcome


# The committee's reasoning is published with every level: a few words are not one.
MIN_RATIONALE_CHARS = 20


def check_decision(round_: AssessmentRound, data: dict[str, Any]) -> dict[str, Any]:
    """Every decision carries the committee's reasoning (at least MIN_RATIONALE_CHARS);
    when the level differs from the suggested one or is refused, the message says the
    reasoning must explain that too. Returns the panel's agreed study appraisals
    (appraisal.choose_agreed), the ratings per domain those give (domain_ratings.choose)
    and the level they suggest. Raises ValidationFailed."""
    intervention = round_.version.intervention
    agreed = appraisal.choose_agreed(round_, data.get("study_appraisals") or {})
    qualities = appraisal.qualities(agreed)
    choices = {"study_appraisals": agreed,
               "domain_ratings": domain_ratings.choose(
                   intervention, data.get("domain_ratings") or {}, qualities),
               "suggested": suggested_level_for(intervention, qualities)}
    problems, summary = [], None
    if data["outcome"] == "provisional" and not (data.get("conditions") or "").strip():
        summary = _("Een besluit onder voorbehoud heeft voorwaarden.")
        problems.append({"field": "conditions", "messages": [summary]})
    if len((data.get("rationale") or "").strip()) < MIN_RATIONALE_CHARS:
        summary = _rationale_summary(data, choices["suggested"])
        problems.append({"field": "rationale", "messages": [
            _("Verplicht: minstens %(min)s tekens.", min=MIN_RATIONALE_CHARS)]})
    if problems:  # all of them at once: the form shows each at its field
        raise ValidationFailed(summary, problems)
    return choices


def _rationale_summary(data: dict[str, Any], suggested: str | None) -> str:
    """What a too short rationale must do: explain a level that differs from the
    suggested one, or else give the committee's reasoning."""
    level = _level_of(data["outcome"], data.get("level"))
    if data["outcome"] == "not_recognised" or (suggested is not None and level != suggested):
        return _("Leg uit waarom het besluit afwijkt van het voorgestelde niveau.")
    return _("Schrijf de motivering van de commissie; die wordt met het besluit "
             "gepubliceerd.")


def record_decision(round_: AssessmentRound, secretary: User, data: dict[str, Any]):
    """Record the panel's decision; every panel member then has to confirm it.

    Raises ValidationFailed (see check_decision), PermissionDenied, InvalidTransition,
    Conflict.
    """
    intervention = round_.version.intervention
    choices = check_decision(round_, data)
    suggested = choices["suggested"]
    outcome = data["outcome"]
    level = _level_of(outcome, data.get("level"))
    rationale = (data.get("rationale") or "").strip()
    apply_transition(round_, "decide", secretary)
    today = date.today()
    proposals = {a.reviewer_id: a.proposed_level for a in round_.assessments}
    decision = EvidenceDecision(
        intervention_id=intervention.id, version_id=round_.version_id, round_id=round_.id,
        outcome=outcome, level=level, suggested_level=suggested, decided_on=today,
        valid_until=valid_until(today, outcome), rationale=rationale,
        conditions=data.get("conditions"),
        votes=[DecisionVote(user_id=m.user_id, proposed_level=proposals.get(m.user_id))
               for m in round_.panel],
    )
    domain_ratings.attach(decision, choices["domain_ratings"])
    appraisal.attach(decision, choices["study_appraisals"])
    db.session.add(decision)
    db.session.flush()
    record_event(secretary, "record_decision", decision, intervention_id=intervention.id,
                 after={"outcome": outcome, "level": level, "suggested_level": suggested})
    notify([m.user for m in round_.panel], "decision",
           N_("Er is een besluit vastgelegd; bevestig het alstublieft."),
           f"/procedure/rondes/{round_.id}", about=round_.version.title)
    return decision


def confirm_decision(round_: AssessmentRound, member: User) -> DecisionVote:
    """A panel member confirms the recorded decision. Raises PermissionDenied,
    InvalidTransition (nothing to confirm)."""
    perm.authorize(perm.can_confirm_decision(member, round_))
    decision = current_decision_of(round_)
    if round_.state != "decided" or decision is None:
        raise InvalidTransition(_("Er is geen besluit om te bevestigen."))
    vote = next(v for v in decision.votes if v.user_id == member.id)
    if vote.confirmed_at is None and set_once(vote, "confirmed_at"):
        record_event(member, "confirm_decision", decision,
                     intervention_id=round_.intervention_id)
        db.session.flush()
    return vote


def reopen_discussion(round_: AssessmentRound, secretary: User, reason: str | None) -> None:
    """Withdraw an unconfirmed decision and reopen the discussion (no unanimity).
    Raises PermissionDenied, InvalidTransition."""
    apply_transition(round_, "reopen_discussion", secretary, note=reason)
    recorded = current_decision_of(round_)
    if recorded is not None:
        recorded.superseded_at = utcnow()
    db.session.flush()


def publish_decision(round_: AssessmentRound, secretary: User) -> EvidenceDecision:
    """Publish a unanimously confirmed decision: the public page shows the new level and
    version, its agreed study appraisals become the studies' quality on record; an
    earlier decision is superseded. Raises PermissionDenied, InvalidTransition."""
    apply_transition(round_, "publish", secretary)
    decision = current_decision_of(round_)
    intervention = round_.version.intervention
    now = utcnow()
    previous = intervention.current_decision
    if previous is not None and previous.id != decision.id:
        previous.superseded_at = now
    old_version = intervention.published_version
    if old_version is not None and old_version.id != round_.version_id:
        old_version.status = "superseded"
    round_.version.status = "published"
    round_.version.published_at = round_.version.published_at or now
    decision.published_at = now
    intervention.published_version = round_.version
    intervention.current_decision = decision
    appraisal.publish_agreed(decision, secretary)
    round_.closed_at = now
    db.session.add(SearchChange(entity_type="intervention", entity_id=intervention.id))
    db.session.flush()
    notify(_owners(round_), "decision", N_("Het besluit over uw interventie is gepubliceerd."),
           f"/interventies/{intervention.slug}", about=round_.version.title)
    return decision


def _owners(round_: AssessmentRound) -> list[User]:
    return [db.session.get(User, uid) for uid in sorted(submitter_ids(round_))]
