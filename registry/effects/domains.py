"""An intervention's evidence per outcome domain and follow-up horizon: every finding of
its effect studies on the common scale, which count and why not, the pooled estimate
and the rating the findings propose. The rules are on the "Over de erkenning" page.

- Horizons: short (< 6 months), medium (6–12), long (> 12); a finding without a time
  point is in "unknown".
- A finding counts when its study is controlled (randomised or quasi-experimental), of
  high or moderate quality, and the finding counts towards the rating.
- Per study one finding per domain and horizon (findings of one sample are not
  independent): the one on the common scale before one that is not, then the latest
  time point, then the first coded. When a study's findings that would count point
  both ways (one favourable, one unfavourable), the proposal is "mixed" whichever
  counts: a harmful effect never hides behind the study's other finding.
- Pooled when at least two counted findings are on the common scale (pooling.pool):
  in g, and on the ratio scale too when all are odds ratios or all risk ratios.
- Proposed rating from the counted findings' directions (F favourable, U unfavourable;
  "high" = at least one favourable study of high quality):
  none counted → insufficient; F ≥ 2, U = 0 and high → positive; F ≥ 1, U = 0 →
  potentially_positive; F ≥ 1, U ≥ 1 → mixed; U ≥ 2, F = 0 → negative;
  U = 1, F = 0 → potentially_negative; otherwise (only null findings) → no_effect.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from registry.effects.effect_sizes import Effect, FindingData, to_common_scale
from registry.effects.pooling import Pooled, pool

HORIZONS = ("short", "medium", "long", "unknown")
RATINGS = ("positive", "potentially_positive", "mixed", "no_effect", "potentially_negative",
           "negative", "insufficient")
HARMFUL_RATINGS = ("potentially_negative", "negative")
QUALIFYING_DESIGNS = ("rct", "quasi_experimental")
QUALIFYING_QUALITY = ("high", "moderate")
# Why a finding does not count (codes; the pages translate them).
NOT_CONTROLLED = "not_controlled"
LOW_QUALITY = "quality_not_sufficient"
EXCLUDED = "excluded_by_coder"
OTHER_FINDING = "another_finding_of_the_study"


def horizon(months: int | None) -> str:
    """short (< 6 months), medium (6–12), long (> 12) or unknown."""
    if months is None:
        return "unknown"
    if months < 6:
        return "short"
    return "medium" if months <= 12 else "long"


@dataclass
class Row:
    """One finding in a domain × horizon group, as the forest plot and the API show it."""

    finding: object  # registry.models.Finding
    study: object  # registry.models.Study
    effect: Effect
    counts: bool = False
    reason: str | None = None  # why it does not count
    weight: float | None = None  # percent of the pooled estimate
    weight_shown: int | None = None  # whole percents that add up to 100 (shown_percents)
    quality: str | None = None  # the study's quality as the rating reads it

    def __post_init__(self) -> None:
        if self.quality is None:
            self.quality = self.study.quality


@dataclass
class Group:
    domain: object  # registry.models.VocabularyTerm
    horizon: str
    rows: list[Row] = field(default_factory=list)
    pooled: Pooled | None = None
    ratio_type: str | None = None  # odds_ratio or risk_ratio when also pooled as a ratio
    pooled_ratio: Pooled | None = None  # on the log scale
    proposed: str = "insufficient"
    decided: str | None = None  # the panel's, in the current decision
    reason: str | None = None  # the panel's reason when it differs from the proposal

    @property
    def counted(self) -> list[Row]:
        return [row for row in self.rows if row.counts]

    @property
    def rating(self) -> str:
        """The panel's rating where it decided one, else the proposed one."""
        return self.decided or self.proposed

    @property
    def is_harmful(self) -> bool:
        return self.rating in HARMFUL_RATINGS


def finding_data(finding) -> FindingData:
    """A model Finding's numbers as effect_sizes.FindingData."""
    def number(value):
        return None if value is None else float(value)

    return FindingData(
        finding.effect_size_type, number(finding.effect_size), number(finding.ci_lower),
        number(finding.ci_upper), finding.n_intervention, finding.n_comparison,
        finding.value_intervention, finding.value_comparison, finding.sd_intervention,
        finding.sd_comparison, finding.direction, bool(finding.lower_is_better))


