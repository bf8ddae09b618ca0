"""The round page: one place where each role sees what it may see and do."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from registry import permissions as perm
from registry.models.procedure import SCREENING_CRITERIA
from registry.procedure.labels import CRITERIA_LABELS
from registry.services.assessment import assessment_items, own_assessment, visible_assessments
from registry.services.procedure import (
    allowed_transitions,
    current_decision_of,
    transition_blockers,
)
from registry.services.suggested_level import suggested_level_for
from registry.views.procedure import bp, dossier, load_round


@bp.get("/rondes/<int:round_id>")
def round_page(round_id: int):
    return render_round(load_round(round_id))


def round_form_fields() -> dict[str, tuple[str, str]]:
    """The round page's own forms' fields: (label, element id) for the error summary."""
    return {"body": (_("Uw reactie"), "body"),
            "reason": (_("Waarom trekt u het besluit in?"), "reopen-reason"),
            "grounds": (_("Gronden van uw bezwaar"), "grounds")}


def render_round(round_, errors: dict[str, list[str]] | None = None, status: int = 200):
    """The round page; with errors, those of the form on it that was just posted (a
    comment, a reopening, an objection), shown at its field with the text kept."""
    show_dossier = perm.can_view_dossier(current_user, round_)
    is_secretary = current_user.has_role("secretary")
    return render_template(
        "procedure/round.html",
        round=round_,
        intervention=round_.version.intervention,
        actions=allowed_transitions(round_, current_user),
        blockers=transition_blockers(round_, current_user),
        dossier=dossier(round_) if show_dossier else None,
        member=perm.panel_member(current_user, round_),
        show_dossier=show_dossier,
        is_owner=perm.is_owner_of(current_user, round_.version.intervention),
        is_secretary=is_secretary,
        own=own_assessment(round_, current_user),
        assessments=visible_assessments(round_, current_user) if show_dossier else [],
        items=dict(assessment_items(round_)) if show_dossier else {},
        decision=current_decision_of(round_),
        suggested=suggested_level_for(round_.version.intervention) if show_dossier else None,
        can_comment=perm.can_comment(current_user, round_),
        can_confirm=perm.can_confirm_decision(current_user, round_),
        criteria=SCREENING_CRITERIA,
        criteria_labels=CRITERIA_LABELS,
        errors=errors or {},
        error_fields=round_form_fields(),
        values=request.form if errors else {},
    ), status
