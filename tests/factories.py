"""Factories for test data; they flush into the test's session (rolled back afterwards)."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from sqlalchemy import select

from registry.extensions import db
from registry.models import (
    EvidenceDecision,
    Finding,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    Organisation,
    Study,
    StudyAuthor,
    User,
    UserRole,
    VocabularyTerm,
)


def term(vocabulary: str, code: str) -> VocabularyTerm:
    """A seeded vocabulary term (the test database has the seed file loaded)."""
    return db.session.scalars(
        select(VocabularyTerm).filter_by(vocabulary=vocabulary, code=code)
    ).one()


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 (conftest swaps the session)
        sqlalchemy_session_persistence = "flush"


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = "provider"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    name = factory.Sequence(lambda n: f"Gebruiker {n}")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.role_grants.append(UserRole(role=role))
        if create and extracted:
            db.session.flush()


class VersionFactory(BaseFactory):
    class Meta:
        model = InterventionVersion

    number = 1
    status = "published"
    title = factory.Sequence(lambda n: f"Interventie {n}")
    summary = "Een korte samenvatting van de interventie."
    main_aim = "Deelnemers vinden duurzaam betaald werk."
    sub_aims = factory.LazyFunction(lambda: ["Werkritme opdoen"])
    target_group_text = "Bijstandsgerechtigden met een afstand tot de arbeidsmarkt."
    approach = "Wekelijkse begeleiding door een jobcoach."
    active_elements = factory.LazyFunction(lambda: ["Snel plaatsen", "Begeleiding op de werkplek"])
    ladder_rung_min = 2
    ladder_rung_max = 5


class InterventionFactory(BaseFactory):
    class Meta:
        model = Intervention

    slug = factory.Sequence(lambda n: f"interventie-{n}")
    owner = factory.SubFactory(OrganisationFactory)


class DecisionFactory(BaseFactory):
    class Meta:
        model = EvidenceDecision

    outcome = "effective_good"
    # A provisional decision's level is where its conditions lead; none by default.
    level = factory.LazyAttribute(
        lambda d: None if d.outcome in ("not_recognised", "provisional") else d.outcome
    )
    decided_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda d: d.decided_on + timedelta(days=5 * 365))
    rationale = "De commissie vond de onderbouwing overtuigend."


def make_intervention(
    *,
    slug: str | None = None,
    published: bool = True,
    outcome: str | None = None,
    expired: bool = False,
    tags: dict[str, list[str]] | None = None,
    **version_fields,
) -> Intervention:
    """An intervention with version 1 (published unless told otherwise), tags and,
    when `outcome` is given, a current decision."""
    intervention = InterventionFactory(**({"slug": slug} if slug else {}))
    version = VersionFactory(
        intervention=intervention,
        status="published" if published else "draft",
        **version_fields,
    )
    for vocabulary, codes in (tags or {}).items():
        version.tags.extend(term(vocabulary, code) for code in codes)
    if published:
        intervention.published_version = version
    if outcome:
        decision = DecisionFactory(
            intervention=intervention, version_id=version.id, outcome=outcome
        )
        if expired:
            decision.valid_until = date.today() - timedelta(days=1)
            decision.expired_at = db.func.now()
        intervention.current_decision = decision
    db.session.flush()
    return intervention


class StudyFactory(BaseFactory):
    class Meta:
        model = Study

    title = factory.Sequence(lambda n: f"Effecten van begeleiding naar werk: studie {n}")
    year = 2021
    journal = "Tijdschrift voor Arbeidsvraagstukken"
    doi = factory.Sequence(lambda n: f"10.5555/test.{n}")
    language = "nl"
    country = "NL"
    design = factory.LazyFunction(lambda: term("study_design", "rct"))
    n_intervention = 120
    n_comparison = 118
    follow_up_months = 12
    quality = "moderate"

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        names = extracted or [("Berg", "van den", "J."), ("Yılmaz", None, "A.")]
        for position, (family, particle, given) in enumerate(names, start=1):
            self.authors.append(
                StudyAuthor(
                    position=position, family_name=family, particle=particle, given_names=given
                )
            )
        if create:
            db.session.flush()


class FindingFactory(BaseFactory):
    class Meta:
        model = Finding

    study = factory.SubFactory(StudyFactory)
    outcome_domain = factory.LazyFunction(lambda: term("outcome_domain", "work"))
    measure = "Aandeel aan het werk"
    time_point_months = 12
    effect_size_type = "risk_ratio"
    effect_size = 1.3
    ci_lower = 1.1
    ci_upper = 1.6
    p_value = 0.01
    direction = "favourable"


def link(intervention: Intervention, study: Study, relation: str = "effect") -> InterventionStudy:
    """Link a study to an intervention."""
    link = InterventionStudy(intervention=intervention, study=study, relation=relation)
    db.session.add(link)
    db.session.flush()
    return link
