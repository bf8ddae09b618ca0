"""What the open data package holds: one resource per table, each with its Table Schema
(fields, types, required, enumerations, keys) and the query that reads its rows in a
stable order. Only what the public pages show: published interventions and decisions,
the panel's published ratings, studies and findings, vocabularies. Never drafts,
individual assessments, conflict declarations, accounts or audit data; nor the contact
persons of interventions (personal data) or study abstracts (the publishers' text).
The adoption figures of finished months are in it too, small cells suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from registry.effects.appraisal import RATINGS as APPRAISAL_RATINGS
from registry.effects.domains import HORIZONS
from registry.effects.domains import RATINGS as DOMAIN_RATINGS
from registry.evidence import PUBLIC_STATUSES, RECOGNISED_LEVELS
from registry.i18n import N_
from registry.models import (
    AgreedAppraisal,
    DomainRating,
    EvidenceDecision,
    ExternalRating,
    Finding,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    Organisation,
    OutcomeRating,
    PracticeExperience,
    Study,
    StudyAuthor,
    UsageCount,
    VocabularyTerm,
)
from registry.models.intervention import version_providers
from registry.models.organisation import ORGANISATION_KINDS
from registry.models.study import DIRECTIONS, EFFECT_SIZE_TYPES, STUDY_RELATIONS
from registry.models.vocabulary import version_tags
from registry.services.catalogue import public_status_sql
from registry.services.effects import Design
from registry.usage.counting import METRICS
from registry.usage.figures import SUPPRESS_BELOW

OUTCOMES = RECOGNISED_LEVELS + ("not_recognised", "provisional")
QUALITIES = ("high", "moderate", "low")


@dataclass(frozen=True)
class Column:
    """One field of a resource's Table Schema (frictionless types)."""

    name: str
    type: str = "string"  # string, integer, number, boolean, date, datetime, array
    required: bool = False
    enum: tuple[str, ...] | None = None
    description: str | None = None

    def descriptor(self) -> dict:
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        found = {"name": self.name, "type": self.type}
        if self.description:
            found["description"] = self.description
        if constraints:
            found["constraints"] = constraints
        return found


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    statement: Select  # selects the columns in this order, ordered by the primary key
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(
        default=())

    def schema(self) -> dict:
        return {
            "fields": [column.descriptor() for column in self.columns],
            "primaryKey": list(self.primary_key),
            "foreignKeys": [{"fields": list(own), "reference": {
                "resource": resource, "fields": list(theirs)}}
                for own, resource, theirs in self.foreign_keys],
        }


_V = InterventionVersion
_D = EvidenceDecision
Domain = aliased(VocabularyTerm)
Source = aliased(VocabularyTerm)
Municipality = aliased(VocabularyTerm)


def _public_interventions() -> Select:
    return (select(Intervention.id).join(_V, _V.id == Intervention.published_version_id))


def _interventions() -> Resource:
    text = ("summary", "main_aim", "target_group_text", "approach", "duration", "intensity",
            "setting_text", "cost_notes", "availability_text", "manual_and_materials",
            "implementation_conditions", "website")
    columns = (
        Column("id", "integer", True), Column("slug", required=True),
        Column("title", required=True), *(Column(name) for name in text),
        Column("sub_aims", "array"), Column("active_elements", "array"),
        Column("targets_household", "boolean", True),
        Column("ladder_rung_min", "integer", True), Column("ladder_rung_max", "integer", True),
        Column("cost_min_eur", "integer"), Column("cost_max_eur", "integer"),
        Column("year_started", "integer"),
        Column("status", required=True, enum=PUBLIC_STATUSES + ("not_assessed",),
               description="The status the public page shows."),
        Column("current_decision_id", "integer"),
    )
    statement = (
        select(Intervention.id, Intervention.slug, _V.title,
               *(getattr(_V, name) for name in text), _V.sub_aims, _V.active_elements,
               _V.targets_household, _V.ladder_rung_min, _V.ladder_rung_max, _V.cost_min_eur,
               _V.cost_max_eur, _V.year_started, public_status_sql(),
               case((_D.published_at.is_not(None), Intervention.current_decision_id)))
        .join(_V, _V.id == Intervention.published_version_id)
        .outerjoin(_D, _D.id == Intervention.current_decision_id)
        .order_by(Intervention.id))
    return Resource("interventions", N_("Interventies"), columns, ("id",), statement,
                    ((("current_decision_id",), "decisions", ("id",)),))


