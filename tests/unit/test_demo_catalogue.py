"""The shipped demo catalogue meets what the foundation promises: size and coverage."""

import pytest
from sqlalchemy import func, select

from registry.demo.loader import load_demo
from registry.models import Finding, Intervention, Study, VocabularyTerm
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from registry.services.catalogue import public_status


@pytest.fixture
def catalogue(db_session):
    load_demo()
    db_session.flush()
    return list(db_session.scalars(select(Intervention)))


def test_holds_at_least_40_interventions_and_80_studies(db_session, catalogue):
    studies = db_session.scalar(select(func.count(Study.id)))
    assert len(catalogue) >= 40 and studies >= 80


def test_every_tag_term_is_used(db_session, catalogue):
    used = {(t.vocabulary, t.code) for i in catalogue for t in i.published_version.tags}
    terms = db_session.execute(
        select(VocabularyTerm.vocabulary, VocabularyTerm.code).where(
            VocabularyTerm.vocabulary.in_(INTERVENTION_TAG_VOCABULARIES)
        )
    )
    assert {tuple(row) for row in terms} - used == set()


def test_every_ladder_rung_is_covered(catalogue):
    covered = {
        rung
        for i in catalogue
        for rung in range(
            i.published_version.ladder_rung_min, i.published_version.ladder_rung_max + 1
        )
    }
    assert covered == {1, 2, 3, 4, 5, 6}


def test_every_public_status_occurs(catalogue):
    statuses = {public_status(i) for i in catalogue}
    expected = {
        "not_assessed", "well_described", "well_founded", "effective_first", "effective_good",
        "effective_strong", "not_recognised", "provisional", "expired",
    }  # fmt: skip
    assert expected - statuses == set()


def test_findings_span_every_outcome_domain_and_follow_up_band(db_session, catalogue):
    findings = list(db_session.scalars(select(Finding)))
    domains = {f.outcome_domain.code for f in findings}
    bands = {s.follow_up_band for s in db_session.scalars(select(Study))} - {None}
    assert len(domains) == 6 and bands == {"short", "long", "very_long"}


def test_loading_twice_adds_nothing(db_session, catalogue):
    report = load_demo()
    assert (report.interventions, report.studies) == (0, 0)


def test_every_decided_effect_study_has_the_panels_agreed_appraisal(catalogue):
    from registry.services.effects import effect_studies

    decided = [i for i in catalogue if i.current_decision is not None and effect_studies(i)]
    missing = [(i.slug, s.id) for i in decided for s in effect_studies(i)
               if s.id not in {a.study_id for a in i.current_decision.study_appraisals}]
    assert decided and missing == []


def test_every_decided_intervention_with_findings_has_domain_ratings(catalogue):
    from registry.services.effects import effect_studies

    with_findings = [i for i in catalogue if i.current_decision is not None
                     and any(s.findings for s in effect_studies(i))]
    assert with_findings
    assert [i.slug for i in with_findings if not i.current_decision.domain_ratings] == []


def test_every_demo_finding_would_pass_the_import_checks():
    """The demo's findings are input as any other: none with numbers it cannot have, or a
    direction its numbers contradict (a measure where less is better says so)."""
    import json
    from pathlib import Path

    from registry.effects.plausibility import implausible

    data = Path(__file__).resolve().parents[2] / "registry" / "demo" / "data"
    problems = [(study.get("doi") or study["title"], finding["measure"], implausible(finding))
                for path in sorted(data.glob("studies-*.json"))
                for study in json.loads(path.read_text(encoding="utf-8"))
                for finding in study.get("findings", [])
                if implausible(finding)]
    assert problems == []
