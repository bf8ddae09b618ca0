"""The home page and the page that explains the recognition (erkenning)."""

from flask import current_app, render_template

from registry import evidence
from registry.search import service
from registry.services import panel_rules, quickscan
from registry.services.catalogue import counts_per_status
from registry.views import bp
from registry.views.search import search_root
from search_index.storage import IndexUnavailable


def _counts() -> dict[str, int]:
    """Per public status, from the search index: what the linked search will count, at a
    cost that does not grow with the catalogue. Without an index (not built yet, or
    being restored) the database counts them."""
    try:
        return service.status_counts(search_root())
    except IndexUnavailable:
        return counts_per_status()


@bp.get("/")
def home():
    counts = _counts()
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
