"""Conflicts of interest: who may not judge an intervention, and why.

A rule of the procedure (docs/domain.md, "Roles") that both the permission checks and
the services ask, so it lives here with the models rather than in either of them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from registry.extensions import db
from registry.models.decision import AssessmentRound, PanelMember
from registry.models.procedure import ConflictDeclaration


def is_owner_of(user, intervention) -> bool:
    """An owner of the intervention's owning organisation."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.has_role("owner")
        and intervention.owner_organisation_id is not None
        and user.organisation_id == intervention.owner_organisation_id
    )


def submitter_ids(round_: AssessmentRound) -> set[int]:
    """The users who submitted (or resubmitted) this round."""
    return {s.submitted_by_id for s in round_.submissions if s.submitted_by_id is not None}


def conflicts_of(reviewer, round_: AssessmentRound) -> list[str]:
    """Why this reviewer may not sit on this round's panel (empty: no conflict)."""
    intervention = round_.version.intervention
    reasons = []
    if reviewer.id in submitter_ids(round_) or is_owner_of(reviewer, intervention):
        reasons.append(_("heeft de interventie zelf ingediend"))
    if (
        reviewer.organisation_id is not None
        and reviewer.organisation_id == intervention.owner_organisation_id
    ):
        reasons.append(_("werkt bij de eigenaar van de interventie"))
    if _declared_a_conflict(reviewer, intervention):
        reasons.append(_("heeft een belang gemeld"))
    if round_.kind == "objection" and reviewer.id in _earlier_panel_ids(round_):
        reasons.append(_("zat in het panel van het besluit waartegen bezwaar loopt"))
    return reasons


def _declared_a_conflict(reviewer, intervention) -> bool:
    declared = db.session.scalars(
        select(ConflictDeclaration).where(ConflictDeclaration.user_id == reviewer.id,
                                          ConflictDeclaration.withdrawn_at.is_(None))
    )
    return any(
        declaration.intervention_id == intervention.id
        or (declaration.organisation_id is not None
            and declaration.organisation_id == intervention.owner_organisation_id)
        for declaration in declared
    )


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
