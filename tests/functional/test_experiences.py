"""Practice experiences: a professional shares one, the secretary publishes or refuses
it, and only published ones reach the intervention page, the API, the search facets
"toegepast in" and the data package; bad input is refused by field, nothing written."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest

from registry.extensions import db
from registry.models import AuditEvent, Notice, PracticeExperience, SearchChange
from registry.opendata.package import dump
from registry.search import sync
from registry.services import experiences
from search_index import searchers
from tests.factories import make_intervention, term
from tests.unit.procedure.support import login, make_user

GOOD = {
    "municipality": "GM0268",  # Nijmegen, Gelderland
    "started_on": "2023-02-01", "ended_on": "", "participants": "40",
    "target_group": "Bijstandsgerechtigden met schulden",
    "adaptations": "Schuldhulp en werkconsulent voeren samen het eerste gesprek.",
    "observations": "Minder uitval in het werktraject sinds de geldzorgen eerst aandacht krijgen.",
    "lessons": "Leg de samenwerking vast in een convenant.",
    "contact_name": "Team Werk", "contact_email": "team.werk@voorbeeld.example",
}


@pytest.fixture
def setting(db_session):
    intervention = make_intervention(title="Schulden eerst, werk ook")
    professional = make_user("professional")
    secretary = make_user("secretary")
    db.session.commit()
    return intervention, professional, secretary


def _share_url(intervention) -> str:
    return f"/interventies/{intervention.slug}/ervaring-delen"


def _share(client, intervention, professional, **change):
    login(client, professional)
    response = client.post(_share_url(intervention), data={**GOOD, **change})
    client.post("/uitloggen")
    return response


def _moderate(client, secretary, experience, **data):
    login(client, secretary)
    response = client.post(f"/beheer/ervaringen/{experience.id}", data=data)
    client.post("/uitloggen")
    return response


def test_a_shared_experience_waits_for_the_secretary_and_is_not_shown(client, setting):
    intervention, professional, secretary = setting

    response = _share(client, intervention, professional)
    page = client.get(f"/interventies/{intervention.slug}").get_data(as_text=True)

    assert response.status_code == 302
    (experience,) = db.session.query(PracticeExperience).all()
    assert experience.status == "submitted"
    assert experience.municipality.code == "GM0268" and experience.ended_on is None
    assert "Minder uitval" not in page
    assert db.session.query(Notice).filter_by(user_id=secretary.id, kind="experience").count()
    assert db.session.query(AuditEvent).filter_by(action="share_experience").count() == 1


def test_published_it_shows_apart_from_the_evidence_and_the_sender_is_told(client, setting):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    experience = db.session.query(PracticeExperience).one()

    response = _moderate(client, secretary, experience, decision="publish")
    page = client.get(f"/interventies/{intervention.slug}").get_data(as_text=True)
    login(client, professional)
    mine = client.get("/mijn/ervaringen").get_data(as_text=True)

    assert response.status_code == 302
    assert "Ervaringen uit de praktijk" in page and "Dit is geen onderzoek" in page
    assert "Nijmegen (Gelderland)" in page and "Minder uitval" in page
    assert 'href="mailto:team.werk@voorbeeld.example"' in page
    assert "Gepubliceerd" in mine
    assert db.session.query(Notice).filter_by(user_id=professional.id, kind="experience").count()


def test_refusing_needs_a_reason_which_the_sender_sees(client, setting):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    experience = db.session.query(PracticeExperience).one()

    without = _moderate(client, secretary, experience, decision="reject", note="nee")
    db.session.refresh(experience)
    status_after_refusal = experience.status
    refused = _moderate(client, secretary, experience, decision="reject",
                        note="Dit gaat over een andere interventie.")
    login(client, professional)
    mine = client.get("/mijn/ervaringen").get_data(as_text=True)

    assert without.status_code == 422 and 'id="note-fouten"' in without.get_data(as_text=True)
    assert status_after_refusal == "submitted"
    assert refused.status_code == 302
    assert "Niet gepubliceerd" in mine and "Dit gaat over een andere interventie." in mine


def test_a_published_experience_can_be_taken_down(client, setting):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    experience = db.session.query(PracticeExperience).one()
    _moderate(client, secretary, experience, decision="publish")

    _moderate(client, secretary, experience, decision="reject", note="Op verzoek van de gemeente.")
    again = _moderate(client, secretary, experience, decision="reject", note="Nog een keer weg.")
    page = client.get(f"/interventies/{intervention.slug}").get_data(as_text=True)

    assert "Minder uitval" not in page
    assert again.status_code == 409


FUTURE = (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(("change", "field"), [
    ({"municipality": "GM9999"}, "municipality"),
    ({"municipality": ""}, "municipality"),
    ({"started_on": FUTURE}, "started_on"),
    ({"started_on": "1989-12-31"}, "started_on"),
    ({"started_on": "1-2-2023"}, "started_on"),
    ({"ended_on": "2023-01-31"}, "ended_on"),
    ({"ended_on": FUTURE}, "ended_on"),
    ({"participants": "0"}, "participants"),
    ({"participants": "veel"}, "participants"),
    ({"participants": "100001"}, "participants"),
    ({"participants": "9" * 30}, "participants"),
    ({"target_group": "ab"}, "target_group"),
    ({"observations": "Ging goed."}, "observations"),
    ({"observations": "Mevrouw met bsn 111222333 vond snel werk bij de bakker."},
     "observations"),
    ({"lessons": "Bel de klant op 06-12345678 voor een nagesprek."}, "lessons"),
    ({"target_group": "Jan, jan@voorbeeld.example"}, "target_group"),
    ({"adaptations": "x" * 4001}, "adaptations"),
    ({"contact_email": "geen adres"}, "contact_email"),
    ({"contact_name": ""}, "contact_name"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(client, setting, change, field):
    intervention, professional, _secretary = setting

    response = _share(client, intervention, professional, **change)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-fouten"' in page and 'aria-invalid="true"' in page
    assert db.session.query(PracticeExperience).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="share_experience").count() == 0


def test_a_date_not_written_as_a_date_is_refused_in_dutch(client, setting):
    intervention, professional, _secretary = setting
    page = _share(client, intervention, professional,
                  started_on="1 februari 2024").get_data(as_text=True)
    assert "Geef een datum als JJJJ-MM-DD." in page and "Not a valid" not in page


def test_an_experience_for_an_intervention_not_public_is_refused(client, setting):
    _intervention, professional, _secretary = setting
    withdrawn = make_intervention(title="Ingetrokken aanpak", published=False)
    db.session.commit()
    login(client, professional)

    form = client.get(_share_url(withdrawn))
    sent = client.post(_share_url(withdrawn), data=GOOD)

    assert form.status_code == 409 and sent.status_code == 409
    assert "niet (meer) gepubliceerd" in sent.get_data(as_text=True)
    assert db.session.query(PracticeExperience).count() == 0


def test_publishing_for_an_intervention_no_longer_public_is_refused(client, setting):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    experience = db.session.query(PracticeExperience).one()
    intervention.published_version_id = None
    db.session.commit()

    response = _moderate(client, secretary, experience, decision="publish")

    db.session.refresh(experience)
    assert response.status_code == 409 and experience.status == "submitted"


def test_one_account_cannot_queue_without_bound(client, setting, monkeypatch):
    intervention, professional, _secretary = setting
    monkeypatch.setattr(experiences, "MAX_WAITING", 2)
    statuses = [_share(client, intervention, professional).status_code for _ in range(3)]

    assert statuses == [302, 302, 422]
    assert db.session.query(PracticeExperience).count() == 2


def test_text_is_escaped_on_the_page(client, setting):
    intervention, professional, secretary = setting
    _share(client, intervention, professional,
           observations="<script>alert(1)</script> en de deelnemers vonden werk.")
    _moderate(client, secretary, db.session.query(PracticeExperience).one(), decision="publish")

    page = client.get(f"/interventies/{intervention.slug}").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_api_and_the_search_facets_show_published_ones_only(app, client, setting,
                                                                tmp_path, monkeypatch):
    intervention, professional, secretary = setting
    other = make_intervention(title="Taal op de werkvloer")
    db.session.commit()
    _share(client, intervention, professional)
    _share(client, other, professional, municipality="GM0363")  # Amsterdam, never published
    first = db.session.query(PracticeExperience).filter_by(intervention_id=intervention.id).one()
    _moderate(client, secretary, first, decision="publish")
    root = tmp_path / "index"
    monkeypatch.setitem(app.config, "INDEX_DIR", str(root))
    sync.rebuild(db.session.connection(), root)
    try:
        listed = client.get(f"/api/v1/interventions/{intervention.slug}/experiences").get_json()
        by_province = client.get("/api/v1/search?applied_province=gelderland").get_json()
        by_town = client.get("/api/v1/search?applied_municipality=GM0268").get_json()
        amsterdam = client.get("/api/v1/search?applied_municipality=GM0363").get_json()
        page = client.get("/zoeken?applied_province=gelderland").get_data(as_text=True)
    finally:
        searchers.release_all()

    (item,) = listed["experiences"]
    assert (item["municipality"], item["municipality_name"], item["province"]) == (
        "GM0268", "Nijmegen", "gelderland")
    assert item["ended_on"] is None and item["participants"] == 40
    assert [i["slug"] for i in by_province["items"]] == [intervention.slug]
    assert [i["slug"] for i in by_town["items"]] == [intervention.slug]
    assert amsterdam["items"] == []
    assert "Toegepast in provincie" in page and "Gelderland" in page


def test_publishing_and_moving_a_municipality_reach_the_index(client, setting):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    experience = db.session.query(PracticeExperience).one()
    db.session.query(SearchChange).delete()
    db.session.commit()

    _moderate(client, secretary, experience, decision="publish")
    after_publish = {c.entity_id for c in db.session.query(SearchChange)
                     .filter_by(entity_type="intervention")}
    db.session.query(SearchChange).delete()
    term("municipality", "GM0268").broader_code = "utrecht"  # a new provincial division
    db.session.commit()
    after_move = {c.entity_id for c in db.session.query(SearchChange)
                  .filter_by(entity_type="intervention")}

    assert after_publish == {intervention.id}
    assert after_move == {intervention.id}


def test_the_data_package_has_published_experiences_without_the_contact(client, setting,
                                                                         tmp_path):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    _share(client, intervention, professional, observations="Nooit gepubliceerde ervaring "
                                                            "over de uitvoering.")
    first = db.session.query(PracticeExperience).order_by(PracticeExperience.id).first()
    _moderate(client, secretary, first, decision="publish")

    dump(db.session.connection(), tmp_path)
    with (tmp_path / "practice_experiences.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())

    assert [(r["intervention_id"], r["municipality"], r["province"]) for r in rows] == [
        (str(intervention.id), "GM0268", "gelderland")]
    assert "team.werk@voorbeeld.example" not in everything
    assert "Nooit gepubliceerde" not in everything


def test_the_municipalities_are_the_cbs_list_with_their_provinces(client, db_session):
    body = client.get("/api/v1/vocabularies/municipality").get_json()
    regions = {t["code"] for t in client.get("/api/v1/vocabularies/region").get_json()["terms"]}
    per_province: dict[str, int] = {}
    for item in body["terms"]:
        per_province[item["broader"]] = per_province.get(item["broader"], 0) + 1

    assert len(body["terms"]) == 342
    assert set(per_province) == regions - {"national"}
    # CBS, gemeentelijke indeling 1 januari 2025.
    assert per_province == {
        "groningen": 10, "friesland": 18, "drenthe": 12, "overijssel": 25, "flevoland": 6,
        "gelderland": 51, "utrecht": 26, "noord_holland": 44, "zuid_holland": 50,
        "zeeland": 13, "noord_brabant": 56, "limburg": 31}
    assert {"code": "GM0518", "label_nl": "'s-Gravenhage"}.items() <= next(
        t for t in body["terms"] if t["code"] == "GM0518").items()


@pytest.mark.parametrize("data", [{"decision": "verwijderen"}, {}, {"decision": "publish",
                                                                   "note": "x" * 1001}])
def test_a_garbled_moderation_is_refused_and_changes_nothing(client, setting, data):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    experience = db.session.query(PracticeExperience).one()

    response = _moderate(client, secretary, experience, **data)

    db.session.refresh(experience)
    assert response.status_code == 422
    assert (experience.status, experience.moderated_at) == ("submitted", None)


def test_english_pages_mark_the_interventions_dutch_title(client, setting):
    intervention, professional, secretary = setting
    _share(client, intervention, professional)
    login(client, professional)
    client.get("/taal/en?next=/")
    mine = client.get("/mijn/ervaringen").get_data(as_text=True)
    login(client, secretary)
    client.get("/taal/en?next=/")
    queue = client.get("/beheer/ervaringen").get_data(as_text=True)
    marked = f'<span lang="nl">{intervention.title}</span>'
    assert marked in mine and marked in queue
