"""Every finding on one scale: Hedges' g with its variance, 95% CI and the WWC's
improvement index.

Sources (documented on the "Over de erkenning" page, docs in README "Evidence"):
- Borenstein, Hedges, Higgins & Rothstein (2009), *Introduction to Meta-Analysis*:
  d from means and SDs with the pooled SD (4.18–4.20); its variance (4.20); Hedges'
  small-sample correction J = 1 − 3/(4·df − 1), df = n1 + n2 − 2 (4.22–4.24); the log
  odds ratio of a 2×2 table and its variance (5.8–5.10); the logit method
  d = ln(OR)·√3/π, var(d) = var(ln OR)·3/π² (7.1–7.2); a standard error from a 95% CI
  on the analysis scale, (upper − lower)/(2·1.96).
- Cochrane Handbook for Systematic Reviews of Interventions 6.5 (2024), 6.5.2.3: the
  SD of a difference in means from its CI, for groups of 60 or more.
- What Works Clearinghouse 5.0: a study's own (often covariate-adjusted) estimate comes
  before the one its raw numbers give: a reported mean difference over the pooled SD of
  the groups, a reported odds ratio with its CI before the 2×2 table of the proportions.
- What Works Clearinghouse, Procedures and Standards Handbook 5.0: the improvement
  index (Φ(g) − 0.5)·100 percentile points.

Positive g favours the intervention. A finding whose measure is better when lower
(`lower_is_better`: benefit dependence, sick leave) has its raw effect turned round, so a
"no difference" finding points the right way too; a favourable or unfavourable finding
is also set by its coded direction. New findings whose direction contradicts their
numbers are refused where they come in (registry/effects/plausibility.py), so that rule
only still turns findings recorded before the check.

A finding that cannot be put on the scale keeps its own and says why (`reason`): a
hazard ratio (no conversion without the event data over time), a ratio or difference
of proportions without the proportions and group sizes, a mean difference without
standard deviations, anything without a comparison group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)  # 1.959964...
LOGIT_TO_D = math.sqrt(3) / math.pi
# Added to every cell of a 2×2 table with an empty cell (Borenstein 5.8's convention).
ZERO_CELL = 0.5
RATIO_TYPES = ("odds_ratio", "risk_ratio", "hazard_ratio")
PROPORTION_TYPES = ("odds_ratio", "risk_ratio", "risk_difference")
MIN_GROUP_FOR_CI_SD = 60

# Why a finding is not on the common scale (codes; the pages translate them).
NO_TYPE = "no_effect_type"
NO_COMPARISON = "no_comparison_group"
HAZARD_RATIO = "hazard_ratio"
NEEDS_PROPORTIONS = "needs_proportions"
NEEDS_SDS = "needs_standard_deviations"
NEEDS_PRECISION = "needs_precision"


@dataclass(frozen=True)
class FindingData:
    """What a coded finding holds (registry.models.Finding's numbers, as floats)."""

    effect_size_type: str | None
    effect_size: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    n_intervention: int | None = None
    n_comparison: int | None = None
    # Means (continuous outcomes) or proportions (dichotomous ones) per group.
    value_intervention: float | None = None
    value_comparison: float | None = None
    sd_intervention: float | None = None
    sd_comparison: float | None = None
    direction: str = "null"
    lower_is_better: bool = False


@dataclass(frozen=True)
class Effect:
    """A finding on the common scale, or why it is not (g is None, reason says why)."""

    g: float | None = None
    variance: float | None = None
    method: str | None = None  # how g was computed (a code, see METHODS)
    reason: str | None = None
    # The finding's own ratio on the log scale with its variance, for pooling ratios
    # on their own scale (odds and risk ratios).
    log_ratio: float | None = None
    log_ratio_variance: float | None = None
    # Whether g was turned against the ratio (less of the measure is better, or the coded
    # direction said so): the ratio stays as the study reported it, intervention against
    # comparison, and only ratios turned alike are pooled together (domains._pool).
    ratio_turned: bool = False

    @property
    def se(self) -> float | None:
        return None if self.variance is None else math.sqrt(self.variance)

    @property
    def ci(self) -> tuple[float, float] | None:
        if self.g is None:
            return None
        return self.g - Z95 * self.se, self.g + Z95 * self.se

    @property
    def improvement_index(self) -> float | None:
        return None if self.g is None else improvement_index(self.g)


def improvement_index(g: float) -> float:
    """The WWC improvement index: (Φ(g) − 0.5)·100 percentile points."""
    return (NormalDist().cdf(g) - 0.5) * 100


# Hedges' J needs df = n1 + n2 − 2 of at least 2: at df 1 it is 0 (every g 0 with
# variance 0), at df 0 it is 4. Fewer participants than this give no standardised effect.
MIN_PARTICIPANTS = 4


def correction_j(n1: int, n2: int) -> float:
    """Hedges' small-sample correction J = 1 − 3/(4·df − 1), df = n1 + n2 − 2 (at least
    MIN_PARTICIPANTS in all)."""
    if n1 + n2 < MIN_PARTICIPANTS:
        raise ValueError("Hedges' correction needs at least four participants")
    return 1 - 3 / (4 * (n1 + n2 - 2) - 1)


def _correction_if_known(n1: int | None, n2: int | None) -> float:
    """Hedges' J where the group sizes allow it; 1 (no correction) where they are not
    known or too few."""
    return correction_j(n1, n2) if n1 and n2 and n1 + n2 >= MIN_PARTICIPANTS else 1.0


def d_variance(d: float, n1: int, n2: int) -> float:
    """The sampling variance of Cohen's d (Borenstein 4.20)."""
    return (n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2))