def groups_for(studies: Iterable, qualities: dict[int, str] | None = None) -> list[Group]:
    """Every domain × horizon group of these effect studies' findings, in the domains'
    vocabulary order and the horizons' order. `qualities` (study id -> quality) stand in
    for the studies' quality on record: the panel's agreed appraisal before publication."""
    groups: dict[tuple[int, str], Group] = {}
    qualities = qualities or {}
    for study in studies:
        quality = qualities.get(study.id, study.quality)
        for finding in study.findings:
            key = (finding.outcome_domain_id, horizon(finding.time_point_months))
            group = groups.setdefault(key, Group(finding.outcome_domain, key[1]))
            group.rows.append(Row(finding, study, to_common_scale(finding_data(finding)),
                                  quality=quality))
    for group in groups.values():
        _judge(group)
    return sorted(groups.values(), key=lambda g: (g.domain.position, g.domain.code,
                                                  HORIZONS.index(g.horizon)))


def _judge(group: Group) -> None:
    chosen = _one_per_study(group.rows)
    for row in group.rows:
        row.reason = _reason(row, chosen)
        row.counts = row.reason is None
    group.rows.sort(key=lambda r: (not r.counts, r.study.year or 0, r.finding.id))
    _pool(group)
    group.proposed = "mixed" if _points_both_ways(group.rows) else proposed_rating(
        group.counted)


def _points_both_ways(rows: list[Row]) -> bool:
    """Whether one study's findings that would count but for the one-per-study rule
    include a favourable and an unfavourable one."""
    directions: dict[int, set[str]] = {}
    for row in rows:
        if row.reason in (None, OTHER_FINDING):
            directions.setdefault(row.study.id, set()).add(row.finding.direction)
    return any({"favourable", "unfavourable"} <= found for found in directions.values())


def _reason(row: Row, chosen: set[int]) -> str | None:
    design = row.study.design.code if row.study.design else None
    if design not in QUALIFYING_DESIGNS:
        return NOT_CONTROLLED
    if row.quality not in QUALIFYING_QUALITY:
        return LOW_QUALITY
    if not row.finding.counts_towards_rating:
        return EXCLUDED
    return None if row.finding.id in chosen else OTHER_FINDING


def _one_per_study(rows: list[Row]) -> set[int]:
    best: dict[int, Row] = {}
    for row in rows:
        if not row.finding.counts_towards_rating:
            continue
        current = best.get(row.study.id)
        if current is None or _preference(row) < _preference(current):
            best[row.study.id] = row
    return {row.finding.id for row in best.values()}


def _preference(row: Row) -> tuple:
    return (row.effect.g is None, -(row.finding.time_point_months or -1), row.finding.id)


def shown_percents(percents: list[float]) -> list[int]:
    """Whole percents that add up to 100 (largest remainder): three equal weights show as
    34, 33 and 33, not as 33 three times."""
    floors = [math.floor(p) for p in percents]
    short = 100 - sum(floors)
    by_remainder = sorted(range(len(percents)), key=lambda i: (floors[i] - percents[i], i))
    for i in by_remainder[:max(short, 0)]:
        floors[i] += 1
    return floors


def _pool(group: Group) -> None:
    scaled = [row for row in group.counted if row.effect.g is not None]
    if len(scaled) < 2:
        return
    group.pooled = pool([r.effect.g for r in scaled], [r.effect.variance for r in scaled])
    weights = [1 / (r.effect.variance + group.pooled.tau2) for r in scaled]
    for row, weight in zip(scaled, weights, strict=True):
        row.weight = 100 * weight / sum(weights)
    for row, shown in zip(scaled, shown_percents([r.weight for r in scaled]), strict=True):
        row.weight_shown = shown
    types = {row.finding.effect_size_type for row in scaled}
    # Ratios pool on their own scale only when they all point the same way: a ratio above
    # 1 good for one measure (having work) and bad for another (benefit dependence) have
    # no common ratio.
    turned = {row.effect.ratio_turned for row in scaled}
    if len(types) == 1 and types <= {"odds_ratio", "risk_ratio"} and len(turned) == 1 and all(
            r.effect.log_ratio is not None for r in scaled):
        group.ratio_type = types.pop()
        group.pooled_ratio = pool([r.effect.log_ratio for r in scaled],
                                  [r.effect.log_ratio_variance for r in scaled])


def proposed_rating(counted: list[Row]) -> str:
    """The rating counted findings propose (rules in the module docstring)."""
    if not counted:
        return "insufficient"
    favourable = [r for r in counted if r.finding.direction == "favourable"]
    unfavourable = sum(r.finding.direction == "unfavourable" for r in counted)
    if favourable and unfavourable:
        return "mixed"
    if favourable:
        high = any(r.quality == "high" for r in favourable)
        return "positive" if len(favourable) >= 2 and high else "potentially_positive"
    if unfavourable:
        return "negative" if unfavourable >= 2 else "potentially_negative"
    return "no_effect"


def ratio(value: float) -> float:
    """A pooled log ratio back on the ratio scale."""
    return math.exp(value)
