"""Double coding of findings (registry/services/double_coding.py): blind codings, the
differences field by field, one adjudication per outcome and time point, and agreement
per field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registry.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from registry.extensions import db
from registry.models import Finding
from registry.models.coding import NO_TIME_POINT
from registry.services import double_coding as coding
from registry.services import screening
from registry.services.vocabularies import terms_by_code
from tests.factories import StudyFactory, link
from tests.unit.procedure.support import drive, make_cast, make_user

ROW = {"outcome_domain": "work", "time_point_months": "12",
       "measure": "Betaald werk na 12 maanden", "effect_size_type": "risk_ratio",
       "effect_size": "1,35", "ci_lower": "1.10", "ci_upper": "1.66",
       "direction": "favourable"}


@pytest.fixture
def setting():
    cast = make_cast()
    round_ = drive(cast, "in_review")
    study = StudyFactory()
    link(round_.version.intervention, study)
    return cast, round_, study


def _key(domain: str = "work", months: int | None = 12):
    return (terms_by_code("outcome_domain")[domain].id,
            NO_TIME_POINT if months is None else months)


def test_a_coder_sees_the_other_coding_only_after_submitting_their_own(setting):
    cast, round_, study = setting
    coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b, [ROW], submit=False)
    assert coding.visible_to(round_, study, cast.reviewer_b) == []
    assert len(coding.visible_to(round_, study, cast.secretary)) == 1
    coding.save_coding(round_, study, cast.reviewer_b, [ROW], submit=True)
    assert len(coding.visible_to(round_, study, cast.reviewer_b)) == 2


def test_differences_are_listed_field_by_field_and_rows_only_one_side_has(setting):
    cast, round_, study = setting
    other = {**ROW, "effect_size": "1.40", "ci_upper": "1.70"}
    extra = {**ROW, "time_point_months": "", "direction": "null"}
    coding.save_coding(round_, study, cast.reviewer_a, [ROW, extra], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b, [other], submit=True)
    found = {d.key: d for d in coding.differences(round_, study)}
    twelve = found[_key()]
    assert [f.name for f in twelve.fields if not f.same] == ["effect_size", "ci_upper"]
    assert not twelve.agreed
    only_a = found[_key(months=None)]
    assert only_a.a is not None and only_a.b is None


def test_adjudication_makes_the_finding_once(setting):
    cast, round_, study = setting
    coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b,
                       [{**ROW, "effect_size": "1.40"}], submit=True)
    with pytest.raises(ValidationFailed):
        coding.adjudicate(round_, study, cast.secretary, _key(), {})
    finding = coding.adjudicate(round_, study, cast.secretary, _key(), {"effect_size": "b"})
    assert (finding.effect_size, finding.ci_lower, finding.counts_towards_rating) == (
        Decimal("1.400"), Decimal("1.100"), True)
    assert finding.measure == "Betaald werk na 12 maanden"
    with pytest.raises(Conflict, match="al beslist"):
        coding.adjudicate(round_, study, cast.secretary, _key(), {"effect_size": "a"})
    assert db.session.query(Finding).filter_by(study_id=study.id).count() == 1


def test_a_coder_may_not_adjudicate_their_own_study_but_a_third_reviewer_may(setting):
    cast, round_, study = setting
    coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b, [ROW], submit=True)
    with pytest.raises(PermissionDenied):
        coding.adjudicate(round_, study, cast.reviewer_a, _key(), {})
    third = make_user("reviewer")
    screening.assign_reviewer(round_, cast.secretary, third)
    screening.declare_no_conflict(round_, third)
    assert coding.adjudicate(round_, study, third, _key(), {}).direction == "favourable"


def test_bad_rows_are_refused_by_row_and_field_and_nothing_is_saved(setting):
    cast, round_, study = setting
    bad = [{**ROW, "direction": "great"}, {**ROW, "ci_lower": "2", "ci_upper": "1"},
           {**ROW, "outcome_domain": "astrology"}, ROW, {**ROW}]
    with pytest.raises(ValidationFailed) as refused:
        coding.save_coding(round_, study, cast.reviewer_a, bad, submit=False)
    fields = {d["field"] for d in refused.value.details}
    assert {"row-1-direction", "row-2-ci_lower", "row-3-outcome_domain",
            "row-5-time_point_months"} <= fields
    assert coding.coding_of(round_, study, cast.reviewer_a) is None


def test_a_submitted_coding_is_fixed_and_a_third_coder_is_refused(setting):
    cast, round_, study = setting
    coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=True)
    with pytest.raises(Conflict):
        coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=False)
    coding.save_coding(round_, study, cast.reviewer_b, [ROW], submit=True)
    third = make_user("reviewer")
    screening.assign_reviewer(round_, cast.secretary, third)
    screening.declare_no_conflict(round_, third)
    with pytest.raises(Conflict, match="twee beoordelaars"):
        coding.save_coding(round_, study, third, [ROW], submit=False)


def test_a_third_coder_with_an_early_draft_is_refused_at_submitting(setting):
    cast, round_, study = setting
    third = make_user("reviewer")
    screening.assign_reviewer(round_, cast.secretary, third)
    screening.declare_no_conflict(round_, third)
    coding.save_coding(round_, study, third, [ROW], submit=False)  # before the others
    coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b, [ROW], submit=True)

    with pytest.raises(Conflict, match="twee beoordelaars"):
        coding.save_coding(round_, study, third, [ROW], submit=True)
    assert len(coding.submitted_codings(round_, study)) == 2


def test_coding_happens_during_review_only():
    cast = make_cast()
    round_ = drive(cast, "in_discussion")
    study = StudyFactory()
    link(round_.version.intervention, study)
    with pytest.raises(InvalidTransition):
        coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=True)


def test_agreement_per_field_counts_the_keys_both_coded(setting):
    cast, round_, study = setting
    coding.save_coding(round_, study, cast.reviewer_a, [ROW], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b,
                       [{**ROW, "measure": " betaald werk na 12 maanden ",
                         "effect_size": "1.40"}], submit=True)
    agreement = {a.name: a for a in coding.field_agreement()}
    assert (agreement["effect_size"].compared, agreement["effect_size"].agreed) == (1, 0)
    assert agreement["measure"].share == 1.0  # letter case and spaces aside
    assert agreement["direction"].share == 1.0


MEANS = {"outcome_domain": "income", "time_point_months": "6",
         "measure": "Inkomen uit werk per maand", "effect_size_type": "mean_difference",
         "effect_size": "120", "n_intervention": "60", "n_comparison": "58",
         "value_intervention": "830,5", "value_comparison": "710.5",
         "sd_intervention": "310", "sd_comparison": "295,0", "direction": "favourable"}


def test_the_group_numbers_coded_reach_the_finding_and_put_it_on_the_common_scale(setting):
    from registry.effects.domains import finding_data
    from registry.effects.effect_sizes import to_common_scale

    cast, round_, study = setting
    coding.save_coding(round_, study, cast.reviewer_a, [MEANS], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b,
                       [{**MEANS, "sd_comparison": "300"}], submit=True)

    finding = coding.adjudicate(round_, study, cast.secretary, _key("income", 6),
                                {"sd_comparison": "a"})

    assert (finding.n_intervention, finding.value_intervention, finding.sd_comparison) == (
        60, 830.5, 295.0)
    effect = to_common_scale(finding_data(finding))
    assert effect.g == pytest.approx(120 / 302.7, abs=0.01)


def test_the_coded_group_numbers_are_compared_field_by_field(setting):
    cast, round_, study = setting
    coding.save_coding(round_, study, cast.reviewer_a, [MEANS], submit=True)
    coding.save_coding(round_, study, cast.reviewer_b,
                       [{**MEANS, "sd_comparison": "300"}], submit=True)

    (found,) = coding.differences(round_, study)

    assert [f.name for f in found.fields if not f.same] == ["sd_comparison"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("sd_intervention", "0", "Een standaarddeviatie moet groter dan 0 zijn."),
    ("n_comparison", "-3", "Geef een getal van 0 tot en met"),
])
def test_an_impossible_group_number_is_refused_by_row_and_field(setting, field, value, message):
    cast, round_, study = setting

    with pytest.raises(ValidationFailed) as refused:
        coding.save_coding(round_, study, cast.reviewer_a, [{**MEANS, field: value}],
                           submit=False)

    (detail,) = refused.value.details
    assert detail["field"] == f"row-1-{field}"
    assert detail["messages"][0].startswith(message)