def se_from_ci(lower: float, upper: float) -> float:
    """The standard error a symmetric 95% CI implies (on the scale it is symmetric on)."""
    return (upper - lower) / (2 * Z95)


def pooled_sd(sd1: float, n1: int, sd2: float, n2: int) -> float:
    """The pooled within-group SD (Borenstein 4.19)."""
    return math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))


def d_from_means(m1: float, sd1: float, n1: int, m2: float, sd2: float, n2: int) -> float:
    """Cohen's d with the pooled within-group SD (Borenstein 4.18–4.19)."""
    return (m1 - m2) / pooled_sd(sd1, n1, sd2, n2)


def log_odds_ratio(p1: float, n1: int, p2: float, n2: int) -> tuple[float, float]:
    """ln(OR) and its variance from two proportions and group sizes (a 2×2 table)."""
    a, c = p1 * n1, p2 * n2
    cells = [a, n1 - a, c, n2 - c]
    if min(cells) <= 0:
        cells = [cell + ZERO_CELL for cell in cells]
    a, b, c, d = cells
    return math.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def log_risk_ratio(p1: float, n1: int, p2: float, n2: int) -> tuple[float, float]:
    """ln(RR) and its variance from two proportions and group sizes."""
    a, c = p1 * n1, p2 * n2
    if min(a, c) <= 0:
        a, c, n1, n2 = a + ZERO_CELL, c + ZERO_CELL, n1 + 2 * ZERO_CELL, n2 + 2 * ZERO_CELL
    return math.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2


def to_common_scale(finding: FindingData) -> Effect:
    """The finding as Hedges' g (positive favours the intervention), or why it cannot be.

    An estimate without a usable precision (a variance of 0 from a CI whose bounds are
    equal, or an overflow from extreme numbers) is not on the scale: it says so
    (NEEDS_PRECISION) instead of breaking the pooling, the page and the search index."""
    effect = _measured(finding)
    if effect.g is not None and finding.lower_is_better:
        effect = _turned(effect)  # less of the measure is better: more of the effect
    if effect.g is None or not _points_the_wrong_way(effect.g, finding.direction):
        return effect
    return _turned(effect)


def measured_g(finding: FindingData) -> float | None:
    """g as the numbers give it, before lower_is_better and the coded direction turn it
    (positive: more of the measure in the intervention group); None when the finding
    cannot be put on the scale."""
    return _measured(finding).g


def _measured(finding: FindingData) -> Effect:
    try:
        return _usable(_convert(finding))
    except (ArithmeticError, ValueError):  # overflow, a log of 0: numbers past use
        return Effect(reason=NEEDS_PRECISION)


def _turned(effect: Effect) -> Effect:
    """g pointing the other way; a ratio keeps its own scale (a risk ratio of 0.75 for
    benefit dependence is shown as 0.75, not as 1.33)."""
    return Effect(-effect.g, effect.variance, effect.method, None, effect.log_ratio,
                  effect.log_ratio_variance, not effect.ratio_turned)


def _finite_positive(variance: float | None) -> bool:
    return variance is not None and math.isfinite(variance) and variance > 0


def _usable(effect: Effect) -> Effect:
    if effect.g is None:
        return effect
    if not (math.isfinite(effect.g) and _finite_positive(effect.variance)):
        return Effect(reason=NEEDS_PRECISION)
    if effect.log_ratio is not None and not (
            math.isfinite(effect.log_ratio) and _finite_positive(effect.log_ratio_variance)):
        # On the common scale still, but its own ratio cannot be pooled.
        return Effect(effect.g, effect.variance, effect.method)
    return effect


def _points_the_wrong_way(g: float, direction: str) -> bool:
    return (direction == "favourable" and g < 0) or (direction == "unfavourable" and g > 0)


def _convert(f: FindingData) -> Effect:
    kind = f.effect_size_type
    if kind is None and f.value_intervention is None:
        return Effect(reason=NO_TYPE)
    if f.n_intervention and not f.n_comparison:  # one group counted: before and after
        return Effect(reason=NO_COMPARISON)
    if kind == "hazard_ratio":
        return Effect(reason=HAZARD_RATIO)
    if kind in ("cohens_d", "hedges_g"):
        return _from_standardised(f)
    if kind in PROPORTION_TYPES or (kind is None and _are_proportions(f)):
        return _from_proportions(f)
    return _from_means(f)


def _are_proportions(f: FindingData) -> bool:
    values = (f.value_intervention, f.value_comparison)
    return all(v is not None and 0 <= v <= 1 for v in values) and f.sd_intervention is None


