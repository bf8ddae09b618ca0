"""Each role's work queue: what waits for this user, and their notices."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from registry import permissions as perm
from registry.extensions import db
from registry.models import AssessmentRound, Intervention, Organisation, PanelMember
from registry.schemas.common import whole_number
from registry.services import advice, conflict_register, nominations, notices, screening
from registry.services.procedure import current_decision_of

bp = Blueprint("dashboard", __name__, url_prefix="/mijn")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def _rounds(*states: str) -> list[AssessmentRound]:
    stmt = select(AssessmentRound).where(AssessmentRound.state.in_(states))
    return list(db.session.scalars(stmt.order_by(AssessmentRound.id)))


def _owner_rounds(user) -> list[AssessmentRound]:
    if not (user.has_role("owner") and user.organisation_id):
        return []
    stmt = (
        select(AssessmentRound)
        .join(Intervention, Intervention.id == AssessmentRound.intervention_id)
        .where(Intervention.owner_organisation_id == user.organisation_id)
        .order_by(AssessmentRound.id.desc())
    )
    return list(db.session.scalars(stmt))


def _reviewer_queue(user) -> dict[str, list[AssessmentRound]]:
    stmt = select(PanelMember).where(PanelMember.user_id == user.id)
    queue: dict[str, list] = {"declare": [], "assess": [], "confirm": [], "discuss": []}
    for member in db.session.scalars(stmt):
        round_ = member.round
        own = next((a for a in round_.assessments if a.reviewer_id == user.id), None)
        if member.no_conflict_declared_at is None and round_.state in ("screening", "in_review"):
            queue["declare"].append(round_)
        elif round_.state == "in_review" and (own is None or own.submitted_at is None):
            queue["assess"].append(round_)
        elif round_.state == "in_discussion":
            queue["discuss"].append(round_)
        elif round_.state == "decided" and _awaits_confirmation(round_, user):
            queue["confirm"].append(round_)
    return queue


def _awaits_confirmation(round_, user) -> bool:
    decision = current_decision_of(round_)
    return decision is not None and any(
        v.user_id == user.id and v.confirmed_at is None for v in decision.votes
    )


@bp.get("/")
def index():
    user = current_user
    secretary = user.has_role("secretary")
    return render_template(
        "dashboard/index.html",
        notices=notices.unread_notices(user),
        owner_rounds=_owner_rounds(user),
        returned=[r for r in _owner_rounds(user) if r.state == "returned"],
        reviewer=_reviewer_queue(user) if user.has_role("reviewer") else None,
        to_screen=_rounds("submitted", "screening") if secretary else [],
        in_review=_rounds("in_review") if secretary else [],
        to_decide=_rounds("in_discussion", "decided") if secretary else [],
        nominations=nominations.of_user(user),
        advice_queue=advice.awaiting_advice() if perm.can_give_advice(user) else None,
        **_conflict_form_values(user),
    )


def _conflict_form_values(user) -> dict:
    if not perm.can_declare_conflicts(user):
        return {"conflicts": None, "organisations": []}
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return {"conflicts": screening.declared_organisation_conflicts(user),
            "organisations": list(organisations)}


@bp.post("/belangen")
@perm.permission_required(perm.can_declare_conflicts)
def declare_conflict():
    organisation_id = whole_number(request.form.get("organisation_id"))
    screening.declare_organisation_conflict(current_user, organisation_id,
                                            request.form.get("note"))
    flash(_("Uw belang is vastgelegd. U krijgt geen interventies van deze organisatie "
            "meer te beoordelen."))
    return redirect(url_for("dashboard.index"))


@bp.post("/belangen/<int:declaration_id>")
@perm.permission_required(perm.can_declare_conflicts)
def change_conflict_note(declaration_id: int):
    conflict_register.change_note(current_user, declaration_id, request.form.get("note"))
    flash(_("De toelichting is gewijzigd."))
    return redirect(url_for("dashboard.index", _anchor="belangen"))


@bp.post("/belangen/<int:declaration_id>/intrekken")
@perm.permission_required(perm.can_declare_conflicts)
def withdraw_conflict(declaration_id: int):
    conflict_register.withdraw(current_user, declaration_id)
    flash(_("De melding is ingetrokken. Ze blijft in het register van belangen staan."))
    return redirect(url_for("dashboard.index", _anchor="belangen"))


@bp.post("/meldingen/<int:notice_id>/gelezen")
def mark_read(notice_id: int):
    notices.mark_read(current_user, notice_id)
    # Back where the user was, with word that it happened (the status region says it).
    flash(_("De melding is gelezen."))
    return redirect(url_for("dashboard.index", _anchor="meldingen"))
