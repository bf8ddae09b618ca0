"""After an import: decide on probable duplicates, and undo a whole batch.

Undo removes exactly what the batch added (studies with their authors, findings and
links) and puts back the values its merges changed; a study linked to an intervention by
hand since stays (importers/undo_plan.py). It is refused while a later import builds on
the batch and once the assessment procedure has used its studies. Flushes, never
commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from importers.dedup import Match
from importers.pipeline import load_lookups
from importers.store import Writer, record_from_json
from importers.undo_plan import hand_links, id_chunks, study_titles
from registry.errors import Conflict, ValidationFailed
from registry.extensions import db
from registry.models import (
    AgreedAppraisal,
    Finding,
    FindingAdjudication,
    FindingCoding,
    ImportBatch,
    ImportBatchItem,
    InterventionStudy,
    PendingDuplicate,
    Study,
    StudyAppraisal,
    StudyAuthor,
)
from registry.models.base import utcnow
from registry.row_locks import current_state
from registry.search.changes import record_studies_written

DECISIONS = ("merge", "add", "discard")


def decide_pending(pending: PendingDuplicate, decision: str, user_id: int | None) -> None:
    """Merge the record into its candidate, add it as a new study, or discard it.

    Raises ValidationFailed for an unknown decision, Conflict when it was decided
    already or its batch was undone.
    """
    if decision not in DECISIONS:
        raise ValidationFailed(_("Kies samenvoegen, toevoegen als nieuwe studie of negeren."), [
            {"field": "decision", "messages": [_("Kies een beslissing.")]}])
    # The batch first, as an undo takes it: a decision and an undo, or two clicks on
    # one decision, take turns, and the second sees what the first did.
    current_state(pending.batch)
    current_state(pending)
    if pending.state != "pending" or pending.batch.state != "committed":
        raise Conflict(_("Over deze mogelijke dubbele is al beslist."))
    record = record_from_json(pending.record)
    record.interventions = list(pending.interventions)
    writer = Writer(pending.batch, load_lookups(), [])
    if decision == "merge":
        match = Match("db", pending.candidate_study_id, "person", pending.score)
        writer.merge(record, match, pending.candidate_study_id, decided_by_id=user_id)
    elif decision == "add":
        record.values = {**record.values, "doi": _free(record.doi, "doi"),
                         "pmid": _free(record.pmid, "pmid")}
        writer.add([record], decided_by_id=user_id)
    pending.state = {"merge": "merged", "add": "added", "discard": "discarded"}[decision]
    pending.decided_by_id, pending.decided_at = user_id, utcnow()
    db.session.flush()


def _free(value: str | None, column: str) -> str | None:
    # A DOI or PMID that another study holds cannot be stored twice (unique columns).
    if value and db.session.scalar(select(Study.id).where(getattr(Study, column) == value)):
        return None
    return value


def undo_batch(batch: ImportBatch, user_id: int | None) -> None:
    """Undo everything the batch did. Raises Conflict when a later batch built on it, or
    when it was undone already (also by a request at the same moment)."""
    current_state(batch)
    if batch.state != "committed":
        raise Conflict(_("Deze import is al ongedaan gemaakt."))
    items = _items(batch)
    _refuse_undo(batch, items)
    batch_links = {link for item in items for link in (item.link_ids or [])}
    added = [i.study_id for i in items if i.action == "added" and i.study_id]
    kept = hand_links(added, batch_links)  # linked by hand since: the study stays
    titles = study_titles([s for s in added if s not in kept])
    for item in items:
        _remove_links_and_findings(item)
        if item.action == "added" and item.study_id and item.study_id not in kept:
            item.study_title = (titles.get(item.study_id) or "")[:300] or None
            _delete_study(item.study_id)
        elif item.action == "merged" and item.study_id:
            _restore(item)
    db.session.execute(delete(PendingDuplicate).where(PendingDuplicate.batch_id == batch.id))
    record_studies_written(db.session, [i.study_id for i in items if i.study_id] + [
        s for s in added if s])
    batch.state, batch.undone_at, batch.undone_by_id = "undone", utcnow(), user_id
    db.session.flush()


def undo_refusal(batch: ImportBatch) -> str | None:
    """Why undo_batch would refuse the batch now, or None: what the page that asks to
    confirm the undo says instead of offering it."""
    try:
        _refuse_undo(batch, _items(batch))
    except Conflict as refused:
        return refused.message
    return None


def _items(batch: ImportBatch) -> list[ImportBatchItem]:
    return list(db.session.scalars(select(ImportBatchItem).where(
        ImportBatchItem.batch_id == batch.id).order_by(ImportBatchItem.id.desc())))


def _refuse_undo(batch: ImportBatch, items: list[ImportBatchItem]) -> None:
    """Conflict when a later import built on the batch or the procedure used its work."""
    _refuse_if_built_upon(batch, {i.study_id for i in items if i.study_id})
    refuse_if_judged_since([i.study_id for i in items if i.action == "added" and i.study_id],
                           [f for i in items for f in (i.finding_ids or [])])


def _refuse_if_built_upon(batch: ImportBatch, study_ids: set[int]) -> None:
    if not study_ids:
        return
    later = db.session.scalar(
        select(ImportBatchItem.batch_id).join(ImportBatch)
        .where(ImportBatch.id > batch.id, ImportBatch.state == "committed",
               ImportBatchItem.study_id.in_(study_ids)).limit(1))
    if later is None:  # a later import's probable duplicates of these studies
        later = db.session.scalar(
            select(PendingDuplicate.batch_id).join(ImportBatch)
            .where(ImportBatch.id > batch.id, ImportBatch.state == "committed",
                   PendingDuplicate.candidate_study_id.in_(study_ids)).limit(1))
    if later:
        raise Conflict(_("Import %(later)s bouwt voort op deze import; maak die eerst "
                         "ongedaan.", later=later))


def refuse_if_judged_since(added: list[int], findings: list[int]) -> None:
    """Refuse (Conflict) to undo the import of studies or findings the assessment
    procedure has used since: a reviewer's appraisal or coding, the panel's agreed
    rating in a decision, an adjudicated finding. Undo never removes such work (nor the
    links it was done through)."""
    used = next(_judged_studies(added, findings), None)
    if used is not None:
        title = db.session.scalar(select(Study.title).where(Study.id == used))
        raise Conflict(_("Deze import kan niet ongedaan worden gemaakt: de beoordeling "
                         "heeft sindsdien studies ervan gebruikt, zoals '%(title)s'. Een "
                         "beoordeling wordt nooit ongedaan gemaakt.", title=title))


def _judged_studies(added: list[int], findings: list[int]):
    """Study ids the procedure used, one query at a time (the first found is enough)."""
    for chunk in id_chunks(added):
        for model in (StudyAppraisal, AgreedAppraisal, FindingCoding, FindingAdjudication):
            yield from db.session.scalars(select(model.study_id).where(
                model.study_id.in_(chunk)).limit(1))
    for chunk in id_chunks(findings):
        yield from db.session.scalars(select(FindingAdjudication.study_id).where(
            FindingAdjudication.finding_id.in_(chunk)).limit(1))


def _remove_links_and_findings(item: ImportBatchItem) -> None:
    # Through the ORM so the search change log records the intervention as changed.
    for link in db.session.scalars(
        select(InterventionStudy).where(InterventionStudy.id.in_(item.link_ids or []))
    ):
        db.session.delete(link)
    db.session.flush()
    if item.finding_ids:
        db.session.execute(delete(Finding).where(Finding.id.in_(item.finding_ids)))


def _delete_study(study_id: int) -> None:
    for link in db.session.scalars(select(InterventionStudy).filter_by(study_id=study_id)):
        db.session.delete(link)
    db.session.flush()
    db.session.execute(delete(Finding).where(Finding.study_id == study_id))
    db.session.execute(delete(StudyAuthor).where(StudyAuthor.study_id == study_id))
    db.session.execute(update(ImportBatchItem).where(ImportBatchItem.study_id == study_id)
                       .values(study_id=None))
    db.session.execute(delete(PendingDuplicate).where(
        PendingDuplicate.candidate_study_id == study_id))
    db.session.execute(delete(Study).where(Study.id == study_id))


def _restore(item: ImportBatchItem) -> None:
    previous = dict(item.previous_values or {})
    if "authors" in previous:
        previous.pop("authors")
        db.session.execute(delete(StudyAuthor).where(StudyAuthor.study_id == item.study_id))
    if previous:
        db.session.execute(update(Study).where(Study.id == item.study_id).values(**previous))
