"""One rank table: 'sort by level' orders statuses the same on the list pages and in
search (not recognised below never judged, expired between them)."""

from registry.services.catalogue import list_interventions, public_status
from tests.factories import make_intervention

OUTCOMES = [("effective_good", False), (None, False), ("not_recognised", False),
            ("effective_strong", True), ("provisional", False)]


def test_list_pages_and_search_order_levels_alike(index):
    for outcome, expired in OUTCOMES:
        make_intervention(outcome=outcome, expired=expired)
    index.sync()

    listed = [public_status(i) for i in list_interventions(1, 20, "-level").items]
    searched = index.search(sort="level")
    from registry.extensions import db
    from registry.models import Intervention

    found = [public_status(db.session.get(Intervention, i)) for i, _ in searched.hits]
    assert listed == found == ["effective_good", "provisional", "not_assessed", "expired",
                               "not_recognised"]