def _from_standardised(f: FindingData) -> Effect:
    n1, n2, value = f.n_intervention, f.n_comparison, f.effect_size
    if value is None:
        return Effect(reason=NEEDS_PRECISION)
    j = _correction_if_known(n1, n2)
    g = value * j if f.effect_size_type == "cohens_d" else value
    if f.ci_lower is not None and f.ci_upper is not None:
        scale = j if f.effect_size_type == "cohens_d" else 1.0
        return Effect(g, (se_from_ci(f.ci_lower, f.ci_upper) * scale) ** 2, "ci")
    if n1 and n2:
        d = value if f.effect_size_type == "cohens_d" else value / j
        return Effect(g, j * j * d_variance(d, n1, n2), "group_sizes")
    return Effect(reason=NEEDS_PRECISION)


def _from_proportions(f: FindingData) -> Effect:
    p1, p2, n1, n2 = f.value_intervention, f.value_comparison, f.n_intervention, f.n_comparison
    if f.effect_size_type == "odds_ratio" and _has_ratio_ci(f):
        # The study's own odds ratio first: often adjusted for covariates, which the
        # crude 2×2 table of its proportions is not (WWC Handbook 5.0).
        return _from_odds_ratio_ci(f)
    if p1 is None or p2 is None or not n1 or not n2 or not (0 <= p1 <= 1 and 0 <= p2 <= 1):
        if f.effect_size_type == "odds_ratio" and _has_ratio_ci(f):
            return _from_odds_ratio_ci(f)
        return Effect(reason=NEEDS_PROPORTIONS)
    if n1 + n2 < MIN_PARTICIPANTS:
        return Effect(reason=NEEDS_PRECISION)
    log_or, var_or = log_odds_ratio(p1, n1, p2, n2)
    j = correction_j(n1, n2)
    log_ratio, ratio_var = (log_risk_ratio(p1, n1, p2, n2) if f.effect_size_type == "risk_ratio"
                            else (log_or, var_or))
    keep_ratio = f.effect_size_type in ("odds_ratio", "risk_ratio")
    return Effect(j * log_or * LOGIT_TO_D, j * j * var_or * LOGIT_TO_D ** 2, "two_by_two",
                  log_ratio=log_ratio if keep_ratio else None,
                  log_ratio_variance=ratio_var if keep_ratio else None)


def _has_ratio_ci(f: FindingData) -> bool:
    values = (f.effect_size, f.ci_lower, f.ci_upper)
    return all(v is not None and v > 0 for v in values)


def _from_odds_ratio_ci(f: FindingData) -> Effect:
    log_or = math.log(f.effect_size)
    var_or = se_from_ci(math.log(f.ci_lower), math.log(f.ci_upper)) ** 2
    n1, n2 = f.n_intervention, f.n_comparison
    j = _correction_if_known(n1, n2)
    return Effect(j * log_or * LOGIT_TO_D, j * j * var_or * LOGIT_TO_D ** 2, "odds_ratio_ci",
                  log_ratio=log_or, log_ratio_variance=var_or)


def _from_means(f: FindingData) -> Effect:
    values = (f.value_intervention, f.value_comparison, f.sd_intervention, f.sd_comparison)
    n1, n2 = f.n_intervention, f.n_comparison
    if not n1 or not n2 or n1 + n2 < MIN_PARTICIPANTS:
        return Effect(reason=NEEDS_SDS)
    if any(v is None for v in values):
        return _from_mean_difference_ci(f)
    if f.effect_size_type == "mean_difference" and f.effect_size is not None:
        # The study's own difference (often covariate-adjusted) over the unadjusted pooled
        # SD, as the WWC Handbook 5.0 computes g; not the raw means' difference.
        d = f.effect_size / pooled_sd(f.sd_intervention, n1, f.sd_comparison, n2)
        j = correction_j(n1, n2)
        return Effect(j * d, j * j * d_variance(d, n1, n2), "adjusted_difference")
    d = d_from_means(f.value_intervention, f.sd_intervention, n1,
                     f.value_comparison, f.sd_comparison, n2)
    j = correction_j(n1, n2)
    return Effect(j * d, j * j * d_variance(d, n1, n2), "means")


def _from_mean_difference_ci(f: FindingData) -> Effect:
    # Cochrane Handbook 6.5.2.3: the pooled SD from the CI of a difference in means,
    # SD = SE / √(1/n1 + 1/n2), with the normal quantile: for groups of 60 or more.
    n1, n2 = f.n_intervention, f.n_comparison
    if (f.effect_size_type != "mean_difference" or f.effect_size is None
            or f.ci_lower is None or f.ci_upper is None or min(n1, n2) < MIN_GROUP_FOR_CI_SD):
        return Effect(reason=NEEDS_SDS)
    pooled_sd = se_from_ci(f.ci_lower, f.ci_upper) / math.sqrt(1 / n1 + 1 / n2)
    if pooled_sd <= 0:
        return Effect(reason=NEEDS_SDS)
    d = f.effect_size / pooled_sd
    j = correction_j(n1, n2)
    return Effect(j * d, j * j * d_variance(d, n1, n2), "mean_difference_ci")
