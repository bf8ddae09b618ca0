"""Findings per outcome domain and horizon: which count, one per study, pooling and the
proposed rating at every boundary of its rules."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.effects import domains
from registry.effects.domains import groups_for, horizon, proposed_rating
from tests.factories import FindingFactory, StudyFactory, term


@pytest.mark.parametrize(("months", "expected"), [
    (None, "unknown"), (0, "short"), (5, "short"), (6, "medium"), (12, "medium"),
    (13, "long"), (60, "long"),
])
def test_horizons(months, expected):
    assert horizon(months) == expected


def _rows(*specs):
    # (direction, quality) per counted study.
    return [SimpleNamespace(finding=SimpleNamespace(direction=d),
                            study=SimpleNamespace(quality=q), quality=q)
            for d, q in specs]


@pytest.mark.parametrize(("specs", "expected"), [
    ((), "insufficient"),
    ((("null", "high"),), "no_effect"),
    ((("null", "high"), ("null", "moderate")), "no_effect"),
    ((("favourable", "moderate"),), "potentially_positive"),
    ((("favourable", "high"),), "potentially_positive"),
    ((("favourable", "moderate"), ("favourable", "moderate")), "potentially_positive"),
    ((("favourable", "high"), ("favourable", "moderate")), "positive"),
    ((("favourable", "high"), ("favourable", "moderate"), ("null", "high")), "positive"),
    ((("favourable", "high"), ("unfavourable", "moderate")), "mixed"),
    ((("unfavourable", "moderate"),), "potentially_negative"),
    ((("unfavourable", "moderate"), ("null", "high")), "potentially_negative"),
    ((("unfavourable", "moderate"), ("unfavourable", "high")), "negative"),
])
def test_proposed_rating(specs, expected):
    assert proposed_rating(_rows(*specs)) == expected


def _study(quality="high", design="rct", **kwargs):
    return StudyFactory(quality=quality, design=term("study_design", design), **kwargs)


def _finding(study, **kwargs):
    values = {"effect_size_type": "hedges_g", "effect_size": 0.3, "ci_lower": 0.1,
              "ci_upper": 0.5, "n_intervention": 100, "n_comparison": 100,
              "time_point_months": 12, **kwargs}
    return FindingFactory(study=study, **values)


def test_only_controlled_studies_of_sufficient_quality_count(app):
    counted = _study()
    weak = _study(quality="low")
    uncontrolled = _study(design="before_after")
    for study in (counted, weak, uncontrolled):
        _finding(study)

    (group,) = groups_for([counted, weak, uncontrolled])

    reasons = {row.study.id: row.reason for row in group.rows}
    assert reasons == {counted.id: None, weak.id: domains.LOW_QUALITY,
                       uncontrolled.id: domains.NOT_CONTROLLED}


def test_one_finding_per_study_counts_the_latest(app):
    study = _study()
    early = _finding(study, time_point_months=6)
    late = _finding(study, time_point_months=12)

    (group,) = groups_for([study])

    assert [row.finding.id for row in group.counted] == [late.id]
    assert next(r for r in group.rows if r.finding is early).reason == domains.OTHER_FINDING


def test_two_counted_studies_are_pooled_with_weights(app):
    studies = [_study(), _study()]
    _finding(studies[0], effect_size=0.2, ci_lower=0.0, ci_upper=0.4, direction="null")
    _finding(studies[1], effect_size=0.5, ci_lower=0.3, ci_upper=0.7)

    (group,) = groups_for(studies)

    assert group.pooled.k == 2
    assert 0.2 < group.pooled.estimate < 0.5
    assert sum(row.weight for row in group.counted) == pytest.approx(100)
    assert group.pooled_ratio is None


def test_risk_ratios_are_pooled_on_their_own_scale_too(app):
    studies = [_study(), _study()]
    for study, (p1, p2) in zip(studies, [(0.4, 0.3), (0.5, 0.35)], strict=True):
        _finding(study, effect_size_type="risk_ratio", effect_size=round(p1 / p2, 3),
                 ci_lower=1.0, ci_upper=2.0, value_intervention=p1, value_comparison=p2)

    (group,) = groups_for(studies)

    assert group.ratio_type == "risk_ratio"
    assert 4 / 3 < domains.ratio(group.pooled_ratio.estimate) < 0.5 / 0.35


def test_ratios_where_lower_is_better_are_pooled_as_reported(app):
    """Benefit dependence, lower is better: two risk ratios below 1 pool to a risk ratio
    below 1 (0.75, as statsmodels and metafor give it), while g favours the intervention;
    before, the ratio was shown as its reciprocal (1.33)."""
    studies = [_study(), _study()]
    for study, (p1, p2, n) in zip(studies, [(0.30, 0.45, 200), (0.40, 0.50, 300)],
                                  strict=True):
        _finding(study, effect_size_type="risk_ratio", effect_size=round(p1 / p2, 3),
                 ci_lower=None, ci_upper=None, value_intervention=p1, value_comparison=p2,
                 n_intervention=n, n_comparison=n, lower_is_better=True)

    (group,) = groups_for(studies)

    assert group.pooled.estimate > 0
    assert domains.ratio(group.pooled_ratio.estimate) == pytest.approx(0.75, abs=0.01)
    assert domains.ratio(group.pooled_ratio.ci_upper) < 1


def test_ratios_pointing_different_ways_are_not_pooled_as_a_ratio(app):
    """One risk ratio where more is better, one where less is: no common ratio."""
    studies = [_study(), _study()]
    _finding(studies[0], effect_size_type="risk_ratio", effect_size=1.3, ci_lower=1.1,
             ci_upper=1.6, value_intervention=0.39, value_comparison=0.30,
             n_intervention=200, n_comparison=200)
    _finding(studies[1], effect_size_type="risk_ratio", effect_size=0.8, ci_lower=0.65,
             ci_upper=0.95, value_intervention=0.40, value_comparison=0.50,
             n_intervention=200, n_comparison=200, lower_is_better=True)

    (group,) = groups_for(studies)

    assert group.pooled is not None and group.pooled_ratio is None


def test_groups_follow_domain_and_horizon(app):
    study = _study()
    _finding(study, time_point_months=24)
    _finding(study, time_point_months=3)
    _finding(study, outcome_domain=term("outcome_domain", "income"), time_point_months=3)

    groups = groups_for([study])

    keys = [(g.domain.code, g.horizon) for g in groups]
    assert sorted(keys) == sorted([("work", "long"), ("work", "short"), ("income", "short")])
    work = [g.horizon for g in groups if g.domain.code == "work"]
    assert work == ["short", "long"]


def test_a_harmful_domain_is_flagged(app):
    studies = [_study(), _study()]
    for study in studies:
        _finding(study, effect_size=-0.3, ci_lower=-0.5, ci_upper=-0.1,
                 direction="unfavourable")

    (group,) = groups_for(studies)

    assert (group.proposed, group.is_harmful) == ("negative", True)
    assert group.pooled.estimate < 0


def test_a_studys_unfavourable_finding_does_not_hide_behind_its_favourable_one(app):
    # The one-per-study rule prefers the finding on the common scale: a hazard ratio
    # against work found, unfavourable, stayed out and the domain read as a benefit.
    study = _study()
    _finding(study, effect_size_type="odds_ratio", effect_size=1.5, ci_lower=1.1,
             ci_upper=2.0, direction="favourable")
    _finding(study, effect_size_type="hazard_ratio", effect_size=0.7, ci_lower=0.55,
             ci_upper=0.9, direction="unfavourable")

    (group,) = groups_for([study])

    assert len(group.counted) == 1
    assert group.proposed == "mixed"


def test_a_study_whose_other_finding_does_not_count_is_not_mixed_by_it(app):
    study = _study()
    _finding(study, direction="favourable")
    _finding(study, effect_size=-0.3, ci_lower=-0.5, ci_upper=-0.1,
             direction="unfavourable", counts_towards_rating=False)

    (group,) = groups_for([study])

    assert group.proposed == "potentially_positive"


def test_shown_weights_add_up_to_a_hundred():
    assert domains.shown_percents([100 / 3] * 3) == [34, 33, 33]
    assert sum(domains.shown_percents([16.7] * 5 + [16.5])) == 100


@given(st.lists(st.floats(min_value=0.001, max_value=1000), min_size=1, max_size=30))
def test_shown_weights_are_whole_percents_within_one_of_the_weights(raw):
    percents = [100 * value / sum(raw) for value in raw]
    shown = domains.shown_percents(percents)
    assert sum(shown) == 100
    assert all(abs(s - p) < 1 for s, p in zip(shown, percents, strict=True))
