"""Writing and reading the append-only audit trail (only inserts, never updates)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent


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
