"""Practice experiences: a professional shares how an intervention went in a
municipality; the secretary publishes or refuses it (with a reason the sender sees).
Published ones show on the intervention page under "Ervaringen uit de praktijk", apart
from the evidence, in the search facets "toegepast in", the API and the data package."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from registry import permissions as perm
from registry.errors import Conflict, NotFound, ValidationFailed
from registry.extensions import db
from registry.i18n import N_
from registry.models import Intervention, PracticeExperience, User
from registry.models.base import utcnow
from registry.row_locks import current_state, hold_row
from registry.services.accounts import active_secretaries
from registry.services.audit_trail import record_event
from registry.services.notices import notify
from registry.services.vocabularies import terms_by_code

# A sender's experiences waiting for the secretary at once: enough for a municipality's
# practice, a bound on what one account can queue.
MAX_WAITING = 20
_FIELDS = ("started_on", "ended_on", "participants", "target_group", "adaptations",
           "observations", "lessons", "contact_name", "contact_email")


def _refuse(field: str, message: str) -> None:
    raise ValidationFailed(message, [{"field": field, "messages": [message]}])


def _require_public(intervention: Intervention) -> None:
    if intervention.published_version_id is None:
        raise Conflict(_("Deze interventie is niet (meer) gepubliceerd; een ervaring deelt "
                         "u bij een interventie die in de databank staat."))


def check_shareable(user: User, intervention: Intervention) -> None:
    """Raises PermissionDenied, or Conflict when the intervention is not public."""
    perm.authorize(perm.can_share_experiences(user))
    _require_public(intervention)


def share_experience(user: User, intervention: Intervention,
                     data: dict[str, Any]) -> PracticeExperience:
    """Record a loaded ExperienceInputSchema as waiting for moderation and tell the
    secretaries. Raises PermissionDenied, Conflict (intervention not public),
    ValidationFailed (unknown municipality, too many waiting)."""
    check_shareable(user, intervention)
    municipality = terms_by_code("municipality").get(data["municipality"])
    if municipality is None or not municipality.is_active:
        _refuse("municipality", _("Kies een gemeente uit de lijst van het CBS."))
    hold_row(User, user.id)  # two shares at once count one after the other
    waiting = db.session.scalar(
        select(func.count()).select_from(PracticeExperience)
        .where(PracticeExperience.submitted_by_id == user.id,
               PracticeExperience.status == "submitted"))
    if waiting >= MAX_WAITING:
        _refuse("observations", _("U heeft al %(max)s ervaringen die op beoordeling "
                                  "wachten; deel een nieuwe als die bekeken zijn.",
                                  max=MAX_WAITING))
    experience = PracticeExperience(
        intervention_id=intervention.id, municipality=municipality, submitted_by=user,
        status="submitted", **{name: _clean(data.get(name)) for name in _FIELDS})
    db.session.add(experience)
    db.session.flush()
    record_event(user, "share_experience", experience, intervention_id=intervention.id,
                 after={"municipality": municipality.code})
    notify(active_secretaries(), "experience",
           N_("Er is een ervaring uit de praktijk gedeeld die op beoordeling wacht."),
           "/beheer/ervaringen", about=intervention.title)
    return experience


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def moderate_experience(user: User, experience: PracticeExperience,
                        data: dict[str, Any]) -> None:
    """Publish or refuse (also: take down a published one) after ModerationInputSchema.
    Raises PermissionDenied, Conflict (publishing for an intervention no longer public,
    or a decision it already has, or a status other than the one the page showed)."""
    perm.authorize(perm.can_moderate_experiences(user))
    wanted = "published" if data["decision"] == "publish" else "rejected"
    current_state(experience)
    shown = data.get("status_shown")
    if shown is not None and experience.status != shown:
        raise Conflict(_("Iemand anders heeft over deze ervaring intussen beslist; bekijk "
                         "de nieuwe status voordat u opnieuw beslist."))
    if experience.status == wanted:
        raise Conflict(_("Deze ervaring is dat al."))
    if wanted == "published":
        _require_public(experience.intervention)
    before = experience.status
    experience.status = wanted
    experience.moderated_by_id = user.id
    experience.moderated_at = utcnow()
    experience.moderation_note = (data.get("note") or "").strip() or None
    db.session.flush()
    record_event(user, f"{data['decision']}_experience", experience,
                 intervention_id=experience.intervention_id,
                 before={"status": before}, after={"status": wanted})
    if experience.submitted_by is not None:
        message = (N_("Uw ervaring uit de praktijk is gepubliceerd.") if wanted == "published"
                   else N_("Uw ervaring uit de praktijk is niet gepubliceerd; de reden staat "
                           "bij uw ervaringen."))
        notify([experience.submitted_by], "experience", message, "/mijn/ervaringen",
               about=experience.intervention.title)


def get_experience(experience_id: int) -> PracticeExperience:
    """Raises NotFound."""
    experience = db.session.get(PracticeExperience, experience_id)
    if experience is None:
        raise NotFound(_("Deze ervaring bestaat niet."))
    return experience


def published_experiences(intervention_id: int) -> list[PracticeExperience]:
    """The intervention's published experiences with their municipality, most recent
    start first (one statement)."""
    return list(db.session.scalars(
        select(PracticeExperience).options(joinedload(PracticeExperience.municipality))
        .where(PracticeExperience.intervention_id == intervention_id,
               PracticeExperience.status == "published")
        .order_by(PracticeExperience.started_on.desc(), PracticeExperience.id.desc())))


def _listed():
    # The lists show each experience's intervention title and municipality: loaded with
    # it, not one query per row.
    return select(PracticeExperience).options(
        joinedload(PracticeExperience.municipality),
        joinedload(PracticeExperience.intervention).joinedload(Intervention.published_version))


def waiting_experiences() -> list[PracticeExperience]:
    """Experiences waiting for moderation, oldest first."""
    return list(db.session.scalars(
        _listed().where(PracticeExperience.status == "submitted")
        .order_by(PracticeExperience.submitted_at, PracticeExperience.id)))


def moderated_experiences(limit: int = 50) -> list[PracticeExperience]:
    """The most recently moderated experiences, newest first."""
    return list(db.session.scalars(
        _listed().where(PracticeExperience.status != "submitted")
        .order_by(PracticeExperience.moderated_at.desc(), PracticeExperience.id.desc())
        .limit(limit)))


def experiences_of(user: User) -> list[PracticeExperience]:
    """What this user shared, newest first."""
    return list(db.session.scalars(
        _listed().where(PracticeExperience.submitted_by_id == user.id)
        .order_by(PracticeExperience.submitted_at.desc(), PracticeExperience.id.desc())))
