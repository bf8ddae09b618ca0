"""The home page's counts per public status: one grouped query whose answer matches the
status rule applied record by record, and whose cost does not grow with the catalogue."""

from __future__ import annotations

from sqlalchemy import event, select

from registry.extensions import db
from registry.models import Intervention
from registry.services.catalogue import counts_per_status, get_intervention, public_status
from tests.factories import FindingFactory, OrganisationFactory, link, make_intervention


def _catalogue(copies: int) -> None:
    for _ in range(copies):
        for outcome in (None, "well_described", "effective_good", "not_recognised",
                        "provisional"):
            make_intervention(outcome=outcome)
        make_intervention(outcome="effective_strong", expired=True)
        make_intervention(published=False)


def _by_record() -> dict[str, int]:
    counts: dict[str, int] = {}
    published = select(Intervention).where(Intervention.published_version_id.is_not(None))
    for intervention in db.session.scalars(published):
        status = public_status(intervention)
        counts[status] = counts.get(status, 0) + 1
    return counts


def _statements(action) -> int:
    seen: list[str] = []
    engine = db.session.get_bind()
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_counts_follow_the_public_status_rule(db_session):
    _catalogue(2)
    db.session.flush()
    assert counts_per_status() == _by_record()


def test_counts_cost_the_same_for_a_larger_catalogue(db_session):
    _catalogue(1)
    db.session.flush()
    small = _statements(counts_per_status)
    _catalogue(5)
    db.session.flush()
    assert _statements(counts_per_status) == small == 1


def test_an_intervention_page_loads_in_seven_statements_whatever_its_studies(db_session):
    few = make_intervention(outcome="effective_good", tags={"barrier": ["debt"]})
    many = make_intervention(outcome="effective_good",
                             tags={"barrier": ["debt", "language", "addiction"]})
    link(few, FindingFactory().study)
    for _ in range(6):
        link(many, FindingFactory().study)
    many.published_version.providers.extend([OrganisationFactory(name="Zeta"),
                                             OrganisationFactory(name="Alfa")])
    db.session.flush()

    def load(slug):
        db.session.expunge_all()
        return lambda: get_intervention(slug)

    # The current decision's ratings per domain are the seventh.
    assert _statements(load(few.slug)) == _statements(load(many.slug)) == 7
    loaded = get_intervention(many.slug)
    assert [o.name for o in loaded.published_version.providers] == ["Alfa", "Zeta"]
    assert len(loaded.study_links) == 6
