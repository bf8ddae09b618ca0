"""An intervention's effects per outcome domain (registry/effects/domains.py) from its
linked effect studies that are finished; what the intervention page, its forest plots
and the evidence API show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from types import SimpleNamespace

from sqlalchemy import false, select
from sqlalchemy.orm import aliased

from registry.effects.domains import Group, groups_for
from registry.extensions import db
from registry.models import (
    DomainRating,
    Finding,
    Intervention,
    InterventionStudy,
    Study,
    VocabularyTerm,
)

Design = aliased(VocabularyTerm)


@dataclass(frozen=True)
class DomainEffects:
    domain: object  # registry.models.VocabularyTerm
    groups: list[Group]

    @property
    def is_harmful(self) -> bool:
        return any(group.is_harmful for group in self.groups)


def effect_studies(intervention) -> list:
    """The finished studies linked to the intervention as effect studies."""
    return [link.study for link in intervention.study_links
            if link.relation == "effect" and not link.study.ongoing]


def effect_findings(*columns):
    """select(columns) over every finding of a finished study linked to an intervention
    as an effect study, joined to its outcome domain (VocabularyTerm): what the search
    document's domains, the evidence map's studies and the harm warnings read."""
    return (select(*columns).select_from(InterventionStudy)
            .join(Study, Study.id == InterventionStudy.study_id)
            .join(Finding, Finding.study_id == Study.id)
            .join(VocabularyTerm, VocabularyTerm.id == Finding.outcome_domain_id)
            .where(InterventionStudy.relation == "effect", Study.ongoing == false()))


def effects_of(intervention) -> list[DomainEffects]:
    """Per outcome domain (vocabulary order) its groups per follow-up horizon, with the
    panel's ratings from the current decision."""
    groups = groups_for(effect_studies(intervention))
    decision = intervention.current_decision
    apply_decided(groups, decision.domain_ratings if decision else [])
    return [DomainEffects(domain, list(items))
            for domain, items in groupby(groups, key=lambda g: g.domain)]


def apply_decided(groups: list[Group], ratings) -> None:
    """Give each group the panel's rating (and reason) for its domain and horizon."""
    by_key = {(r.outcome_domain_id, r.horizon): r for r in ratings}
    for group in groups:
        rating = by_key.get((group.domain.id, group.horizon))
        if rating is not None:
            group.decided, group.reason = rating.decided, rating.reason


# One query for a page of hits: what groups_for needs of their effect studies' findings.
_F = Finding.__table__.c
_HARM_COLUMNS = (
    InterventionStudy.intervention_id, Study.id.label("study_id"), Study.year, Study.quality,
    Design.code.label("design"), _F.id, _F.outcome_domain_id, VocabularyTerm.code.label("domain"),
    VocabularyTerm.position.label("domain_position"), _F.time_point_months, _F.effect_size_type,
    _F.effect_size, _F.ci_lower, _F.ci_upper, _F.n_intervention, _F.n_comparison,
    _F.value_intervention, _F.value_comparison, _F.sd_intervention, _F.sd_comparison,
    _F.direction, _F.lower_is_better, _F.counts_towards_rating,
)


def harmful_domains(intervention_ids: list[int]) -> dict[int, list[str]]:
    """Per intervention the outcome domains its findings rate negative (as on its page):
    for the harm warning in search results, without loading each page's objects."""
    return {i: sorted({g.domain.code for g in groups if g.is_harmful})
            for i, groups in rated_groups(db.session, intervention_ids).items()}


POSITIVE_RATINGS = ("positive", "potentially_positive")


def positive_domains(groups: list[Group]) -> set[str]:
    """The outcome domains rated (potentially) positive at some horizon."""
    return {g.domain.code for g in groups if g.rating in POSITIVE_RATINGS}


def rating_statements() -> tuple:
    """The statements rated_groups reads (for the search document's change rules)."""
    return (effect_findings(*_HARM_COLUMNS).outerjoin(Design, Design.id == Study.design_id),
            _decided_statement())


def rated_groups(session, intervention_ids: list[int]) -> dict[int, list[Group]]:
    """Per intervention (with findings) its domain-by-horizon groups, rated as on its
    page: the panel's rating where it decided one, else the proposed one."""
    return {i: groups for i, (_studies, groups) in
            _rated_studies(session, intervention_ids).items()}


@dataclass(frozen=True)
class EvidenceSummary:
    """What a search document holds of an intervention's effect findings."""

    domains: set[str]  # outcome domains with findings
    designs: set[str]  # designs of the studies behind them
    positive: set[str]  # outcome domains rated (potentially) positive


def evidence_summaries(session, intervention_ids: list[int]) -> dict[int, EvidenceSummary]:
    """Per intervention with findings its EvidenceSummary, from one read of the findings."""
    return {i: EvidenceSummary(
                {f.outcome_domain.code for study in studies for f in study.findings},
                {study.design.code for study in studies if study.design},
                positive_domains(groups))
            for i, (studies, groups) in _rated_studies(session, intervention_ids).items()}


def _rated_studies(session, intervention_ids: list[int]) -> dict[int, tuple[list, list]]:
    """Per intervention with findings (its effect studies with their findings, its rated
    groups)."""
    if not intervention_ids:
        return {}
    stmt = rating_statements()[0].where(InterventionStudy.intervention_id.in_(intervention_ids))
    studies: dict[int, dict[int, SimpleNamespace]] = defaultdict(dict)
    for row in session.execute(stmt):
        study = studies[row.intervention_id].setdefault(row.study_id, SimpleNamespace(
            id=row.study_id, year=row.year, quality=row.quality,
            design=SimpleNamespace(code=row.design) if row.design else None, findings=[]))
        study.findings.append(SimpleNamespace(
            **{name: getattr(row, name) for name in _FINDING_NUMBERS}, id=row.id,
            outcome_domain_id=row.outcome_domain_id,
            outcome_domain=SimpleNamespace(id=row.outcome_domain_id, code=row.domain,
                                           position=row.domain_position)))
    decided = _current_domain_ratings(session, list(studies))
    rated = {}
    for intervention_id, found in studies.items():
        groups = groups_for(found.values())
        apply_decided(groups, decided.get(intervention_id, []))
        rated[intervention_id] = (list(found.values()), groups)
    return rated


def _decided_statement():
    return (select(Intervention.id, DomainRating.outcome_domain_id, DomainRating.horizon,
                   DomainRating.decided, DomainRating.reason)
            .join(DomainRating, DomainRating.decision_id == Intervention.current_decision_id))


def _current_domain_ratings(session, intervention_ids: list[int]) -> dict[int, list]:
    stmt = _decided_statement().where(Intervention.id.in_(intervention_ids))
    found: dict[int, list] = defaultdict(list)
    for row in session.execute(stmt):
        found[row.id].append(row)
    return found


_FINDING_NUMBERS = (
    "time_point_months", "effect_size_type", "effect_size", "ci_lower", "ci_upper",
    "n_intervention", "n_comparison", "value_intervention", "value_comparison",
    "sd_intervention", "sd_comparison", "direction", "lower_is_better", "counts_towards_rating",
)
