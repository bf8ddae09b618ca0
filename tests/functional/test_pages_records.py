"""The page of one intervention and the page of one study."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest

from registry.extensions import db
from registry.models import OutcomeRating
from tests.factories import (
    DecisionFactory,
    FindingFactory,
    OrganisationFactory,
    StudyFactory,
    link,
    make_intervention,
    term,
)


def page_text(response) -> str:
    """The page as a screen reader reads it: aria-hidden parts and tags dropped, entities
    decoded, spaces collapsed."""
    body = re.sub(
        r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', " ", response.get_data(as_text=True)
    )
    without_tags = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(without_tags))


@pytest.fixture
def full_intervention():
    intervention = make_intervention(
        slug="werkfit",
        title="Werkfit",
        summary="Werkfit helpt bijstandsgerechtigden aan een baan.",
        main_aim="Duurzaam betaald werk.",
        sub_aims=["Werkritme opdoen", "Netwerk vergroten"],
        target_group_text="Mensen met schulden en een afstand tot werk.",
        targets_household=True,
        approach="Elke week een gesprek met de jobcoach.",
        duration="6 tot 9 maanden",
        intensity="Wekelijks één uur",
        setting_text="Op de werkplek",
        active_elements=["Snel plaatsen", "Nazorg"],
        ladder_rung_min=3,
        ladder_rung_max=4,
        cost_min_eur=1500,
        cost_max_eur=3000,
        cost_notes="Inclusief jobcoaching.",
        availability_text="Utrecht en Amersfoort",
        manual_and_materials="Handboek Werkfit (2020)",
        implementation_conditions="Jobcoaches volgen een training van drie dagen.",
        contact_name="Anna de Vries",
        contact_email="anna@werkfit.example",
        contact_phone="030 123 45 67",
        website="https://www.werkfit.example",
        year_started=2016,
        tags={"barrier": ["debt"], "intervention_type": ["job_coaching"]},
        outcome="effective_good",
    )
    intervention.owner.name = "Stichting Werkfit"
    intervention.published_version.providers.append(OrganisationFactory(name="Gemeente Zeist"))
    return intervention


# Intervention page


@pytest.mark.parametrize(
    "expected",
    [
        "Werkfit helpt bijstandsgerechtigden aan een baan.",
        "Duurzaam betaald werk.",
        "Netwerk vergroten",
        "Mensen met schulden en een afstand tot werk.",
        "Ja, de interventie richt zich op het huishouden als geheel.",
        "Elke week een gesprek met de jobcoach.",
        "6 tot 9 maanden",
        "Wekelijks één uur",
        "Op de werkplek",
        "Nazorg",
        "Trede 3: Deelname georganiseerde activiteiten",
        "Trede 4: Onbetaald werk",
        "€ 1.500 tot € 3.000",
        "Inclusief jobcoaching.",
        "Utrecht en Amersfoort",
        "Stichting Werkfit",
        "Gemeente Zeist",
        "Handboek Werkfit (2020)",
        "Jobcoaches volgen een training van drie dagen.",
        "Anna de Vries",
        "anna@werkfit.example",
        "030 123 45 67",
        "In gebruik sinds 2016",
        "Belemmeringen Schulden",
        "Soort interventie Jobcoaching",
    ],
)
def test_intervention_page_shows_field(client, full_intervention, expected):
    assert expected in page_text(client.get("/interventies/werkfit"))


def test_intervention_page_leaves_out_rungs_outside_the_range(client, full_intervention):
    assert "Trede 5" not in page_text(client.get("/interventies/werkfit"))


def test_intervention_page_explains_the_level(client, full_intervention):
    text = page_text(client.get("/interventies/werkfit"))
    assert "Er zijn goede aanwijzingen voor effect" in text


def test_intervention_page_shows_decision_rationale(client, full_intervention):
    text = page_text(client.get("/interventies/werkfit"))
    assert "De commissie vond de onderbouwing overtuigend." in text


def test_intervention_page_formats_decision_date_in_dutch(client, full_intervention):
    full_intervention.current_decision.decided_on = date(2024, 3, 5)
    text = page_text(client.get("/interventies/werkfit"))
    assert "Datum van het besluit 5 maart 2024" in text


def test_intervention_page_formats_decision_date_in_english(client, full_intervention):
    full_intervention.current_decision.decided_on = date(2024, 3, 5)
    client.get("/taal/en")
    assert "March 5, 2024" in page_text(client.get("/interventies/werkfit"))


def test_intervention_page_shows_tag_labels_in_english(client, full_intervention):
    client.get("/taal/en")
    assert "Debt" in page_text(client.get("/interventies/werkfit"))


def test_intervention_page_shows_rating_per_outcome_domain(client, full_intervention):
    full_intervention.current_decision.ratings.append(
        OutcomeRating(outcome_domain=term("outcome_domain", "income"), level="effective_first")
    )
    text = page_text(client.get("/interventies/werkfit"))
    assert "Inkomen / uitkeringsafhankelijkheid Erkenning: Effectief volgens eerste" in text


def test_ratings_per_outcome_domain_follow_the_vocabularys_order(client, full_intervention):
    """Recorded in another order (as an import may): shown as the effects are, work
    before income."""
    ratings = full_intervention.current_decision.ratings
    ratings.append(OutcomeRating(outcome_domain=term("outcome_domain", "income"),
                                 level="effective_first"))
    ratings.append(OutcomeRating(outcome_domain=term("outcome_domain", "work"),
                                 level="effective_good"))
    text = page_text(client.get("/interventies/werkfit"))
    assert text.index("Werk (uitstroom naar werk) Erkenning") < text.index(
        "Inkomen / uitkeringsafhankelijkheid Erkenning")


def test_intervention_page_lists_published_earlier_decisions(client, full_intervention):
    DecisionFactory(
        intervention=full_intervention,
        outcome="well_founded",
        decided_on=date(2015, 6, 1),
        rationale="Het eerste oordeel van de commissie.",
        published_at=datetime(2015, 6, 2, tzinfo=UTC),
    )
    text = page_text(client.get("/interventies/werkfit"))
    assert "1 juni 2015 Erkenning: Goed onderbouwd" in text


def test_intervention_page_hides_unpublished_earlier_decisions(client, full_intervention):
    DecisionFactory(
        intervention=full_intervention,
        outcome="well_founded",
        decided_on=date(2015, 6, 1),
        rationale="Een concept dat nooit is gepubliceerd.",
    )
    text = page_text(client.get("/interventies/werkfit"))
    assert "Een concept dat nooit is gepubliceerd." not in text


def test_provisional_intervention_shows_conditions_and_level(client):
    intervention = make_intervention(slug="voorlopig")
    intervention.current_decision = DecisionFactory(
        intervention=intervention,
        outcome="provisional",
        level="effective_first",
        conditions="Binnen zes maanden een procesevaluatie aanleveren.",
    )
    text = page_text(client.get("/interventies/voorlopig"))
    assert "Erkenning: Onder voorbehoud" in text
    assert "Erkend onder voorwaarden, op het niveau: Effectief volgens eerste aanwijzingen." in text
    assert "Voorwaarden Binnen zes maanden een procesevaluatie aanleveren." in text


def test_expired_intervention_is_labelled_expired(client):
    make_intervention(slug="oud", outcome="effective_good", expired=True)
    text = page_text(client.get("/interventies/oud"))
    assert "Erkenning: Verlopen" in text
    assert "Eerder erkend als: Effectief volgens goede aanwijzingen." in text


def test_not_recognised_intervention_is_labelled_with_reasons(client):
    make_intervention(slug="afgewezen", outcome="not_recognised")
    text = page_text(client.get("/interventies/afgewezen"))
    assert "Erkenning: Niet erkend" in text
    assert "De commissie vond de onderbouwing overtuigend." in text


def test_unassessed_intervention_says_so(client):
    make_intervention(slug="nieuw")
    assert "Erkenning: Niet beoordeeld" in page_text(client.get("/interventies/nieuw"))


def test_unknown_intervention_gives_404(client):
    assert client.get("/interventies/bestaat-niet").status_code == 404


def test_draft_intervention_gives_404(client):
    make_intervention(slug="concept", published=False)
    assert client.get("/interventies/concept").status_code == 404


def test_intervention_page_escapes_html_in_title(client):
    make_intervention(slug="xss", title="<script>alert('x')</script>")
    body = client.get("/interventies/xss").get_data(as_text=True)
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


def test_intervention_page_never_links_a_javascript_website(client):
    make_intervention(slug="js", website="javascript:alert(1)")
    body = client.get("/interventies/js").get_data(as_text=True)
    assert 'href="javascript:' not in body


def test_findings_table_has_caption_and_headers(client, full_intervention):
    link(full_intervention, FindingFactory().study)
    body = client.get("/interventies/werkfit").get_data(as_text=True)
    assert re.search(r"<table[^>]*>\s*<caption[^>]*>Resultaten uit de gekoppelde studies", body)
    assert '<th scope="col">Uitkomstdomein</th>' in body
    assert '<th scope="row">Aandeel aan het werk</th>' in body


def test_findings_table_shows_effect_with_interval_in_words(client, full_intervention):
    link(full_intervention, FindingFactory().study)
    text = page_text(client.get("/interventies/werkfit"))
    assert (
        "Werk (uitstroom naar werk) Aandeel aan het werk 12 maanden (follow-up lang: 12 tot "
        "en met 36 maanden) Relatief risico 1,30 (1,10 tot 1,60) p = 0,01 Gunstig"
    ) in text


# Study page


@pytest.fixture
def study():
    study = StudyFactory(
        title="Werkfit in vijf gemeenten",
        authors=[("Vries", "de", "A."), ("Bakker", None, "P."), ("Berg", "van der", "K.")],
        year=2020,
        journal="Tijdschrift voor Arbeidsvraagstukken",
        volume="36",
        issue="2",
        pages="101-118",
        doi="10.5555/werkfit.2020",
        abstract="Een gerandomiseerde studie naar Werkfit.",
        keywords=["jobcoaching", "bijstand"],
        follow_up_months=18,
        quality="high",
    )
    FindingFactory(study=study, measure="Uren betaald werk per week", direction="null")
    return study


@pytest.mark.parametrize(
    "expected",
    [
        "Auteurs de Vries, A. Bakker, P. van der Berg, K.",
        "Tijdschrift voor Arbeidsvraagstukken",
        "Jaargang 36",
        "Nummer 2",
        "101-118",
        "Gerandomiseerd gecontroleerd onderzoek (RCT)",
        "Deelnemers in de interventiegroep 120",
        "Deelnemers in de vergelijkingsgroep 118",
        "18 maanden (follow-up lang: 12 tot en met 36 maanden)",
        "Kwaliteit (oordeel van een beoordelaar) Hoog",
        "Een gerandomiseerde studie naar Werkfit.",
        "jobcoaching, bijstand",
        "Taal Nederlands",
        "Land Nederland",
        "Uren betaald werk per week",
        "Geen verschil",
    ],
)
def test_study_page_shows_field(client, study, expected):
    assert expected in page_text(client.get(f"/studies/{study.id}"))


def test_study_page_links_doi_to_resolver(client, study):
    body = client.get(f"/studies/{study.id}").get_data(as_text=True)
    assert '<a href="https://doi.org/10.5555/werkfit.2020">' in body


def test_study_page_lists_linked_published_intervention(client, study):
    link(make_intervention(title="Werkfit gepubliceerd"), study)
    assert "Werkfit gepubliceerd" in page_text(client.get(f"/studies/{study.id}"))


def test_study_page_hides_linked_draft_intervention(client, study):
    link(make_intervention(title="Werkfit concept", published=False), study)
    assert "Werkfit concept" not in page_text(client.get(f"/studies/{study.id}"))


def test_unknown_study_gives_404(client):
    assert client.get("/studies/999999").status_code == 404


def test_a_decision_without_a_rationale_says_so_instead_of_inventing_one(client):
    from tests.factories import make_intervention

    item = make_intervention(title="Oud besluit", outcome="effective_good")
    item.current_decision.rationale = ""
    db.session.flush()
    page = client.get(f"/interventies/{item.slug}").get_data(as_text=True)
    assert "Niet vastgelegd: dit besluit is genomen voordat de motivering verplicht werd." in page


def test_compare_shows_costs_as_the_intervention_page_does(client, full_intervention):
    make_intervention(slug="zonder-kosten", title="Zonder kosten")
    text = page_text(client.get("/vergelijken?i=werkfit&i=zonder-kosten"))
    assert "Kosten per deelnemer € 1.500 tot € 3.000 –" in text


def test_an_english_studys_own_texts_are_marked_english(client):
    """The setting and keywords are the study's own words, as its title and abstract: a
    screen reader reads them in English on the Dutch page."""
    study = StudyFactory(title="Work first in six offices", language="en",
                         abstract="A randomised trial.", keywords=["activation"],
                         setting="Six regional offices of the public employment service.")
    body = client.get(f"/studies/{study.id}").get_data(as_text=True)
    for text in ("Six regional offices", "activation"):
        before = body[:body.index(text)]
        assert before[before.rindex("<dd"):].startswith('<dd lang="en">'), text