def _providers() -> Resource:
    columns = (Column("intervention_id", "integer", True), Column("organisation", required=True,
                                                                 description="Its slug."),
               Column("name", required=True),
               Column("kind", required=True, enum=ORGANISATION_KINDS), Column("city"),
               Column("website"))
    statement = (
        select(Intervention.id, Organisation.slug, Organisation.name, Organisation.kind,
               Organisation.city, Organisation.website)
        .join(version_providers,
              version_providers.c.version_id == Intervention.published_version_id)
        .join(Organisation, Organisation.id == version_providers.c.organisation_id)
        .order_by(Intervention.id, Organisation.slug))
    return Resource("intervention_providers", N_("Aanbieders per interventie"), columns,
                    ("intervention_id", "organisation"), statement,
                    ((("intervention_id",), "interventions", ("id",)),))


def _characteristics() -> Resource:
    columns = (Column("intervention_id", "integer", True), Column("vocabulary", required=True),
               Column("code", required=True))
    statement = (
        select(Intervention.id, VocabularyTerm.vocabulary, VocabularyTerm.code)
        .join(version_tags, version_tags.c.version_id == Intervention.published_version_id)
        .join(VocabularyTerm, VocabularyTerm.id == version_tags.c.term_id)
        .order_by(Intervention.id, VocabularyTerm.vocabulary, VocabularyTerm.code))
    return Resource("intervention_characteristics",
                    N_("Cliëntkenmerken en andere labels per interventie"), columns,
                    ("intervention_id", "vocabulary", "code"), statement,
                    ((("intervention_id",), "interventions", ("id",)),
                     (("vocabulary", "code"), "vocabularies", ("vocabulary", "code"))))


def _decisions() -> Resource:
    columns = (
        Column("id", "integer", True), Column("intervention_id", "integer", True),
        Column("outcome", required=True, enum=OUTCOMES),
        Column("level", enum=RECOGNISED_LEVELS), Column("decided_on", "date", True),
        Column("valid_until", "date"), Column("published_at", "datetime", True),
        Column("expired_at", "datetime"), Column("superseded_at", "datetime"),
        Column("rationale"), Column("conditions"),
    )
    statement = (
        select(_D.id, _D.intervention_id, _D.outcome, _D.level, _D.decided_on, _D.valid_until,
               _D.published_at, _D.expired_at, _D.superseded_at, _D.rationale, _D.conditions)
        .where(_D.published_at.is_not(None),
               _D.intervention_id.in_(_public_interventions()))
        .order_by(_D.id))
    return Resource("decisions", N_("Besluiten van de erkenningscommissie"), columns, ("id",),
                    statement, ((("intervention_id",), "interventions", ("id",)),))


def _published_decisions():
    return select(_D.id).where(_D.published_at.is_not(None),
                               _D.intervention_id.in_(_public_interventions()))


def _outcome_ratings() -> Resource:
    columns = (
        Column("decision_id", "integer", True), Column("outcome_domain", required=True),
        Column("level", required=True, enum=RECOGNISED_LEVELS + ("not_recognised",)),
        Column("summary"),
    )
    statement = (
        select(OutcomeRating.decision_id, Domain.code, OutcomeRating.level,
               OutcomeRating.summary)
        .join(Domain, Domain.id == OutcomeRating.outcome_domain_id)
        .where(OutcomeRating.decision_id.in_(_published_decisions()))
        .order_by(OutcomeRating.decision_id, Domain.code))
    return Resource("outcome_ratings", N_("Erkenningsniveau per uitkomstdomein"), columns,
                    ("decision_id", "outcome_domain"), statement,
                    ((("decision_id",), "decisions", ("id",)),))


def _domain_ratings() -> Resource:
    columns = (
        Column("decision_id", "integer", True), Column("outcome_domain", required=True),
        Column("horizon", required=True, enum=HORIZONS),
        Column("proposed", required=True, enum=DOMAIN_RATINGS),
        Column("decided", required=True, enum=DOMAIN_RATINGS), Column("reason"),
    )
    statement = (
        select(DomainRating.decision_id, Domain.code, DomainRating.horizon,
               DomainRating.proposed, DomainRating.decided, DomainRating.reason)
        .join(Domain, Domain.id == DomainRating.outcome_domain_id)
        .where(DomainRating.decision_id.in_(_published_decisions()))
        .order_by(DomainRating.decision_id, Domain.code, DomainRating.horizon))
    return Resource("domain_ratings", N_("Oordeel per uitkomstdomein en meetmoment"), columns,
                    ("decision_id", "outcome_domain", "horizon"), statement,
                    ((("decision_id",), "decisions", ("id",)),))


