"""What the Atom feeds list: the latest published decisions, and when each intervention
in a search's results last changed publicly."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from registry.extensions import db
from registry.models import EvidenceDecision, Intervention, InterventionVersion
from registry.models.base import as_utc

FEED_SIZE = 50


def recent_decisions(limit: int = FEED_SIZE) -> list:
    """The latest published decisions of public interventions, newest first by their
    moment (the expiry of an expired one, else the publication; the entry's updated
    time): rows with id, slug, title, outcome, level, published_at, expired_at,
    rationale. A recognition lapses years after its publication, so ordering by the
    publication left every expiry behind fifty newer publications, never announced."""
    moment = func.coalesce(EvidenceDecision.expired_at, EvidenceDecision.published_at)
    stmt = (
        select(EvidenceDecision.id, Intervention.slug, InterventionVersion.title,
               EvidenceDecision.outcome, EvidenceDecision.level, EvidenceDecision.published_at,
               EvidenceDecision.expired_at, EvidenceDecision.rationale)
        .join(Intervention, Intervention.id == EvidenceDecision.intervention_id)
        .join(InterventionVersion, InterventionVersion.id == Intervention.published_version_id)
        .where(EvidenceDecision.published_at.is_not(None))
        .order_by(moment.desc(), EvidenceDecision.id.desc())
        .limit(limit))
    return list(db.session.execute(stmt))


def last_changed(intervention_ids: list[int]) -> dict[int, datetime]:
    """Intervention id -> the latest of its published version's and its decisions'
    public moments (published, expired)."""
    if not intervention_ids:
        return {}
    decided = (select(EvidenceDecision.intervention_id,
                      func.max(func.coalesce(EvidenceDecision.expired_at,
                                             EvidenceDecision.published_at)).label("moment"))
               .where(EvidenceDecision.published_at.is_not(None),
                      EvidenceDecision.intervention_id.in_(intervention_ids))
               .group_by(EvidenceDecision.intervention_id))
    found = {i: as_utc(m) for i, m in db.session.execute(decided) if m is not None}
    versions = (select(Intervention.id, InterventionVersion.published_at)
                .join(InterventionVersion,
                      InterventionVersion.id == Intervention.published_version_id)
                .where(Intervention.id.in_(intervention_ids)))
    for intervention_id, published_at in db.session.execute(versions):
        if published_at is not None:
            moment = as_utc(published_at)
            found[intervention_id] = max(found.get(intervention_id, moment), moment)
    return found
