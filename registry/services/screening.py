"""The secretary's screening, panel assignment with conflict-of-interest checks, and the
reviewers' declarations."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions as perm
from registry.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from registry.extensions import db
from registry.i18n import N_
from registry.models import (
    AssessmentRound,
    ConflictDeclaration,
    Organisation,
    PanelMember,
    ScreeningReview,
    User,
)
from registry.models.conflicts import conflicts_of, submitter_ids
from registry.models.procedure import SCREENING_CRITERIA
from registry.services.audit_trail import record_event
from registry.services.notices import notify
from registry.services.procedure import (
    apply_transition,
    flush_or_conflict,
    set_once,
    touch_round,
)


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
            _("Niet alle inclusiecriteria zijn afgevinkt."),
            [{"field": "checklist", "messages": missing}],
        )
    if outcome == "returned" and not (remarks or "").strip():
        raise ValidationFailed(
            _("Geef de indiener opmerkingen mee."),
            [{"field": "remarks", "messages": [_("Verplicht.")]}],
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
               N_("Uw aanmelding is teruggestuurd met opmerkingen van de secretaris."),
               f"/procedure/rondes/{round_.id}", about=round_.version.title)
    return review


def _owners_of(round_: AssessmentRound) -> list[User]:
    return [db.session.get(User, uid) for uid in sorted(submitter_ids(round_))]


def assign_reviewer(round_: AssessmentRound, secretary: User, reviewer: User) -> PanelMember:
    """Put a reviewer on the panel. Raises PermissionDenied, InvalidTransition (wrong
    state), ValidationFailed (not a reviewer, or a conflict of interest), Conflict."""
    perm.authorize(perm.can_assign_panel(secretary, round_))
    if round_.state not in ("screening", "in_review"):
        raise InvalidTransition(
            _("Een panel wordt samengesteld tijdens screening of beoordeling."))
    if not reviewer.has_role("reviewer"):
        raise ValidationFailed(_("%(name)s is geen beoordelaar.", name=reviewer.name))
    reasons = conflicts_of(reviewer, round_)
    if reasons:
        raise ValidationFailed(
            _("%(name)s heeft een belang: %(reasons)s.", name=reviewer.name,
              reasons="; ".join(reasons)),
            [{"field": "reviewer_id", "messages": reasons}],
        )
    if perm.panel_member(reviewer, round_) is not None:
        raise Conflict(_("%(name)s zit al in het panel.", name=reviewer.name))
    member = PanelMember(user=reviewer)
    round_.panel.append(member)
    touch_round(round_)
    flush_or_conflict()
    record_event(secretary, "assign_reviewer", member, intervention_id=round_.intervention_id,
                 after={"reviewer_id": reviewer.id})
    notify([reviewer], "assigned",
           N_("U bent gevraagd een interventie te beoordelen. "
              "Verklaar eerst dat u geen belang heeft."),
           f"/procedure/rondes/{round_.id}", about=round_.version.title)
    return member


def remove_reviewer(round_: AssessmentRound, secretary: User, reviewer: User) -> None:
    """Take a reviewer off the panel (say, a conflict that came to light later) before the
    discussion. Raises PermissionDenied, InvalidTransition, NotFound (not on the panel)."""
    perm.authorize(perm.can_assign_panel(secretary, round_))
    if round_.state not in ("screening", "in_review"):
        raise InvalidTransition(_("Het panel ligt vast; de bespreking is al begonnen."))
    member = perm.panel_member(reviewer, round_)
    if member is None:
        raise NotFound(_("%(name)s zit niet in het panel.", name=reviewer.name))
    _leave_panel(round_, member)
    record_event(secretary, "remove_reviewer", round_, intervention_id=round_.intervention_id,
                 before={"reviewer_id": reviewer.id})


def _leave_panel(round_: AssessmentRound, member: PanelMember) -> None:
    """Take a member off the panel with their assessment, submitted or not: it must not
    count, nor be shown, nor go into the decision's proposals. Raises Conflict."""
    with db.session.no_autoflush:  # the deletes' cascades load rows: nothing half done
        for assessment in [a for a in round_.assessments if a.reviewer_id == member.user_id]:
            db.session.delete(assessment)
            round_.assessments.remove(assessment)
        round_.panel.remove(member)
    touch_round(round_)
    flush_or_conflict()


def declare_no_conflict(round_: AssessmentRound, reviewer: User) -> PanelMember:
    """The reviewer declares having no conflict; the dossier opens to them.
    Raises PermissionDenied (not on the panel, or a conflict the registry knows of)."""
    perm.authorize(perm.can_declare_no_conflict(reviewer, round_))
    reasons = conflicts_of(reviewer, round_)
    if reasons:
        # A known conflict cannot be declared away; the secretary has to replace them.
        raise PermissionDenied(
            _("U kunt deze interventie niet beoordelen: %(reasons)s.",
              reasons="; ".join(reasons)))
    member = perm.panel_member(reviewer, round_)
    if member.no_conflict_declared_at is None and set_once(member, "no_conflict_declared_at"):
        record_event(reviewer, "declare_no_conflict", member,
                     intervention_id=round_.intervention_id)
        db.session.flush()
    return member


def declare_organisation_conflict(
    reviewer: User, organisation_id: int | None, note: str | None
) -> ConflictDeclaration:
    """Declare a standing conflict with an organisation: none of its interventions will be
    assigned to (or opened by) this reviewer. Raises PermissionDenied, ValidationFailed."""
    perm.authorize(perm.can_declare_conflicts(reviewer))
    if organisation_id is None or db.session.get(Organisation, organisation_id) is None:
        raise ValidationFailed(_("Kies een organisatie."), [
            {"field": "organisation_id", "messages": [_("Kies een organisatie.")]}])
    declaration = ConflictDeclaration(user_id=reviewer.id, organisation_id=organisation_id,
                                      note=(note or "").strip() or None)
    db.session.add(declaration)
    db.session.flush()
    record_event(reviewer, "declare_conflict", declaration, intervention_id=None,
                 after={"organisation_id": organisation_id}, note=declaration.note)
    return declaration


def declared_organisation_conflicts(reviewer: User) -> list[ConflictDeclaration]:
    """The reviewer's standing conflicts with organisations, oldest first."""
    stmt = select(ConflictDeclaration).where(
        ConflictDeclaration.user_id == reviewer.id,
        ConflictDeclaration.organisation_id.is_not(None),
        ConflictDeclaration.withdrawn_at.is_(None),
    )
    return list(db.session.scalars(stmt.order_by(ConflictDeclaration.id)))


def declare_conflict(round_: AssessmentRound, reviewer: User, note: str | None) -> None:
    """The reviewer reports a conflict: it is recorded and they leave the panel.
    Raises PermissionDenied, InvalidTransition once assessments are in discussion."""
    perm.authorize(perm.can_declare_no_conflict(reviewer, round_))
    if round_.state not in ("screening", "in_review"):
        raise InvalidTransition(_("Het panel ligt vast; neem contact op met de secretaris."))
    member = perm.panel_member(reviewer, round_)
    declaration = ConflictDeclaration(
        user_id=reviewer.id, intervention_id=round_.intervention_id, note=note
    )
    db.session.add(declaration)
    _leave_panel(round_, member)
    record_event(reviewer, "declare_conflict", declaration,
                 intervention_id=round_.intervention_id, note=note)
