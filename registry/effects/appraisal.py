"""The appraisal of one effect study against the registry's standard: the criteria a
reviewer answers, and the rating the answers propose. The rules are on the "Over de
erkenning" page; they follow the What Works Clearinghouse's Standards Handbook (v5.0):

- Without a comparison group (design pre-post or other) a study does not meet the
  standard; nor with a confounding factor, doubtful outcome measures or a flawed analysis.
- Randomised (design "rct" with groups formed by lot) with low attrition: meets the
  standard without reservations.
- Quasi-experimental, or randomised with high or unknown attrition, or a randomised
  design whose groups were not formed by lot: the analysed groups must be equivalent at
  baseline on the outcome. A difference of at most 0.05 SD satisfies; more than 0.05 and
  at most 0.25 SD satisfies only with statistical adjustment; above 0.25 SD, or not
  reported, does not. Equivalent: meets the standard with reservations.
- Attrition is low when the overall attrition is at most 20% and the differential
  attrition (the difference between the groups) at most 5 percentage points; not
  reported counts as high. This is a simplification of the WWC's cautious boundary,
  which allows a little more differential attrition at lower overall attrition.
"""

from __future__ import annotations

from dataclasses import dataclass

DESIGNS = ("rct", "quasi_experimental", "pre_post", "other")
GROUP_FORMATIONS = ("random", "matched", "existing_groups", "self_selected")
CONFOUNDING = ("none", "present")
OUTCOME_MEASURES = ("valid_reliable", "doubtful")
ANALYSES = ("appropriate", "flawed")
# Bands derived from the numbers a reviewer enters.
ATTRITION_BANDS = ("low", "high", "unknown")
BASELINE_BANDS = ("equivalent", "adjustment_needed", "not_equivalent", "unknown")

RATINGS = ("meets_without_reservations", "meets_with_reservations", "does_not_meet")
# What a rating means for the study's quality on record (Study.quality), which decides
# whether its findings count (registry/effects/domains.py, suggested_level.py).
QUALITY_OF_RATING = {"meets_without_reservations": "high",
                     "meets_with_reservations": "moderate", "does_not_meet": "low"}

MAX_OVERALL_ATTRITION = 20.0  # percent
MAX_DIFFERENTIAL_ATTRITION = 5.0  # percentage points
EQUIVALENT_SD = 0.05
ADJUSTABLE_SD = 0.25

# The criteria whose answers the panel's agreement is measured on (kappa per criterion):
# each with its categories, in order; "rating" is ordinal, the others nominal.
CRITERIA = {
    "design": DESIGNS,
    "group_formation": GROUP_FORMATIONS,
    "attrition": ATTRITION_BANDS,
    "baseline": BASELINE_BANDS,
    "confounding": CONFOUNDING,
    "outcome_measures": OUTCOME_MEASURES,
    "analysis": ANALYSES,
    "rating": RATINGS,
}
ORDINAL_CRITERIA = ("rating",)


@dataclass(frozen=True)
class Answers:
    """A reviewer's answers on one study. Percentages 0–100; SD difference >= 0."""

    design: str
    group_formation: str
    overall_attrition: float | None
    differential_attrition: float | None
    baseline_difference: float | None
    baseline_adjusted: bool
    confounding: str
    outcome_measures: str
    analysis: str


@dataclass(frozen=True)
class Verdict:
    rating: str
    reasons: tuple[str, ...]  # codes, see the labels in registry/views/labels.py


def attrition_band(overall: float | None, differential: float | None) -> str:
    """low, high, or unknown (either figure not reported)."""
    if overall is None or differential is None:
        return "unknown"
    if overall <= MAX_OVERALL_ATTRITION and differential <= MAX_DIFFERENTIAL_ATTRITION:
        return "low"
    return "high"


def baseline_band(difference: float | None) -> str:
    """equivalent (<= 0.05 SD), adjustment_needed (<= 0.25 SD), not_equivalent, unknown."""
    if difference is None:
        return "unknown"
    if difference <= EQUIVALENT_SD:
        return "equivalent"
    return "adjustment_needed" if difference <= ADJUSTABLE_SD else "not_equivalent"


def categories(answers: Answers) -> dict[str, str]:
    """The answer per criterion in CRITERIA (numbers as their bands), and the rating."""
    return {
        "design": answers.design, "group_formation": answers.group_formation,
        "attrition": attrition_band(answers.overall_attrition, answers.differential_attrition),
        "baseline": baseline_band(answers.baseline_difference),
        "confounding": answers.confounding, "outcome_measures": answers.outcome_measures,
        "analysis": answers.analysis, "rating": appraise(answers).rating,
    }


def appraise(answers: Answers) -> Verdict:
    """The rating the answers propose, with every reason that lowers it."""
    failures = _failures(answers)
    randomised = answers.design == "rct" and answers.group_formation == "random"
    low_attrition = attrition_band(answers.overall_attrition,
                                   answers.differential_attrition) == "low"
    strong = randomised and low_attrition
    baseline = None if strong else _baseline_failure(answers)
    if baseline and answers.design in ("rct", "quasi_experimental"):
        failures.append(baseline)
    reservations = _reservations(answers, randomised, low_attrition)
    if failures:
        return Verdict("does_not_meet", tuple(failures + reservations))
    if strong:
        return Verdict("meets_without_reservations", ())
    return Verdict("meets_with_reservations", tuple(reservations))


def _failures(answers: Answers) -> list[str]:
    failures = []
    if answers.design not in ("rct", "quasi_experimental"):
        failures.append("no_comparison_group")
    if answers.confounding == "present":
        failures.append("confounding")
    if answers.outcome_measures == "doubtful":
        failures.append("outcome_measures")
    if answers.analysis == "flawed":
        failures.append("analysis")
    return failures


def _reservations(answers: Answers, randomised: bool, low_attrition: bool) -> list[str]:
    if answers.design == "rct" and not randomised:
        return ["randomisation_compromised"]
    if answers.design == "rct" and not low_attrition:
        return ["high_attrition"]
    return ["not_randomised"] if answers.design == "quasi_experimental" else []


def _baseline_failure(answers: Answers) -> str | None:
    band = baseline_band(answers.baseline_difference)
    if band == "not_equivalent":
        return "baseline_not_equivalent"
    if band == "unknown":
        return "baseline_unknown"
    if band == "adjustment_needed" and not answers.baseline_adjusted:
        return "baseline_not_adjusted"
    return None
