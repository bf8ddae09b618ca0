"""Numbers a finding cannot have: checked wherever findings come in (the coding form,
the findings CSV import, the API and the study import), so no impossible finding reaches
the forest plots or the pooled estimates.

Messages are English message ids; registry/schemas and importers/validate.py give them
in Dutch (and in the reader's locale).
"""

from __future__ import annotations

from collections.abc import Mapping

from registry.effects.effect_sizes import PROPORTION_TYPES, RATIO_TYPES
from registry.i18n import N_

OUTSIDE_CI = "effect_size is outside its confidence interval."
RATIO_NOT_POSITIVE = "A ratio must be greater than 0."
NOT_A_PROPORTION = "A proportion must be between 0 and 1."
SD_NOT_POSITIVE = "A standard deviation must be greater than 0."
RISK_DIFFERENCE_RANGE = "A risk difference must be between -1 and 1."
# Each message in Dutch (a message id: gettext gives it in the reader's locale).
DUTCH = {
    OUTSIDE_CI: N_("De effectgrootte ligt buiten het betrouwbaarheidsinterval."),
    RATIO_NOT_POSITIVE: N_("Een ratio (odds, risico of hazard) moet groter dan 0 zijn."),
    NOT_A_PROPORTION: N_("Een proportie moet tussen 0 en 1 liggen."),
    SD_NOT_POSITIVE: N_("Een standaarddeviatie moet groter dan 0 zijn."),
    RISK_DIFFERENCE_RANGE: N_("Een risicoverschil ligt tussen -1 en 1."),
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
    return problems
