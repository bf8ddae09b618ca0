"""Saved client profiles: a professional keeps a profile's characteristics under a label
(refused when the label seems to hold personal data), opens it again to see what is
new or re-rated since the last visit, and deletes it. Flushes, never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, or_, select

from registry.errors import NotFound, ValidationFailed
from registry.extensions import db
from registry.models import (
    EvidenceDecision,
    Intervention,
    InterventionVersion,
    SavedProfile,
    User,
)
from registry.models.base import as_utc, utcnow
from registry.row_locks import hold_row
from registry.schemas.dutch import no_control_characters
from registry.services.personal_data import KINDS, personal_data_in
from registry.unit_of_work import commit_this_get

# The characteristics a profile holds (the profile search's parameters, without the goal).
PROFILE_KEYS = ("rung", "support_need", "age_band", "target_group", "barrier", "domain",
                "phase")
MAX_LABEL = 80
MAX_PER_USER = 50


def _refuse(message: str, field: str = "label") -> None:
    raise ValidationFailed(message, [{"field": field, "messages": [message]}])


def profile_query(args: dict[str, Any]) -> dict[str, list[str]]:
    """The characteristics of loaded profile search arguments, as a query string dict."""
    query = {}
    for key in PROFILE_KEYS:
        value = args.get(key)
        values = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        if values:
            query[key] = [str(v) for v in values]
    return query


def save_profile(user, label: str, args: dict[str, Any]) -> SavedProfile:
    """Keep the profile under the label. Raises ValidationFailed for an empty or long
    label, one with a control character, one that seems to hold personal data, a profile
    without characteristics, or more than MAX_PER_USER profiles."""
    label = " ".join((label or "").split())
    try:
        no_control_characters(label)
    except ValidationError as error:
        _refuse(error.messages[0])
    if not label:
        _refuse(_("Geef het profiel een label."))
    if len(label) > MAX_LABEL:
        _refuse(_("Gebruik hooguit %(max)s tekens.", max=MAX_LABEL))
    found = personal_data_in(label)
    if found:
        _refuse(_("Het label lijkt persoonsgegevens te bevatten (%(kinds)s). Beschrijf de "
                  "situatie zonder gegevens die naar een persoon leiden, bijvoorbeeld "
                  "'Jongere met schulden, trede 2'.", kinds=", ".join(str(KINDS[k])
                                                                      for k in found)))
    query = profile_query(args)
    if not query:
        _refuse(_("Kies eerst een of meer kenmerken van de cliënt."), "profile")
    hold_row(User, user.id)  # two saves at once count one after the other
    count = db.session.scalar(select(func.count()).select_from(SavedProfile)
                              .where(SavedProfile.user_id == user.id))
    if count >= MAX_PER_USER:
        _refuse(_("U kunt hooguit %(max)s profielen bewaren; verwijder er eerst een.",
                  max=MAX_PER_USER))
    profile = SavedProfile(user_id=user.id, label=label, query=query)
    db.session.add(profile)
    db.session.flush()
    return profile


def own_profile(user, profile_id: int) -> SavedProfile:
    """The user's own saved profile. Raises NotFound for another's or a missing one."""
    profile = db.session.get(SavedProfile, profile_id)
    if profile is None or profile.user_id != user.id:
        raise NotFound(_("Dit profiel bestaat niet."))
    return profile


def delete_profile(user, profile_id: int) -> None:
    """Delete the user's saved profile. Raises NotFound as own_profile does."""
    db.session.delete(own_profile(user, profile_id))
    db.session.flush()


def visit(profile: SavedProfile) -> datetime:
    """Record a visit now, kept although the page is a GET; returns the previous one.
    Call it only once the page could show what is new since the previous visit."""
    previous = profile.last_visited_at
    profile.last_visited_at = utcnow()
    db.session.flush()
    commit_this_get()
    return previous


def changed_since(intervention_ids: list[int], since: datetime) -> dict[int, str]:
    """Of these interventions, those published or re-rated after `since`: id -> "new"
    (first published since) or "rated" (a decision published since)."""
    if not intervention_ids:
        return {}
    first = (select(func.min(InterventionVersion.published_at))
             .where(InterventionVersion.intervention_id == Intervention.id)
             .correlate(Intervention).scalar_subquery())
    rows = db.session.execute(
        select(Intervention.id, first, EvidenceDecision.published_at)
        .outerjoin(EvidenceDecision, EvidenceDecision.id == Intervention.current_decision_id)
        .where(Intervention.id.in_(intervention_ids),
               or_(first > since, EvidenceDecision.published_at > since)))
    since = as_utc(since)
    return {i: "new" if published and as_utc(published) > since else "rated"
            for i, published, _rated in rows}
