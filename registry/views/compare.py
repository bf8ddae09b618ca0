"""Compare 2–4 published interventions side by side: /vergelijken?i=<slug>&i=<slug>.

A GET URL, so a comparison can be shared, bookmarked and printed.
"""

from __future__ import annotations

from flask import render_template, request

from registry.services.catalogue import COMPARE_MAX, interventions_to_compare, public_status
from registry.services.vocabularies import terms_by_code
from registry.views import bp, labels
from registry.views.back_links import back_to_results

# The tag vocabularies a klantmanager compares on, in this order.
COMPARED_VOCABULARIES = ("target_group", "barrier", "age_band", "support_need", "domain",
                         "phase", "delivery_form")


@bp.get("/vergelijken")
def compare():
    chosen = list(dict.fromkeys(slug for slug in request.args.getlist("i") if slug))
    interventions, missing = interventions_to_compare(chosen)
    rows = [
        (vocabulary, labels.VOCABULARY_NAMES.get(vocabulary, vocabulary))
        for vocabulary in COMPARED_VOCABULARIES
    ]
    return render_template(
        "search/compare.html",
        interventions=interventions,
        statuses=[public_status(i) for i in interventions],
        missing=missing,
        left_out=max(len(chosen) - COMPARE_MAX, 0),  # chosen beyond the first COMPARE_MAX
        tag_rows=rows,
        rungs=terms_by_code("ladder_rung"),
        maximum=COMPARE_MAX,
        back=back_to_results(request.args.get("terug")),
    )
