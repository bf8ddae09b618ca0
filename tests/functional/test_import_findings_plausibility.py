"""Impossible numbers in a findings CSV are refused per row and field, in Dutch, and then
nothing is written (issue: evidence made visible, bad input)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from importers.findings import import_findings
from registry.extensions import db
from registry.models import Finding, ImportBatch
from tests.factories import StudyFactory

HEADER = ("study,outcome_domain,measure,effect_size_type,effect_size,ci_lower,ci_upper,"
          "n_intervention,n_comparison,value_intervention,value_comparison,sd_intervention,"
          "sd_comparison,direction\n")
AGAINST = ("De richting past niet bij de cijfers. Is bij deze maat minder beter (zoals "
           "uitkeringsafhankelijkheid of verzuim)? Geef dat dan aan met 'lager is beter'.")
GOOD = "10.5555/een,work,Aan het werk,risk_ratio,1.2,1.1,1.4,100,100,0.4,0.33,,,favourable\n"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("row", "field", "message"), [
    ("risk_ratio,1.6,1.1,1.4,100,100,,,,,", "effect_size",
     "De effectgrootte ligt buiten het betrouwbaarheidsinterval."),
    ("odds_ratio,0,0,1.4,100,100,,,,,", "effect_size",
     "Een ratio (odds, risico of hazard) moet groter dan 0 zijn."),
    ("risk_ratio,1.2,1.1,1.4,100,100,1.4,0.3,,,", "value_intervention",
     "Een proportie moet tussen 0 en 1 liggen."),
    ("mean_difference,2,1,3,100,100,40,38,0,8,", "sd_intervention",
     "Een standaarddeviatie moet groter dan 0 zijn."),
    ("risk_difference,1.5,1.2,1.8,100,100,,,,,", "effect_size",
     "Een risicoverschil ligt tussen -1 en 1."),
    ("risk_ratio,1.2,1.1,1.4,-5,100,,,,,", "n_intervention",
     "Moet tussen 0 en 2147483647 liggen."),
    # Favourable, yet the intervention group has less of a measure where more is better.
    ("mean_difference,-3,-5,-1,100,100,18,21,8,9,", "direction", AGAINST),
    ("risk_ratio,0.8,0.7,0.9,100,100,,,,,", "direction", AGAINST),
])
def test_an_impossible_finding_is_refused_and_nothing_is_written(app, row, field, message):
    StudyFactory(doi="10.5555/een")
    bad = "10.5555/een,work,Aan het werk," + row + "favourable\n"

    report = import_findings(io.BytesIO((HEADER + GOOD + bad).encode()), "f.csv", commit=True)

    assert {"line": 3, "field": field, "message": message} in report.errors
    assert (_count(Finding), _count(ImportBatch)) == (0, 0)


def test_a_plausible_finding_with_its_sds_is_added(app):
    StudyFactory(doi="10.5555/een")
    row = "10.5555/een,work,Score,mean_difference,2,1,3,100,100,40,38,8.5,9,favourable\n"

    report = import_findings(io.BytesIO((HEADER + row).encode()), "f.csv", commit=True)

    assert report.errors == []
    assert db.session.scalar(select(Finding.sd_intervention)) == 8.5


def test_a_favourable_finding_where_less_is_better_may_show_less(app):
    """With lower_is_better the same numbers are consistent: no refusal."""
    StudyFactory(doi="10.5555/een")
    header = HEADER.replace("direction\n", "direction,lower_is_better\n")
    row = "10.5555/een,income,Uitkering,risk_ratio,0.8,0.7,0.9,100,100,,,,,favourable,true\n"

    report = import_findings(io.BytesIO((header + row).encode()), "f.csv", commit=True)

    assert report.errors == []


def test_findings_of_a_study_the_panel_is_assessing_wait_for_the_rounds_end(app):
    # Added meanwhile they became criteria nobody scored, changed the suggested level,
    # and were published under a decision that did not weigh them.
    from tests.unit.procedure.support import drive, make_cast

    round_ = drive(make_cast(), "assessed")
    study = round_.version.intervention.study_links[0].study
    row = f"id:{study.id},work,Aan het werk,risk_ratio,1.2,1.1,1.4,100,100,,,,,favourable\n"
    before = _count(Finding)

    report = import_findings(io.BytesIO((HEADER + row).encode()), "f.csv", commit=True)

    assert [(e["line"], e["field"]) for e in report.errors] == [(2, "study")]
    assert "beoordeelt" in report.errors[0]["message"]
    assert _count(Finding) == before
