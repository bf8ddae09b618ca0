"""Writing and reading the append-only audit trail (only inserts, never updates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent
from registry.models.conflicts import is_owner_of


def record_event(
    actor,
    action: str,
    entity,
    *,
    intervention_id: int | None,
    from_state: str | None = None,
    to_state: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEvent:
    """Add one audit event for `entity` (any model with an id)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        entity_type=type(entity).__tablename__,
        entity_id=entity.id,
        intervention_id=intervention_id,
        from_state=from_state,
        to_state=to_state,
        before=before,
        after=after,
        note=note,
    )
    db.session.add(event)
    return event


def events_of(intervention_id: int) -> list[AuditEvent]:
    """The history of one intervention, oldest first."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.intervention_id == intervention_id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class ShownEvent:
    """One event as a viewer of the history page sees it."""

    occurred_at: datetime
    actor: str | None  # None: the system
    action: str
    from_state: str | None
    to_state: str | None
    note: str | None


def _named_for_owners(actor, intervention) -> bool:
    """Whether an owner may see who this was: the system, the owner's own side, the
    secretariat. The panel stays anonymous to owners (as on the round's page), and so
    do its members' notes (a conflict's reason, say)."""
    return (actor is None or is_owner_of(actor, intervention)
            or actor.has_role("secretary") or actor.has_role("admin"))


# Steps inside the panel's deliberation whose notes speak of it (why the secretary
# reopened the discussion): the owner sees that they happened, not the note.
DELIBERATION_NOTES = frozenset({"reopen_discussion"})


def shown_events(intervention, whole: bool) -> list[ShownEvent]:
    """The history of one intervention for its page: `whole` (the secretariat) names
    every actor with every note; otherwise (an owner) panel members are "een panellid"
    without their notes."""
    shown = []
    for event in events_of(intervention.id):
        named = whole or _named_for_owners(event.actor, intervention)
        actor = (event.actor.name if named else _("een panellid")) if event.actor else None
        shown.append(ShownEvent(event.occurred_at, actor, event.action, event.from_state,
                                event.to_state, event.note if named and (
                                    whole or event.action not in DELIBERATION_NOTES)
                                else None))
    return shown
