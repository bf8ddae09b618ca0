"""What undoing an import batch will change, worked out before anyone confirms it.

A study the batch added is removed with what the batch linked to it, unless someone
has since linked it to an intervention by hand: then the study stays, with those links
(undo never removes work done by hand). Merged studies get their earlier values back.
The plan lists samples of each (a batch may hold 100,000 records) and every public
intervention page whose list of studies changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import select

from registry.extensions import db
from registry.models import ImportBatch, ImportBatchItem, Intervention, InterventionStudy, Study
from registry.models.intervention import InterventionVersion

SAMPLE = 20
_CHUNK = 1000


@dataclass
class UndoPlan:
    removed: int = 0
    removed_titles: list[str] = field(default_factory=list)
    restored: int = 0
    restored_titles: list[tuple[str, list[str]]] = field(default_factory=list)
    kept: dict[int, list[str]] = field(default_factory=dict)  # study id -> interventions
    kept_titles: dict[int, str] = field(default_factory=dict)
    links_removed: int = 0
    public_pages: list[tuple[str, str]] = field(default_factory=list)  # (title, slug)


def id_chunks(ids: list[int]):
    """The ids in lists of at most a thousand (an IN list each)."""
    iterator = iter(ids)
    while chunk := list(islice(iterator, _CHUNK)):
        yield chunk


def hand_links(study_ids: list[int], batch_links: set[int]) -> dict[int, list[str]]:
    """Per study: titles of the interventions it is linked to by links this batch did
    not make (made by hand since)."""
    found: dict[int, list[str]] = {}
    for chunk in id_chunks(study_ids):
        rows = db.session.execute(
            select(InterventionStudy.id, InterventionStudy.study_id, InterventionVersion.title)
            .join(Intervention, Intervention.id == InterventionStudy.intervention_id)
            .outerjoin(InterventionVersion,
                       InterventionVersion.id == Intervention.published_version_id)
            .where(InterventionStudy.study_id.in_(chunk))
        )
        for link_id, study_id, title in rows:
            if link_id not in batch_links:
                found.setdefault(study_id, []).append(title or "?")
    return found


def plan_undo(batch: ImportBatch) -> UndoPlan:
    """What undo_batch would do to this batch (reads only)."""
    items = db.session.execute(
        select(ImportBatchItem.action, ImportBatchItem.study_id, ImportBatchItem.link_ids,
               ImportBatchItem.changed_fields)
        .where(ImportBatchItem.batch_id == batch.id)
    ).all()
    batch_links = {link for item in items for link in (item.link_ids or [])}
    added = [i.study_id for i in items if i.action == "added" and i.study_id]
    plan = UndoPlan(kept=hand_links(added, batch_links))
    plan.removed = len(added) - len(plan.kept)
    merged = [(i.study_id, i.changed_fields or []) for i in items
              if i.action == "merged" and i.study_id and i.changed_fields]
    plan.restored = len(merged)
    titles = study_titles([s for s in added if s not in plan.kept][:SAMPLE]
                     + [s for s, _ in merged[:SAMPLE]] + list(plan.kept))
    plan.removed_titles = [titles[s] for s in added if s not in plan.kept][:SAMPLE]
    plan.restored_titles = [(titles[s], fields) for s, fields in merged[:SAMPLE]]
    plan.kept_titles = {s: titles[s] for s in plan.kept}
    removed_links = batch_links | _links_of([s for s in added if s not in plan.kept])
    plan.links_removed = len(removed_links)
    plan.public_pages = _public_pages(removed_links)
    return plan


def study_titles(study_ids: list[int]) -> dict[int, str]:
    """Titles by study id."""
    titles: dict[int, str] = {}
    for chunk in id_chunks(study_ids):
        rows = db.session.execute(select(Study.id, Study.title).where(Study.id.in_(chunk)))
        titles.update(rows.tuples().all())
    return titles


def _links_of(study_ids: list[int]) -> set[int]:
    links: set[int] = set()
    for chunk in id_chunks(study_ids):
        links.update(db.session.scalars(
            select(InterventionStudy.id).where(InterventionStudy.study_id.in_(chunk))))
    return links


def _public_pages(link_ids: set[int]) -> list[tuple[str, str]]:
    pages: dict[str, str] = {}
    for chunk in id_chunks(sorted(link_ids)):
        rows = db.session.execute(
            select(InterventionVersion.title, Intervention.slug)
            .join(Intervention, Intervention.published_version_id == InterventionVersion.id)
            .join(InterventionStudy, InterventionStudy.intervention_id == Intervention.id)
            .where(InterventionStudy.id.in_(chunk))
        )
        pages.update({slug: title for title, slug in rows})
    return sorted((title, slug) for slug, title in pages.items())
