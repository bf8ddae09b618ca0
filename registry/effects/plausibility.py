"""Numbers a finding cannot have: checked wherever findings come in (the coding form,
the findings CSV import, the API and the study import), so no impossible finding reaches
the forest plots or the pooled estimates.

Messages are English message ids; registry/schemas and importers/validate.py give them
in Dutch (and in the reader's locale).
"""

from __future__ import annotations

from collections.abc import Mapping

from registry.effects.effect_sizes import (
    PROPORTION_TYPES,
    RATIO_TYPES,
    FindingData,
    measured_g,
)
from registry.i18n import N_

OUTSIDE_CI = "effect_size is outside its confidence interval."
RATIO_NOT_POSITIVE = "A ratio must be greater than 0."
NOT_A_PROPORTION = "A proportion must be between 0 and 1."
SD_NOT_POSITIVE = "A standard deviation must be greater than 0."
RISK_DIFFERENCE_RANGE = "A risk difference must be between -1 and 1."
AGAINST_THE_NUMBERS = ("The direction contradicts the numbers; if less of this measure is "
                       "better, say so with lower_is_better.")
# Each message in Dutch (a message id: gettext gives it in the reader's locale).
DUTCH = {
    OUTSIDE_CI: N_("De effectgrootte ligt buiten het betrouwbaarheidsinterval."),
    RATIO_NOT_POSITIVE: N_("Een ratio (odds, risico of hazard) moet groter dan 0 zijn."),
    NOT_A_PROPORTION: N_("Een proportie moet tussen 0 en 1 liggen."),
    SD_NOT_POSITIVE: N_("Een standaarddeviatie moet groter dan 0 zijn."),
    RISK_DIFFERENCE_RANGE: N_("Een risicoverschil ligt tussen -1 en 1."),
    AGAINST_THE_NUMBERS: N_("De richting past niet bij de cijfers. Is bij deze maat minder "
                            "beter (zoals uitkeringsafhankelijkheid of verzuim)? Geef dat "
                            "dan aan met 'lager is beter'."),
}


def implausible(data: Mapping) -> list[tuple[str, str]]:
    """(field, message) for every number of this finding that cannot be."""
    problems: list[tuple[str, str]] = []
    kind, value = data.get("effect_size_type"), data.get("effect_size")
    lower, upper = data.get("ci_lower"), data.get("ci_upper")
    if None not in (value, lower, upper) and lower <= upper and not lower <= value <= upper:
        problems.append(("effect_size", OUTSIDE_CI))
    if kind in RATIO_TYPES:
        problems += [(name, RATIO_NOT_POSITIVE) for name in ("effect_size", "ci_lower", "ci_upper")
                     if data.get(name) is not None and data[name] <= 0]
    if kind == "risk_difference":
        problems += [(name, RISK_DIFFERENCE_RANGE) for name in ("effect_size", "ci_lower",
                                                                "ci_upper")
                     if data.get(name) is not None and not -1 <= data[name] <= 1]
    if kind in PROPORTION_TYPES:
        problems += [(name, NOT_A_PROPORTION)
                     for name in ("value_intervention", "value_comparison")
                     if data.get(name) is not None and not 0 <= data[name] <= 1]
    problems += [(name, SD_NOT_POSITIVE) for name in ("sd_intervention", "sd_comparison")
                 if data.get(name) is not None and not data[name] > 0]
    if _against_the_numbers(data):
        problems.append(("direction", AGAINST_THE_NUMBERS))
    return problems


def _against_the_numbers(data: Mapping) -> bool:
    """A favourable (unfavourable) finding whose numbers clearly show the intervention
    group with less (more) of the measure, while the measure is not one where less is
    better: the coded direction would silently turn the effect's sign."""
    wanted = {"favourable": 1, "unfavourable": -1}.get(data.get("direction"))
    shown = _sign_of_the_numbers(data)
    if wanted is None or shown == 0:
        return False
    return shown != (-wanted if data.get("lower_is_better") else wanted)


def _sign_of_the_numbers(data: Mapping) -> int:
    """+1 when the numbers show more of the measure in the intervention group, -1 when
    less, 0 when they do not say: the estimate the forest plot and the pooling use
    (measured_g: a reported effect size before the groups' values), else the groups'
    own values, else a reported estimate whose whole CI lies on one side of no
    difference. Reading the groups' values first let an adjusted difference of -2 with
    raw means 10 and 9 through, and a g of -0.4 without a CI was never read at all:
    both were then shown turned, as benefits."""
    g = measured_g(_finding(data))
    if g:
        return 1 if g > 0 else -1
    return _sign_of_the_values(data)


NUMBERS = ("effect_size", "ci_lower", "ci_upper", "value_intervention", "value_comparison",
           "sd_intervention", "sd_comparison")


def _finding(data: Mapping) -> FindingData:
    numbers = {name: float(data[name]) for name in NUMBERS if data.get(name) is not None}
    counts = {name: int(data[name]) for name in ("n_intervention", "n_comparison")
              if data.get(name) is not None}
    return FindingData(data.get("effect_size_type"), **numbers, **counts)


def _sign_of_the_values(data: Mapping) -> int:
    first, second = data.get("value_intervention"), data.get("value_comparison")
    if first is not None and second is not None and first != second:
        return 1 if first > second else -1
    kind = data.get("effect_size_type")
    lower, upper = data.get("ci_lower"), data.get("ci_upper")
    if kind is None or kind == "hazard_ratio" or lower is None or upper is None:
        return 0
    null = 1.0 if kind in RATIO_TYPES else 0.0
    if lower > null:
        return 1
    return -1 if upper < null else 0
