"""Reading the public catalogue: what anyone may see of interventions and studies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, func, inspect, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from registry.errors import NotFound
from registry.evidence import STATUS_RANK
from registry.extensions import db
from registry.models import (
    EvidenceDecision,
    Finding,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    OutcomeRating,
    Study,
)

T = TypeVar("T")

# Sort keys a caller may ask for; anything else is refused by the schema layer.
INTERVENTION_SORTS = ("title", "-title", "level", "-level", "decided", "-decided")
STUDY_SORTS = ("year", "-year", "title", "-title")



@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def public_status(intervention: Intervention) -> str:
    """The status the public sees: not_assessed, a decision outcome, or expired."""
    decision = intervention.current_decision
    return decision.public_status if decision is not None else "not_assessed"


def _published_interventions() -> Select:
    return (
        select(Intervention)
        .join(InterventionVersion, Intervention.published_version_id == InterventionVersion.id)
        .outerjoin(EvidenceDecision, Intervention.current_decision_id == EvidenceDecision.id)
        .options(
            selectinload(Intervention.published_version).selectinload(InterventionVersion.tags),
            selectinload(Intervention.current_decision),
        )
    )


def _intervention_order(sort: str):
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    # The public status's rank (registry.evidence.STATUS_RANK, as the search sorts).
    level_rank = db.case(
        (EvidenceDecision.id.is_(None), STATUS_RANK["not_assessed"]),
        (EvidenceDecision.expired_at.is_not(None), STATUS_RANK["expired"]),
        *((EvidenceDecision.outcome == code, rank) for code, rank in STATUS_RANK.items()),
        else_=STATUS_RANK["not_assessed"],
    )
    column = {
        "title": InterventionVersion.title,
        "level": level_rank,
        "decided": EvidenceDecision.decided_on,
    }[key]
    primary = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [primary, InterventionVersion.title.asc()]


def list_interventions(page: int, per_page: int, sort: str = "title") -> Page[Intervention]:
    """One page of published interventions. Raises NotFound for a page past the end."""
    base = _published_interventions()
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    stmt = base.order_by(*_intervention_order(sort)).limit(per_page).offset((page - 1) * per_page)
    result = Page(list(db.session.scalars(stmt)), page, per_page, total or 0)
    _refuse_page_past_end(result)
    return result


def _refuse_page_past_end(result: Page) -> None:
    # Page 1 of an empty list is a valid, empty answer; page 9 of 3 is a broken link.
    if result.page > result.pages:
        raise NotFound(
            _(
                "Pagina %(page)s bestaat niet; de laatste pagina is %(last)s.",
                page=result.page,
                last=result.pages,
            )
        )


def _intervention_page_statement():
    version = joinedload(Intervention.published_version, innerjoin=True)  # published only
    study = selectinload(Intervention.study_links).joinedload(InterventionStudy.study)
    return (
        select(Intervention)
        .where(Intervention.slug == bindparam("slug"))
        .options(
            # What the page shows in 7 queries whatever the number of studies: the
            # intervention with what it has one of; its ordered tags; its providers; the
            # current decision's ratings per domain; its decisions with their ratings;
            # the linked studies with design and authors; their findings. Lazy loads
            # were a query per linked study and per term (~30 per page). Collections
            # loaded by a join carry an order_by on their relationship, so they come in
            # the same order every time. Tags and providers
            # by IN, not by join: SQLite materialises a many-to-many outer join over the
            # whole link table (89 ms at 10k interventions, bench/README.md "Evidence
            # pages").
            version.selectinload(InterventionVersion.tags),
            version.selectinload(InterventionVersion.providers),
            joinedload(Intervention.current_decision).selectinload(
                EvidenceDecision.domain_ratings),
            joinedload(Intervention.owner),
            selectinload(Intervention.decisions)
            .joinedload(EvidenceDecision.ratings)
            .joinedload(OutcomeRating.outcome_domain),
            study.joinedload(Study.design),
            study.joinedload(Study.authors),
            study.selectinload(Study.findings).joinedload(Finding.outcome_domain),
        )
    )


# Built once: building the statement and its loader options costs about 1 ms a page.
_INTERVENTION_PAGE = _intervention_page_statement()


def get_intervention(slug: str) -> Intervention:
    """A published intervention by slug, with everything its page shows. Raises NotFound
    when unknown or unpublished."""
    intervention = db.session.scalars(_INTERVENTION_PAGE, {"slug": slug}).unique().first()
    if intervention is None:
        raise NotFound(_("Interventie '%(slug)s' bestaat niet of is niet gepubliceerd.", slug=slug))
    return intervention


COMPARE_MAX = 4


def interventions_to_compare(slugs: list[str]) -> tuple[list[Intervention], list[str]]:
    """The published interventions among these slugs (at most COMPARE_MAX, in the order
    asked, each once) and the slugs that are not (or no longer) published."""
    wanted = list(dict.fromkeys(s for s in slugs if s))[:COMPARE_MAX]
    stmt = (
        _published_interventions()
        .where(Intervention.slug.in_(wanted))
        .options(selectinload(Intervention.study_links))
    )
    found = {i.slug: i for i in db.session.scalars(stmt)} if wanted else {}
    return [found[s] for s in wanted if s in found], [s for s in wanted if s not in found]


def load_linked_studies(intervention: Intervention) -> None:
    """Read the intervention's linked studies with their design, authors and findings in
    four queries. The round pages read every linked study (the dossier, the suggested
    level, the quickscan): a lazy load per study made 120 queries for 31 studies."""
    links = db.session.scalars(
        select(InterventionStudy)
        .where(InterventionStudy.intervention_id == intervention.id)
        .order_by(InterventionStudy.id)
        .options(joinedload(InterventionStudy.study).options(
            joinedload(Study.design), selectinload(Study.authors),
            selectinload(Study.findings)))).unique().all()
    if "study_links" in inspect(intervention).unloaded:
        # Held by the intervention: the session keeps loaded objects only while something
        # refers to them, and the collection would otherwise be read (and each study
        # loaded) again.
        set_committed_value(intervention, "study_links", links)


def public_decisions(intervention: Intervention) -> list[EvidenceDecision]:
    """The decision history the public may see: published ones, newest first."""
    return [d for d in intervention.decisions if d.published_at is not None]


def public_status_sql():
    """The status rule of public_status (expired once lapsed, else the outcome; no
    decision: not_assessed) as an SQL expression, over Intervention outer-joined to its
    current EvidenceDecision."""
    return db.case(
        (EvidenceDecision.id.is_(None), "not_assessed"),
        (EvidenceDecision.expired_at.is_not(None), "expired"),
        else_=EvidenceDecision.outcome,
    )


def counts_per_status() -> dict[str, int]:
    """How many published interventions have each public status (for the home page).

    One grouped count in the database (public_status_sql).
    """
    status = public_status_sql()
    stmt = (
        select(status, func.count(Intervention.id))
        .where(Intervention.published_version_id.is_not(None))
        .outerjoin(EvidenceDecision, Intervention.current_decision_id == EvidenceDecision.id)
        .group_by(status)
    )
    return dict(db.session.execute(stmt).tuples().all())


def _studies() -> Select:
    return select(Study).options(
        selectinload(Study.authors), selectinload(Study.design), selectinload(Study.findings)
    )


def list_studies(page: int, per_page: int, sort: str = "-year") -> Page[Study]:
    """One page of studies, newest first by default. Raises NotFound for a page past the end."""
    total = db.session.scalar(select(func.count(Study.id)))
    key = sort.lstrip("-")
    column = {"year": Study.year, "title": Study.title}[key]
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    # The page's ids first, sorting narrow rows, then those studies: sorting and skipping
    # whole rows (abstracts and all) cost 250 ms a deep page at 100k studies.
    ids = list(db.session.scalars(select(Study.id).order_by(order, Study.id)
                                  .limit(per_page).offset((page - 1) * per_page)))
    found = {study.id: study for study in db.session.scalars(
        _studies().where(Study.id.in_(ids)))} if ids else {}
    result = Page([found[i] for i in ids], page, per_page, total or 0)
    _refuse_page_past_end(result)
    return result


def get_study(study_id: int) -> Study:
    """A study by id. Raises NotFound when unknown."""
    # Its one or two linked interventions load lazily: eager loaders for them measured
    # ~1 ms more CPU per page than the two or three queries they save.
    study = db.session.scalars(
        _studies().where(Study.id == study_id).options(selectinload(Study.intervention_links))
    ).first()
    if study is None:
        raise NotFound(_("Studie %(id)s bestaat niet.", id=study_id))
    return study


def public_interventions_of(study: Study) -> list[Intervention]:
    """The published interventions a study is linked to."""
    return [
        link.intervention
        for link in study.intervention_links
        if link.intervention.published_version_id is not None
    ]
