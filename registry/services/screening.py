"""The secretary's screening, panel assignment with conflict-of-interest checks, and the
reviewers' declarations."""

from __future__ import annotations

from sqlalchemy import select

from registry import permissions as perm
from registry.errors import Conflict, InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.models import (
    AssessmentRound,
    ConflictDeclaration,
    PanelMember,
    ScreeningReview,
    User,
)
from registry.models.base import utcnow
from registry.schemas.procedure import SCREENING_CRITERIA
from registry.services.audit_trail import record_event
from registry.services.notices import notify
from registry.services.procedure import apply_transition, flush_or_conflict
from registry.services.submission import submitter_ids


def start_screening(round_: AssessmentRound, secretary: User) -> None:
    """Take a submission into screening. Raises PermissionDenied, InvalidTransition."""
    apply_transition(round_, "start_screening", secretary)


def screen(
    round_: AssessmentRound, secretary: User, checklist: list[str], outcome: str,
    remarks: str | None,
) -> ScreeningReview:
    """Record the screening: 'returned' (remarks required) or 'accepted' (every inclusion
    criterion met). Raises ValidationFailed, PermissionDenied, InvalidTransition."""
    missing = [c for c in SCREENING_CRITERIA if c not in checklist]
    if outcome == "accepted" and missing:
        raise ValidationFailed(
            "Niet alle inclusiecriteria zijn afgevinkt.",
            [{"field": "checklist", "messages": missing}],
        )
    if outcome == "returned" and not (remarks or "").strip():
        raise ValidationFailed(
            "Geef de indiener opmerkingen mee.", [{"field": "remarks", "messages": ["Verplicht."]}]
        )
    apply_transition(round_, "return" if outcome == "returned" else "accept", secretary,
                     note=remarks)
    review = ScreeningReview(
        round=round_,
        screened_by_id=secretary.id,
        checklist={c: c in checklist for c in SCREENING_CRITERIA},
        remarks=remarks,
        outcome=outcome,
    )
    db.session.add(review)
    db.session.flush()
    if outcome == "returned":
        notify(_owners_of(round_), "returned",
               "Uw aanmelding is teruggestuurd met opmerkingen van de secretaris.",
               f"/procedure/rondes/{round_.id}")
    return review


def _owners_of(round_: AssessmentRound) -> list[User]:
    return [db.session.get(User, uid) for uid in sorted(submitter_ids(round_))]


def conflicts_of(reviewer: User, round_: AssessmentRound) -> list[str]:
    """Why this reviewer may not sit on this round's panel (empty: no conflict)."""
    intervention = round_.version.intervention
    reasons = []
    if reviewer.id in submitter_ids(round_) or perm.is_owner_of(reviewer, intervention):
        reasons.append("heeft de interventie zelf ingediend")
    if (
        reviewer.organisation_id is not None
        and reviewer.organisation_id == intervention.owner_organisation_id
    ):
        reasons.append("werkt bij de eigenaar van de interventie")
    declared = db.session.scalars(
        select(ConflictDeclaration).where(ConflictDeclaration.user_id == reviewer.id)
    )
    for declaration in declared:
        if declaration.intervention_id == intervention.id or (
            declaration.organisation_id is not None
            and declaration.organisation_id == intervention.owner_organisation_id
        ):
            reasons.append("heeft een belang gemeld")
            break
    if round_.kind == "objection" and reviewer.id in _earlier_panel_ids(round_):
        reasons.append("zat in het panel van het besluit waartegen bezwaar loopt")
    return reasons


def _earlier_panel_ids(round_: AssessmentRound) -> set[int]:
    stmt = (
        select(PanelMember.user_id)
        .join(AssessmentRound, PanelMember.round_id == AssessmentRound.id)
        .where(
            AssessmentRound.intervention_id == round_.intervention_id,
            AssessmentRound.id != round_.id,
        )
    )
    return set(db.session.scalars(stmt))


def assign_reviewer(round_: AssessmentRound, secretary: User, reviewer: User) -> PanelMember:
    """Put a reviewer on the panel. Raises PermissionDenied, InvalidTransition (wrong
    state), ValidationFailed (not a reviewer, or a conflict of interest), Conflict."""
    perm.authorize(perm.can_assign_panel(secretary, round_))
    if round_.state not in ("screening", "in_review"):
        raise InvalidTransition("Een panel wordt samengesteld tijdens screening of beoordeling.")
    if not reviewer.has_role("reviewer"):
        raise ValidationFailed(f"{reviewer.name} is geen beoordelaar.")
    reasons = conflicts_of(reviewer, round_)
    if reasons:
        raise ValidationFailed(
            f"{reviewer.name} heeft een belang: {'; '.join(reasons)}.",
            [{"field": "reviewer_id", "messages": reasons}],
        )
    if perm.panel_member(reviewer, round_) is not None:
        raise Conflict(f"{reviewer.name} zit al in het panel.")
    member = PanelMember(user=reviewer)
    round_.panel.append(member)
    flush_or_conflict()
    record_event(secretary, "assign_reviewer", member, intervention_id=round_.intervention_id,
                 after={"reviewer_id": reviewer.id})
    notify([reviewer], "assigned",
           "U bent gevraagd een interventie te beoordelen. Verklaar eerst dat u geen belang heeft.",
           f"/procedure/rondes/{round_.id}")
    return member


def declare_no_conflict(round_: AssessmentRound, reviewer: User) -> PanelMember:
    """The reviewer declares having no conflict; the dossier opens to them.
    Raises PermissionDenied."""
    perm.authorize(perm.can_declare_no_conflict(reviewer, round_))
    member = perm.panel_member(reviewer, round_)
    if member.no_conflict_declared_at is None:
        member.no_conflict_declared_at = utcnow()
        record_event(reviewer, "declare_no_conflict", member,
                     intervention_id=round_.intervention_id)
        db.session.flush()
    return member


def declare_conflict(round_: AssessmentRound, reviewer: User, note: str | None) -> None:
    """The reviewer reports a conflict: it is recorded and they leave the panel.
    Raises PermissionDenied, InvalidTransition once assessments are in discussion."""
    perm.authorize(perm.can_declare_no_conflict(reviewer, round_))
    if round_.state not in ("screening", "in_review"):
        raise InvalidTransition("Het panel ligt vast; neem contact op met de secretaris.")
    member = perm.panel_member(reviewer, round_)
    declaration = ConflictDeclaration(
        user_id=reviewer.id, intervention_id=round_.intervention_id, note=note
    )
    db.session.add(declaration)
    round_.panel.remove(member)
    db.session.flush()
    record_event(reviewer, "declare_conflict", declaration,
                 intervention_id=round_.intervention_id, note=note)
