"""Practice experiences: a professional shares one from an intervention's page and sees
what became of it (/mijn/ervaringen); the secretary or an admin publishes or refuses
(/beheer/ervaringen)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from registry import permissions as perm
from registry.auth.forms import errors_by_field, form_data, load
from registry.errors import NotFound, ValidationFailed
from registry.extensions import db
from registry.models import Intervention
from registry.schemas.experiences import ExperienceInputSchema, ModerationInputSchema
from registry.services import experiences
from registry.services.vocabularies import terms_by_code
from registry.views import bp


def _intervention(slug: str) -> Intervention:
    found = db.session.scalar(select(Intervention).where(Intervention.slug == slug))
    if found is None:
        raise NotFound(_("Interventie '%(slug)s' bestaat niet.", slug=slug))
    return found


def municipalities_by_province() -> list[tuple[str, list]]:
    """(province label, its municipalities' terms) in the region vocabulary's order."""
    locale = str(get_locale())
    provinces = sorted(terms_by_code("region").values(), key=lambda t: t.position)
    grouped: dict[str, list] = {p.code: [] for p in provinces}
    for term in sorted(terms_by_code("municipality").values(), key=lambda t: t.position):
        if term.is_active and term.broader_code in grouped:
            grouped[term.broader_code].append(term)
    return [(p.label(locale), grouped[p.code]) for p in provinces if grouped[p.code]]


_FIELD_ORDER = ("municipality", "started_on", "ended_on", "participants", "target_group",
                "adaptations", "observations", "lessons", "contact_name", "contact_email")


def _form(intervention: Intervention, values: dict, errors: dict, status: int = 200):
    page = render_template("experiences/form.html", intervention=intervention, values=values,
                           errors={k: errors[k] for k in _FIELD_ORDER if k in errors},
                           provinces=municipalities_by_province())
    return page, status


@bp.get("/interventies/<slug>/ervaring-delen")
@perm.permission_required(perm.can_share_experiences)
def share_experience_form(slug: str):
    intervention = _intervention(slug)
    experiences.check_shareable(current_user, intervention)
    values = {"contact_name": current_user.name, "contact_email": current_user.email}
    return _form(intervention, values, {})


@bp.post("/interventies/<slug>/ervaring-delen")
@perm.permission_required(perm.can_share_experiences)
def share_experience(slug: str):
    intervention = _intervention(slug)
    values = form_data()
    try:
        experiences.share_experience(current_user, intervention,
                                     load(ExperienceInputSchema(), values))
    except ValidationFailed as error:
        db.session.rollback()
        return _form(_intervention(slug), values, errors_by_field(error), 422)
    flash(_("Dank u. De ervaring is verstuurd; de secretaris bekijkt haar voordat ze op de "
            "pagina van de interventie verschijnt."))
    return redirect(url_for("pages.my_experiences"))


@bp.get("/mijn/ervaringen")
@perm.permission_required(perm.can_share_experiences)
def my_experiences():
    return render_template("experiences/mine.html",
                           experiences=experiences.experiences_of(current_user))


@bp.get("/beheer/ervaringen")
@perm.permission_required(perm.can_moderate_experiences)
def experience_queue():
    return render_template("experiences/queue.html",
                           waiting=experiences.waiting_experiences(),
                           moderated=experiences.moderated_experiences())


def _review(experience, values: dict, errors: dict, status: int = 200):
    return render_template("experiences/review.html", experience=experience, values=values,
                           errors=errors), status


@bp.get("/beheer/ervaringen/<int:experience_id>")
@perm.permission_required(perm.can_moderate_experiences)
def review_experience(experience_id: int):
    return _review(experiences.get_experience(experience_id), {}, {})


@bp.post("/beheer/ervaringen/<int:experience_id>")
@perm.permission_required(perm.can_moderate_experiences)
def moderate_experience(experience_id: int):
    experience = experiences.get_experience(experience_id)
    values = form_data()
    try:
        data = load(ModerationInputSchema(), values)
        experiences.moderate_experience(current_user, experience, data)
    except ValidationFailed as error:
        db.session.rollback()
        return _review(experiences.get_experience(experience_id), values,
                       errors_by_field(error), 422)
    flash(_("De ervaring is gepubliceerd.") if data["decision"] == "publish"
          else _("De ervaring is niet gepubliceerd; de inzender ziet de reden."))
    return redirect(url_for("pages.experience_queue"))
