"""Linking studies to interventions by hand (the import links them from records).

Links go through the ORM so the search change log sees the intervention change.
Flushes, never commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from registry.errors import Conflict, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import Intervention, InterventionStudy, InterventionVersion, Study
from registry.services.validity import open_round
from registry.text_keys import normalise_doi

RELATIONS = ("effect", "process", "theory", "other")
SEARCH_LIMIT = 20


def find_studies(query: str) -> list[Study]:
    """Studies whose DOI equals the query or whose title contains it (at most 20)."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    doi = normalise_doi(query)
    pattern = query.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    condition = func.lower(Study.title).like(f"%{pattern}%", escape="\\")
    if doi:
        condition = or_(condition, Study.doi == doi)
    found = select(Study).where(condition).order_by(Study.title, Study.id).limit(SEARCH_LIMIT)
    return list(db.session.scalars(found.options(
        selectinload(Study.intervention_links).selectinload(InterventionStudy.intervention))))


def published_choices() -> list[tuple[str, str]]:
    """(slug, title) of every published intervention, by title: what a study may be
    linked to, offered to type and pick from. Columns in one query: loading 10,000
    interventions and their versions one by one took 4 to 5 s a page."""
    return [tuple(row) for row in db.session.execute(
        select(Intervention.slug, InterventionVersion.title)
        .join(InterventionVersion, InterventionVersion.id == Intervention.published_version_id)
        .order_by(InterventionVersion.title, Intervention.id))]


def published_id(slug: str | None) -> int | None:
    """The id of the published intervention with this slug, else None."""
    if not slug:
        return None
    return db.session.scalar(select(Intervention.id).where(
        Intervention.slug == slug.strip(), Intervention.published_version_id.is_not(None)))


def _on(field: str, message: str) -> tuple[str, list[dict]]:
    """An error's message and its details naming the form field it is about."""
    return message, [{"field": field, "messages": [message]}]


def link_study(study_id: int, intervention_id: int, relation: str) -> InterventionStudy:
    """Link a study to a published intervention.

    Raises NotFound for an unknown study or unpublished intervention, ValidationFailed
    for an unknown relation, Conflict when they are linked already or while a round of
    the intervention is under way: the panel decides on the studies it assessed, and
    a study linked meanwhile was published under a decision nobody made about it.
    """
    if relation not in RELATIONS:
        raise ValidationFailed(_("Kies een soort koppeling."), [
            {"field": "relation", "messages": [_("Kies effect, proces, theorie of anders.")]}])
    study = db.session.get(Study, study_id)
    intervention = db.session.get(Intervention, intervention_id)
    if study is None:
        raise NotFound(*_on("study_id", _("Deze studie bestaat niet.")))
    if intervention is None or intervention.published_version_id is None:
        raise NotFound(*_on("intervention",
                            _("Deze interventie bestaat niet of is niet gepubliceerd.")))
    if open_round(intervention_id) is not None:
        raise Conflict(*_on("intervention", _(
            "Deze interventie wordt beoordeeld; nieuwe studies koppelt u als de ronde is "
            "afgerond, en een herbeoordeling weegt ze mee.")))
    exists = db.session.scalar(select(InterventionStudy.id).filter_by(
        study_id=study_id, intervention_id=intervention_id))
    if exists:
        raise Conflict(*_on("intervention",
                            _("Deze studie is al aan deze interventie gekoppeld.")))
    link = InterventionStudy(study=study, intervention=intervention, relation=relation)
    db.session.add(link)
    db.session.flush()
    return link


def unlink_study(link_id: int) -> None:
    """Remove one link of a published intervention. Raises NotFound when it does not
    exist or its intervention is not published (links are made to published ones only),
    Conflict while a round of that intervention is under way: its dossier, and the
    reviewers' criteria per study, are read from these links."""
    link = db.session.get(InterventionStudy, link_id)
    if link is None or link.intervention.published_version_id is None:
        raise NotFound(_("Deze koppeling bestaat niet."))
    if open_round(link.intervention_id) is not None:
        raise Conflict(_("Deze interventie wordt beoordeeld; haar studies blijven gekoppeld "
                         "tot de ronde is afgerond."))
    db.session.delete(link)
    db.session.flush()
