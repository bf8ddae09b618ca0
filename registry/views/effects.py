"""The forest plots of the intervention page: one per outcome domain, rows labelled as a
reader cites a study."""

from __future__ import annotations

from flask_babel import gettext as _

from registry.citations import study_citation
from registry.services.effects import DomainEffects
from registry.views.forest import ForestPlot, forest_plot

LABEL_CHARS = 28  # what fits on a row's line beside its value


def _row_label(row) -> str:
    text = study_citation(row.study)
    months = row.finding.time_point_months
    if months is not None:
        text += ", " + _("%(months)s mnd", months=months)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _pooled_label(group) -> str:
    return _("Gepoold (k = %(k)s)", k=group.pooled.k)


LABELS = {"row": _row_label, "pooled": _pooled_label}


def forest_plots(domains: list[DomainEffects]) -> dict[int, ForestPlot]:
    """Each domain's plot by the domain's term id (domains without a finding on the
    common scale have none)."""
    plots = {}
    for domain in domains:
        plot = forest_plot(domain.groups, LABELS)
        if plot is not None:
            plots[domain.domain.id] = plot
    return plots
