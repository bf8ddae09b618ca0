"""The panel's rating per outcome domain and horizon in a decision: the proposal unless
it chooses otherwise, a reason required where it differs, shown on the public page, in
the evidence API and in the harm warnings."""

from __future__ import annotations

import pytest

from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import AssessmentRound, DomainRating
from registry.services import decision
from registry.services.effects import harmful_domains
from tests.unit.procedure.support import RATIONALE, drive, login, make_cast

# drive() links one favourable moderate-quality RCT on work at 12 months.
KEY = ("work", "medium")
REASON = "De commissie weegt de kleine steekproef zwaarder dan de rekenregels."


@pytest.fixture
def cast():
    cast = make_cast()
    db.session.commit()
    return cast


def _decide(round_, secretary, ratings=None):
    return decision.record_decision(round_, secretary, {
        "outcome": "effective_good", "rationale": RATIONALE,
        "domain_ratings": ratings or {}})


def test_without_a_choice_the_decision_keeps_the_proposed_rating(cast):
    round_ = drive(cast, "in_discussion")

    made = _decide(round_, cast.secretary)

    (rating,) = made.domain_ratings
    assert (rating.horizon, rating.proposed, rating.decided, rating.reason) == (
        "medium", "potentially_positive", "potentially_positive", None)


def test_a_different_rating_needs_a_reason(cast):
    round_ = drive(cast, "in_discussion")

    with pytest.raises(ValidationFailed) as refused:
        _decide(round_, cast.secretary, {KEY: {"decided": "no_effect", "reason": "Te kort."}})

    assert [d["field"] for d in refused.value.details] == ["reason__work__medium"]
    assert db.session.query(DomainRating).count() == 0


def test_an_unknown_rating_is_refused(cast):
    round_ = drive(cast, "in_discussion")

    with pytest.raises(ValidationFailed) as refused:
        _decide(round_, cast.secretary, {KEY: {"decided": "geweldig"}})

    assert [d["field"] for d in refused.value.details] == ["rating__work__medium"]


def _published_with(cast, rating: str):
    """A published decision rating work at 12 months `rating`, with REASON."""
    round_ = drive(cast, "in_discussion")
    _decide(round_, cast.secretary, {KEY: {"decided": rating, "reason": REASON}})
    for reviewer in (cast.reviewer_a, cast.reviewer_b):
        decision.confirm_decision(round_, reviewer)
    decision.publish_decision(round_, cast.secretary)
    db.session.commit()
    return round_.version.intervention


def test_the_published_rating_and_reason_are_on_the_page_and_in_the_api(client, cast):
    slug = _published_with(cast, "mixed").slug

    html = client.get(f"/interventies/{slug}").get_data(as_text=True)
    body = client.get(f"/api/v1/interventions/{slug}/evidence").get_json()

    assert "Gemengd effect</strong> (oordeel van de commissie; volgens de rekenregels: " \
           "mogelijk positief effect)" in html
    assert REASON in html
    (horizon,) = body["domains"][0]["horizons"]
    assert (horizon["proposed_rating"], horizon["decided_rating"],
            horizon["decided_reason"]) == ("potentially_positive", "mixed", REASON)


def test_a_decided_negative_rating_warns_like_a_proposed_one(client, cast):
    intervention = _published_with(cast, "negative")

    html = client.get(f"/interventies/{intervention.slug}").get_data(as_text=True)

    assert 'class="notice notice--harm"' in html
    assert harmful_domains([intervention.id]) == {intervention.id: ["work"]}


def test_the_form_asks_for_a_reason_then_carries_the_choice_to_the_confirmation(client, cast):
    round_ = drive(cast, "in_discussion")
    db.session.commit()
    login(client, cast.secretary)
    url = f"/procedure/rondes/{round_.id}/besluit"
    data = {"outcome": "effective_good", "rationale": RATIONALE,
            "lock_version": str(round_.lock_version), "rating__work__medium": "no_effect"}

    form = client.get(url).get_data(as_text=True)
    refused = client.post(url, data=data)
    asked = client.post(url, data={**data, "reason__work__medium": REASON})
    done = client.post(url, data={**data, "reason__work__medium": REASON, "bevestigd": "1"})

    assert 'name="rating__work__medium"' in form and "Voorgesteld: Mogelijk positief" in form
    assert refused.status_code == 422
    assert "Leg uit waarom dit oordeel afwijkt" in refused.get_data(as_text=True)
    page = asked.get_data(as_text=True)
    assert 'name="rating__work__medium" value="no_effect"' in page
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(AssessmentRound, round_.id).state == "decided"
    assert db.session.query(DomainRating).one().decided == "no_effect"