def _study_appraisals() -> Resource:
    columns = (Column("decision_id", "integer", True), Column("study_id", "integer", True),
               Column("rating", required=True, enum=APPRAISAL_RATINGS), Column("reason"))
    statement = (
        select(AgreedAppraisal.decision_id, AgreedAppraisal.study_id, AgreedAppraisal.rating,
               AgreedAppraisal.reason)
        .where(AgreedAppraisal.decision_id.in_(_published_decisions()))
        .order_by(AgreedAppraisal.decision_id, AgreedAppraisal.study_id))
    return Resource("study_appraisals", N_("Oordeel van de commissie over de effectstudies"),
                    columns, ("decision_id", "study_id"), statement,
                    ((("decision_id",), "decisions", ("id",)),
                     (("study_id",), "studies", ("id",))))


def _studies() -> Resource:
    text = ("journal", "publisher", "volume", "issue", "pages", "doi", "pmid", "url",
            "language", "country", "publication_type", "setting", "trial_registration")
    columns = (
        Column("id", "integer", True), Column("title", required=True),
        Column("year", "integer"), *(Column(name) for name in text), Column("design"),
        Column("n_intervention", "integer"), Column("n_comparison", "integer"),
        Column("follow_up_months", "integer"), Column("quality", enum=QUALITIES),
        Column("ongoing", "boolean", True), Column("expected_end", "date"),
    )
    statement = (
        select(Study.id, Study.title, Study.year, *(getattr(Study, name) for name in text),
               Design.code, Study.n_intervention, Study.n_comparison, Study.follow_up_months,
               Study.quality, Study.ongoing, Study.expected_end)
        .outerjoin(Design, Design.id == Study.design_id)
        .order_by(Study.id))
    return Resource("studies", N_("Studies"), columns, ("id",), statement)


def _authors() -> Resource:
    columns = (Column("study_id", "integer", True), Column("position", "integer", True),
               Column("family_name", required=True), Column("particle"),
               Column("given_names"))
    statement = (select(StudyAuthor.study_id, StudyAuthor.position, StudyAuthor.family_name,
                        StudyAuthor.particle, StudyAuthor.given_names)
                 .order_by(StudyAuthor.study_id, StudyAuthor.position))
    return Resource("authors", N_("Auteurs van studies"), columns, ("study_id", "position"),
                    statement, ((("study_id",), "studies", ("id",)),))


def _findings() -> Resource:
    numbers = ("effect_size", "ci_lower", "ci_upper")
    measured = ("value_intervention", "value_comparison", "sd_intervention", "sd_comparison",
                "p_value")
    columns = (
        Column("id", "integer", True), Column("study_id", "integer", True),
        Column("outcome_domain", required=True), Column("measure", required=True),
        Column("time_point_months", "integer"),
        Column("effect_size_type", enum=EFFECT_SIZE_TYPES),
        *(Column(name, "number") for name in numbers),
        Column("n_intervention", "integer"), Column("n_comparison", "integer"),
        *(Column(name, "number") for name in measured),
        Column("direction", required=True, enum=DIRECTIONS),
        Column("lower_is_better", "boolean", True),
        Column("counts_towards_rating", "boolean", True),
    )
    statement = (
        select(Finding.id, Finding.study_id, Domain.code, Finding.measure,
               Finding.time_point_months, Finding.effect_size_type,
               *(getattr(Finding, name) for name in numbers), Finding.n_intervention,
               Finding.n_comparison, *(getattr(Finding, name) for name in measured),
               Finding.direction, Finding.lower_is_better, Finding.counts_towards_rating)
        .join(Domain, Domain.id == Finding.outcome_domain_id)
        .order_by(Finding.id))
    return Resource("findings", N_("Bevindingen van studies"), columns, ("id",), statement,
                    ((("study_id",), "studies", ("id",)),))


def _links() -> Resource:
    columns = (Column("intervention_id", "integer", True), Column("study_id", "integer", True),
               Column("relation", required=True, enum=STUDY_RELATIONS))
    statement = (
        select(InterventionStudy.intervention_id, InterventionStudy.study_id,
               InterventionStudy.relation)
        .where(InterventionStudy.intervention_id.in_(_public_interventions()))
        .order_by(InterventionStudy.intervention_id, InterventionStudy.study_id))
    return Resource("intervention_studies", N_("Koppelingen tussen interventies en studies"),
                    columns, ("intervention_id", "study_id"), statement,
                    ((("intervention_id",), "interventions", ("id",)),
                     (("study_id",), "studies", ("id",))))


def _vocabularies() -> Resource:
    columns = (Column("vocabulary", required=True), Column("code", required=True),
               Column("label_nl", required=True), Column("label_en"),
               Column("position", "integer"), Column("active", "boolean", True),
               Column("broader", description="The broader term's code: a municipality's "
                      "province, a code of the region vocabulary."))
    statement = (select(VocabularyTerm.vocabulary, VocabularyTerm.code,
                        VocabularyTerm.label_nl, VocabularyTerm.label_en,
                        VocabularyTerm.position, VocabularyTerm.is_active,
                        VocabularyTerm.broader_code)
                 .order_by(VocabularyTerm.vocabulary, VocabularyTerm.code))
    return Resource("vocabularies", N_("Woordenlijsten"), columns, ("vocabulary", "code"),
                    statement)


