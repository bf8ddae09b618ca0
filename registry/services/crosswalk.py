"""The international crosswalk: the secretary or an admin records how another
clearinghouse rated an intervention (their label on their own scale, date, URL); the
intervention page, the API, the data package and the search facet "ook beoordeeld
door" show it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from registry import permissions as perm
from registry.errors import NotFound, ValidationFailed
from registry.extensions import db
from registry.models import ExternalRating, Intervention, User
from registry.services.audit_trail import record_event
from registry.services.vocabularies import terms_by_code


def add_external_rating(intervention: Intervention, actor: User,
                        data: dict[str, Any]) -> ExternalRating:
    """Record a clearinghouse's rating. Raises PermissionDenied, ValidationFailed (an
    unknown clearinghouse, or one whose rating is recorded already)."""
    perm.authorize(perm.can_manage_external_ratings(actor, intervention))
    source = terms_by_code("clearinghouse").get(data["source"])
    if source is None or not source.is_active:
        raise ValidationFailed(_("Onbekende databank."), [
            {"field": "source", "messages": [_("Kies een databank uit de lijst.")]}])
    if any(r.source_id == source.id for r in intervention.external_ratings):
        raise ValidationFailed(_("Het oordeel van deze databank staat er al."), [
            {"field": "source", "messages": [_("Het oordeel van deze databank staat er al; "
                                               "verwijder het eerst om het te vervangen.")]}])
    rating = ExternalRating(source=source, label=data["label"].strip(),
                            rated_on=data.get("rated_on"), url=data.get("url"))
    intervention.external_ratings.append(rating)
    db.session.flush()
    record_event(actor, "add_external_rating", rating, intervention_id=intervention.id,
                 after={"source": source.code, "label": rating.label})
    return rating


def remove_external_rating(intervention: Intervention, actor: User,
                           rating_id: int) -> None:
    """Remove one recorded rating. Raises PermissionDenied, NotFound."""
    perm.authorize(perm.can_manage_external_ratings(actor, intervention))
    rating = next((r for r in intervention.external_ratings if r.id == rating_id), None)
    if rating is None:
        raise NotFound(_("Dit oordeel staat niet bij deze interventie."))
    record_event(actor, "remove_external_rating", rating, intervention_id=intervention.id,
                 before={"source": rating.source.code, "label": rating.label})
    db.session.delete(rating)
    db.session.flush()
    db.session.expire(intervention, ["external_ratings"])
