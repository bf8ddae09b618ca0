"""The home page and the page that explains the recognition (erkenning)."""

from flask import current_app, render_template

from registry import evidence
from registry.services import panel_rules, quickscan
from registry.services.catalogue import counts_per_status
from registry.views import bp


@bp.get("/")
def home():
    counts = counts_per_status()
    return render_template(
        "home.html",
        counts=counts,
        statuses=evidence.PUBLIC_STATUSES,
        total=sum(counts.values()),
    )


@bp.get("/erkenning")
def recognition():
    return render_template(
        "recognition.html",
        levels=evidence.LEVELS,
        other_statuses=("not_recognised", "provisional", "expired"),
        valid_years=current_app.config["RECOGNITION_VALID_YEARS"],
        provisional_months=current_app.config["PROVISIONAL_VALID_MONTHS"],
        panel_rules=[(level, panel_rules.describe(rule))
                     for level, rule in panel_rules.rules().items()],
        quickscan_rules=quickscan.LEVEL_RULES,
    )