def _external_ratings() -> Resource:
    columns = (Column("intervention_id", "integer", True), Column("clearinghouse", required=True),
               Column("label", required=True, description="Their label, on their own scale."),
               Column("rated_on", "date"), Column("url"))
    statement = (
        select(ExternalRating.intervention_id, Source.code, ExternalRating.label,
               ExternalRating.rated_on, ExternalRating.url)
        .join(Source, Source.id == ExternalRating.source_id)
        .where(ExternalRating.intervention_id.in_(_public_interventions()))
        .order_by(ExternalRating.intervention_id, Source.code))
    return Resource("external_ratings", N_("Oordelen van andere databanken"), columns,
                    ("intervention_id", "clearinghouse"), statement,
                    ((("intervention_id",), "interventions", ("id",)),))


def _practice_experiences() -> Resource:
    # Published ones of public interventions; the contact person is left out of the bulk
    # data (a person's name and address; the page and the API name them).
    columns = (Column("id", "integer", True), Column("intervention_id", "integer", True),
               Column("municipality", required=True, description="CBS code, GM0363."),
               Column("province", description="A code of the region vocabulary."),
               Column("started_on", "date", True),
               Column("ended_on", "date", description="Empty while still running."),
               Column("participants", "integer"), Column("target_group", required=True),
               Column("adaptations"), Column("observations", required=True),
               Column("lessons"))
    E = PracticeExperience  # noqa: N806
    statement = (
        select(E.id, E.intervention_id, Municipality.code, Municipality.broader_code,
               E.started_on, E.ended_on, E.participants, E.target_group, E.adaptations,
               E.observations, E.lessons)
        .join(Municipality, Municipality.id == E.municipality_id)
        .where(E.status == "published", E.intervention_id.in_(_public_interventions()))
        .order_by(E.id))
    return Resource("practice_experiences", N_("Ervaringen uit de praktijk"), columns,
                    ("id",), statement, ((("intervention_id",), "interventions", ("id",)),))


def _complete_months():
    # The current month is still being counted: only finished months are published.
    return UsageCount.month < date.today().replace(day=1)


def _usage_counts() -> Resource:
    """Cells below SUPPRESS_BELOW are left empty, and where a breakdown (a month's
    metric by status or by one facet) has exactly one such cell, its smallest other
    cell too: the statuses add up to the total, so one hidden cell was the total minus
    the others (12 views, 10 of one status: the hidden one was 2)."""
    small = UsageCount.count < SUPPRESS_BELOW
    breakdown = (UsageCount.month, UsageCount.metric, UsageCount.dimension)
    small_cells = func.sum(case((small, 1), else_=0)).over(partition_by=breakdown)
    smallest_first = func.row_number().over(
        partition_by=breakdown,
        order_by=(case((small, 1), else_=0), UsageCount.count, UsageCount.value))
    hidden = or_(small, and_(UsageCount.dimension != "", small_cells == 1,
                             smallest_first == 1))
    columns = (Column("month", "date", True, description="The first day of the month."),
               Column("metric", required=True, enum=METRICS),
               Column("dimension", required=True,
                      description="A search facet, 'status', or 'total'."),
               Column("value", required=True, description="Its code, or 'all'."),
               Column("count", "integer", description=(
                   f"Empty below {SUPPRESS_BELOW}, and the smallest other cell of a "
                   "breakdown with one such cell.")),
               Column("suppressed", "boolean", True))
    dimension = case((UsageCount.dimension == "", "total"), else_=UsageCount.dimension)
    value = case((UsageCount.value == "", "all"), else_=UsageCount.value)
    statement = (
        select(UsageCount.month, UsageCount.metric, dimension, value,
               case((hidden, None), else_=UsageCount.count), hidden)
        .where(_complete_months())
        .order_by(UsageCount.month, UsageCount.metric, dimension, value))
    return Resource("usage_counts", N_("Gebruikscijfers per maand"), columns,
                    ("month", "metric", "dimension", "value"), statement)


def resources() -> list[Resource]:
    """Every resource, referenced ones before those that refer to them."""
    return [_vocabularies(), _studies(), _authors(), _findings(), _interventions(),
            _characteristics(), _providers(), _decisions(), _outcome_ratings(),
            _domain_ratings(), _study_appraisals(), _links(), _external_ratings(),
            _practice_experiences(), _usage_counts()]
