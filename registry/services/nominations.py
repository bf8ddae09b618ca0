"""Nominations: a signed-in user puts an intervention forward for assessment or
recommends a study for an intervention; the secretary works through them as a queue,
with a status and a reply that reaches the nominator as a notice.

A recommended study is checked against the registry's studies by DOI or PMID: a study
the registry has is named in the nomination (and one already linked to that
intervention is refused); one it lacks is kept as the DOI or PMID given, for the
secretary to import.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from registry import permissions as perm
from registry.errors import Conflict, ValidationFailed
from registry.extensions import db
from registry.i18n import N_
from registry.models import (
    Intervention,
    InterventionStudy,
    InterventionVersion,
    Nomination,
    Study,
    User,
)
from registry.models.base import utcnow
from registry.models.nomination import NOMINATION_STATUSES
from registry.row_locks import current_state, hold_row
from registry.services.accounts import active_secretaries
from registry.services.audit_trail import record_event
from registry.services.notices import notify
from registry.text_keys import normalise_doi

MAX_REASON = 5000
MIN_REASON = 10
# Nominations one user may make in a day: every one notifies every secretary.
MAX_PER_DAY = 10
_PMID = re.compile(r"^\d{1,8}$")


def nominate(user: User, data: dict) -> Nomination:
    """Record a nomination from the loaded NominationSchema data. Raises ValidationFailed
    (field by field) and PermissionDenied."""
    perm.authorize(perm.can_nominate(user))
    _refuse_past_the_daily_limit(user)
    errors: dict[str, list[str]] = {}
    nomination = Nomination(kind=data["kind"], nominator_id=user.id,
                            reason=(data.get("reason") or "").strip())
    if not MIN_REASON <= len(nomination.reason) <= MAX_REASON:
        errors["reason"] = [_("Schrijf tussen %(min)s en %(max)s tekens.", min=MIN_REASON,
                              max=MAX_REASON)]
    title = (data.get("intervention_title") or "").strip()
    intervention = _intervention(data.get("intervention_slug"), title)
    nomination.intervention = intervention
    if nomination.kind == "intervention":
        # One in the catalogue is linked; another is kept by the name given.
        nomination.name = None if intervention else title or None
        if intervention is None and nomination.name is None:
            errors["intervention_title"] = [_("Geef de naam van de interventie.")]
    else:
        if intervention is None:
            errors["intervention_title"] = [
                _("Deze interventie staat niet in de databank; een studie beveelt u aan "
                  "voor een interventie die erin staat.") if title
                else _("Geef de interventie waarvoor u de studie aanbeveelt.")]
        _check_study(nomination, intervention, data, errors)
    if errors:
        raise ValidationFailed(_("De voordracht is niet opgeslagen."),
                               [{"field": k, "messages": v} for k, v in errors.items()])
    db.session.add(nomination)
    db.session.flush()
    record_event(user, "nominated", nomination,
                 intervention_id=intervention.id if intervention else None,
                 after={"kind": nomination.kind, "doi": nomination.doi,
                        "pmid": nomination.pmid, "name": nomination.name})
    notify(active_secretaries(), "nomination",
           N_("Er is een nieuwe voordracht binnengekomen."), "/procedure/voordrachten",
           about=_named(nomination))
    return nomination


def _refuse_past_the_daily_limit(user: User) -> None:
    hold_row(User, user.id)  # two nominations at once count one after the other
    made = db.session.scalar(select(func.count()).select_from(Nomination).where(
        Nomination.nominator_id == user.id,
        Nomination.created_at > utcnow() - timedelta(days=1)))
    if made >= MAX_PER_DAY:
        message = _("U heeft in de afgelopen 24 uur al %(max)s voordrachten gedaan; doe de "
                    "volgende morgen.", max=MAX_PER_DAY)
        raise ValidationFailed(message, [{"field": "reason", "messages": [message]}])


def published_by_slug(slug: str) -> Intervention | None:
    return _intervention(slug, "")


def _intervention(slug: str | None, title: str) -> Intervention | None:
    """The published intervention with this slug, else the one with exactly this title
    (letter case aside)."""
    published = (select(Intervention)
                 .join(InterventionVersion,
                       InterventionVersion.id == Intervention.published_version_id))
    if slug:
        found = db.session.scalars(published.where(Intervention.slug == slug)).first()
        if found is not None:
            return found
    if not title:
        return None
    return db.session.scalars(published.where(
        func.lower(InterventionVersion.title) == title.lower()).order_by(Intervention.id)).first()


def _check_study(nomination: Nomination, intervention: Intervention | None, data: dict,
                 errors: dict) -> None:
    raw_doi, raw_pmid = (data.get("doi") or "").strip(), (data.get("pmid") or "").strip()
    if not raw_doi and not raw_pmid:
        errors["doi"] = [_("Geef de DOI of het PubMed-nummer (PMID) van de studie.")]
        return
    nomination.doi = normalise_doi(raw_doi) if raw_doi else None
    if raw_doi and nomination.doi is None:
        errors["doi"] = [_("'%(value)s' is geen DOI; een DOI begint met 10. en een "
                           "schuine streep, zoals 10.1016/j.labeco.2020.101234.",
                           value=raw_doi[:80])]
    if raw_pmid:
        if _PMID.match(raw_pmid):
            nomination.pmid = raw_pmid
        else:
            errors["pmid"] = [_("'%(value)s' is geen PMID; dat is een getal van hooguit "
                                "8 cijfers.", value=raw_pmid[:40])]
    if errors:
        return
    study = _known_study(nomination.doi, nomination.pmid)
    nomination.study = study
    if study is not None and intervention is not None and db.session.scalars(
            select(InterventionStudy).filter_by(intervention_id=intervention.id,
                                                study_id=study.id)).first():
        errors["doi" if nomination.doi else "pmid"] = [
            _("Deze studie is al aan deze interventie gekoppeld.")]


def _known_study(doi: str | None, pmid: str | None) -> Study | None:
    conditions = [c for c in (Study.doi == doi if doi else None,
                              Study.pmid == pmid if pmid else None) if c is not None]
    return db.session.scalars(select(Study).where(or_(*conditions))).first()


def handle(nomination: Nomination, secretary: User, status: str, reply: str | None,
           shown: str | None = None) -> None:
    """The secretary's status and reply; the nominator is told. `shown` is the status the
    secretary's page showed. Raises ValidationFailed (unknown status, a decline without
    reply), PermissionDenied, Conflict (another secretary handled it since the page
    showed `shown`)."""
    perm.authorize(perm.can_handle_nominations(secretary))
    reply = (reply or "").strip()[:MAX_REASON] or None
    if status not in NOMINATION_STATUSES:
        message = _("Kies een van de statussen.")
        raise ValidationFailed(message, [{"field": "status", "messages": [message]}])
    if status == "declined" and reply is None:
        message = _("Leg de indiener uit waarom de voordracht niet wordt overgenomen.")
        raise ValidationFailed(message, [{"field": "reply", "messages": [message]}])
    current_state(nomination)
    if shown is not None and nomination.status != shown:
        raise Conflict(_("Iemand anders heeft deze voordracht intussen behandeld; bekijk "
                         "de nieuwe status voordat u opnieuw opslaat."))
    before = {"status": nomination.status, "reply": nomination.reply}
    nomination.status, nomination.reply, nomination.handled_by_id = status, reply, secretary.id
    db.session.flush()
    record_event(secretary, "nomination_handled", nomination,
                 intervention_id=nomination.intervention_id, before=before,
                 after={"status": status, "reply": reply})
    if nomination.nominator is not None:
        notify([nomination.nominator], "nomination",
               N_("Het secretariaat heeft uw voordracht behandeld."), "/mijn/#voordrachten",
               about=_named(nomination))


def _named(nomination: Nomination) -> str | None:
    """What a nomination is about: its intervention's title, or the name given."""
    return nomination.intervention.title if nomination.intervention else nomination.name


def queue(status: str | None = None) -> list[Nomination]:
    """Nominations for the secretary, open ones first and oldest first."""
    stmt = select(Nomination)
    if status in NOMINATION_STATUSES:
        stmt = stmt.where(Nomination.status == status)
    order = db.case((Nomination.status.in_(("new", "in_progress")), 0), else_=1)
    return list(db.session.scalars(stmt.order_by(order, Nomination.created_at, Nomination.id)))


def of_user(user: User) -> list[Nomination]:
    stmt = select(Nomination).where(Nomination.nominator_id == user.id)
    return list(db.session.scalars(stmt.order_by(Nomination.created_at.desc(), Nomination.id)))
