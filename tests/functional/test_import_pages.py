"""The researcher's import pages: upload → preview → confirm or cancel, batches, undo,
probable duplicates and linking by hand."""

from __future__ import annotations

import io
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import (
    AssessmentRound,
    Finding,
    ImportBatch,
    ImportBatchItem,
    InterventionStudy,
    PendingDuplicate,
    SearchChange,
    Study,
)
from tests.conftest import make_test_app
from tests.factories import StudyFactory, link, make_intervention
from tests.functional.statements import statements_of_page
from tests.functional.test_pages import english_catalogue, page_text  # noqa: F401 (fixture)
from tests.unit.procedure.support import login, make_user

RIS = (Path(__file__).parent.parent / "unit/importers/samples/studies.ris").read_bytes()


@pytest.fixture(autouse=True)
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_DIR", str(tmp_path))
    return tmp_path / "uploads"


@pytest.fixture
def ips():
    return make_intervention(slug="ips-bijstand")


def signed_in(client, role: str):
    user = make_user(role)
    assert login(client, user).status_code == 302
    return user


@pytest.fixture
def researcher(client):
    return signed_in(client, "researcher")


def count(model=Study) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, content=RIS, name="export.ris", **fields):
    data = {"file": (io.BytesIO(content), name), **fields}
    return client.post("/import/", data=data, content_type="multipart/form-data")


def token(client) -> str:
    with client.session_transaction() as session:
        return session["import_upload"]["token"]


def test_upload_page_shows_the_form(client, researcher):
    page = client.get("/import/").get_data(as_text=True)
    assert 'for="file"' in page and 'name="csrf_token"' in page


def test_preview_shows_counts_and_writes_nothing(client, researcher, ips, uploads):
    response = upload(client)
    assert (response.status_code, count(), count(ImportBatch)) == (200, 0, 0)
    assert "Bevestigen en opslaan" in response.get_data(as_text=True)
    assert len(list(uploads.iterdir())) == 1


def test_preview_lists_invalid_records_with_the_dutch_reason(client, researcher):
    page = upload(client, b"TY  - JOUR\nPY  - 2020\nER  - \n").get_data(as_text=True)
    assert "Ongeldige records" in page and "Dit veld is verplicht." in page


def test_preview_shows_a_probable_duplicate_beside_the_study_it_resembles(client, researcher,
                                                                         ips):
    existing = StudyFactory(title="Schuldhulp eerst: een proces-evaluatie in Rotterdam",
                            year=2021, doi=None, authors=[("Vries", "de", "P.")])
    page = upload(client).get_data(as_text=True)
    assert 'id="mogelijk-dubbel"' in page and existing.title in page
    assert "bijna gelijke titel" in page


def test_confirm_adds_the_studies_and_shows_the_batch(client, researcher, ips, uploads):
    upload(client)
    response = client.post("/import/bevestigen", data={"token": token(client)})
    batch = db.session.scalars(select(ImportBatch)).one()
    assert (response.headers["Location"], count(), batch.channel) == (
        f"/import/batches/{batch.id}", 3, "upload")
    assert list(uploads.iterdir()) == []


def test_confirm_links_every_record_to_the_chosen_intervention(client, researcher, ips):
    other = make_intervention(slug="jobcoaching")
    upload(client, link="jobcoaching")
    client.post("/import/bevestigen", data={"token": token(client)})
    linked = db.session.scalar(select(func.count()).select_from(InterventionStudy)
                               .where(InterventionStudy.intervention_id == other.id))
    assert linked == 3


def test_cancel_leaves_database_and_search_change_log_untouched(client, researcher, ips,
                                                                uploads):
    before = count(), count(SearchChange), count(ImportBatch)
    upload(client)
    response = client.post("/import/annuleren", data={"token": token(client)})
    assert (response.status_code, (count(), count(SearchChange), count(ImportBatch))) == (
        302, before)
    assert list(uploads.iterdir()) == []


def test_confirm_with_a_stale_token_is_refused_in_dutch(client, researcher, ips):
    upload(client)
    response = client.post("/import/bevestigen", data={"token": "x" * 32})
    assert response.status_code == 409
    assert "verlopen of al afgehandeld" in response.get_data(as_text=True)
    assert count() == 0


def test_confirm_after_the_file_was_removed_is_refused(client, researcher, ips, uploads):
    upload(client)
    for path in uploads.iterdir():
        path.unlink()
    assert client.post("/import/bevestigen", data={"token": token(client)}).status_code == 409


def test_confirming_twice_adds_nothing_the_second_time(client, researcher, ips):
    upload(client)
    kept = token(client)
    client.post("/import/bevestigen", data={"token": kept})
    assert client.post("/import/bevestigen", data={"token": kept}).status_code == 409
    assert count(ImportBatch) == 1


def test_a_new_upload_removes_previews_abandoned_a_day_ago(client, researcher, ips, uploads):
    uploads.mkdir(parents=True, exist_ok=True)
    abandoned = uploads / ("a" * 32)
    abandoned.write_bytes(RIS)
    os.utime(abandoned, (time.time() - 2 * 86400,) * 2)
    upload(client)
    assert (abandoned.exists(), len(list(uploads.iterdir()))) == (False, 1)


def test_an_unreadable_file_is_shown_on_the_form(client, researcher):
    response = upload(client, b"")
    assert response.status_code == 422
    assert 'id="file-fouten"' in response.get_data(as_text=True)


def test_oversized_upload_gives_a_dutch_413_page(app, client, researcher, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = upload(client, b"TY  - JOUR\n" + b"x" * 4096)
    assert response.status_code == 413
    assert "Het bestand is te groot" in response.get_data(as_text=True)


def test_markup_in_a_title_is_escaped_on_the_preview(client, researcher):
    page = upload(client, b"TY  - JOUR\nTI  - <script>alert(1)</script> Werk\nER  - \n")
    html = page.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_wrong_role_is_403(client):
    signed_in(client, "professional")
    assert upload(client).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/import/")
    assert (response.status_code, "/inloggen" in response.headers["Location"]) == (302, True)


def test_a_post_without_csrf_token_is_refused(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    assert app.test_client().post("/import/annuleren").status_code == 400


def test_batches_page_lists_who_and_which_file(client, researcher, ips):
    upload(client, name="mijn-export.ris")
    client.post("/import/bevestigen", data={"token": token(client)})
    page = client.get("/import/batches").get_data(as_text=True)
    assert "mijn-export.ris" in page and researcher.name in page


def test_batches_page_names_the_counts_in_dutch(client, researcher, ips):
    upload(client)
    client.post("/import/bevestigen", data={"token": token(client)})
    page = client.get("/import/batches").get_data(as_text=True)
    assert "Nieuw: " in page and "new: " not in page


def _imported(client) -> ImportBatch:
    upload(client)
    client.post("/import/bevestigen", data={"token": token(client)})
    return db.session.scalars(select(ImportBatch)).one()


def test_batch_page_shows_merge_method_and_score(client, researcher, ips):
    StudyFactory(doi="10.1000/tva.2019.0035", journal=None)
    batch = _imported(client)
    page = client.get(f"/import/batches/{batch.id}").get_data(as_text=True)
    assert "samengevoegd" in page and "zelfde DOI" in page and "<td>100,0</td>" in page


def test_undo_via_the_page_removes_what_the_batch_added(client, researcher, ips):
    batch = _imported(client)
    response = client.post(f"/import/batches/{batch.id}/ongedaan-maken")
    assert (response.status_code, count(), batch.state) == (302, 0, "undone")


def _added_study(batch) -> Study:
    item = db.session.scalars(select(ImportBatchItem).filter_by(batch_id=batch.id,
                                                                 action="added")).first()
    return db.session.get(Study, item.study_id)


def test_undo_asks_first_and_lists_what_changes(client, researcher, ips):
    batch = _imported(client)
    page = client.get(f"/import/batches/{batch.id}/ongedaan-maken").get_data(as_text=True)
    added = db.session.scalar(select(func.count()).select_from(ImportBatchItem)
                              .filter_by(batch_id=batch.id, action="added"))
    assert f"{added} studies worden verwijderd" in page and _added_study(batch).title in page
    assert "/interventies/ips-bijstand" in page  # its public page changes
    assert (count(), batch.state) == (added, "committed")


def test_undo_keeps_a_study_linked_by_hand_since_with_its_link(client, researcher, ips):
    batch = _imported(client)
    study = _added_study(batch)
    other = make_intervention(slug="handwerk", title="Handwerk")
    link(other, study, "process")
    page = client.get(f"/import/batches/{batch.id}/ongedaan-maken").get_data(as_text=True)
    assert "1 studie blijft staan" in page and "Handwerk" in page

    client.post(f"/import/batches/{batch.id}/ongedaan-maken")

    kept = db.session.scalars(select(InterventionStudy).filter_by(study_id=study.id)).all()
    assert (count(), [k.intervention_id for k in kept]) == (1, [other.id])


def test_after_undo_the_batch_page_names_what_was_removed(client, researcher, ips):
    batch = _imported(client)
    title = _added_study(batch).title
    client.post(f"/import/batches/{batch.id}/ongedaan-maken")
    page = client.get(f"/import/batches/{batch.id}").get_data(as_text=True)
    assert f"{title} (verwijderd)" in page


def _waiting(client) -> PendingDuplicate:
    StudyFactory(title="Schuldhulp eerst: een proces-evaluatie in Rotterdam", year=2021,
                 doi=None, authors=[("Vries", "de", "P.")])
    _imported(client)
    return db.session.scalars(select(PendingDuplicate)).one()


def test_pending_page_shows_the_record_beside_the_candidate(client, researcher, ips):
    waiting = _waiting(client)
    page = client.get("/import/dubbelen").get_data(as_text=True)
    assert f'for="merge-{waiting.id}"' in page and waiting.candidate.title in page
    assert f"score {format(waiting.score, '.1f').replace('.', ',')} (" in page  # Dutch


@pytest.mark.parametrize(("decision", "studies", "state"), [
    ("merge", 3, "merged"), ("add", 4, "added"), ("discard", 3, "discarded")])
def test_deciding_a_probable_duplicate(client, researcher, ips, decision, studies, state):
    waiting = _waiting(client)
    response = client.post(f"/import/dubbelen/{waiting.id}", data={"decision": decision})
    assert (response.status_code, count(), waiting.state) == (302, studies, state)


def test_an_unknown_decision_is_422(client, researcher, ips):
    waiting = _waiting(client)
    assert client.post(f"/import/dubbelen/{waiting.id}",
                       data={"decision": "x"}).status_code == 422


def test_linking_by_hand_links_and_unlinks(client, researcher, ips):
    study = StudyFactory(title="Werkfit in Tilburg")
    page = client.get("/import/koppelingen?q=werkfit").get_data(as_text=True)
    client.post("/import/koppelingen", data={"study_id": study.id, "intervention": ips.slug,
                                              "relation": "process"})
    made = db.session.scalars(select(InterventionStudy)).one()
    client.post(f"/import/koppelingen/{made.id}/verwijderen")
    assert ("Werkfit in Tilburg" in page, made.relation, count(InterventionStudy)) == (
        True, "process", 0)


def test_linking_twice_is_a_conflict_shown_at_that_studys_form(client, researcher, ips):
    study = StudyFactory(title="Werkfit in Breda")
    link(ips, study)
    db.session.commit()  # the refused link is rolled back, not what was there
    response = client.post("/import/koppelingen", data={
        "q": "werkfit", "study_id": study.id, "intervention": ips.slug, "relation": "process"})
    page = response.get_data(as_text=True)

    assert response.status_code == 409
    # The search and the form stay; the summary links to the study's field, which names
    # its message and keeps what was chosen.
    assert 'name="q" value="werkfit"' in page
    assert f'<a href="#intervention-{study.id}">Interventie: Deze studie is al' in page
    assert (f'intervention-{study.id}-uitleg intervention-{study.id}-fouten" '
            'aria-invalid="true"' in page)
    assert f'value="{ips.slug}"' in page and '<option value="process" selected>' in page


def test_a_drafts_links_are_neither_shown_nor_removable_here(client, researcher):
    draft = make_intervention(published=False, title="GEHEIM CONCEPT")
    made = link(draft, StudyFactory(title="Werkfit voor concepten"))
    db.session.commit()

    page = client.get("/import/koppelingen?q=werkfit").get_data(as_text=True)
    response = client.post(f"/import/koppelingen/{made.id}/verwijderen")

    assert "Werkfit voor concepten" in page and "GEHEIM CONCEPT" not in page
    assert response.status_code == 404 and count(InterventionStudy) == 1


def test_a_link_of_an_intervention_under_assessment_stays(client, researcher, ips):
    """Its round reads the linked studies (the dossier, the reviewers' criteria per
    study): a researcher cannot take one away mid-review."""
    made = link(ips, StudyFactory(title="Werkfit in de herbeoordeling"))
    db.session.add(AssessmentRound(intervention_id=ips.id, version_id=ips.published_version_id,
                                   kind="reassessment", state="in_review"))
    db.session.commit()

    response = client.post(f"/import/koppelingen/{made.id}/verwijderen")

    assert response.status_code == 409 and count(InterventionStudy) == 1
    assert "wordt beoordeeld" in response.get_data(as_text=True)


def test_linking_to_an_unpublished_intervention_is_refused(client, researcher):
    draft = make_intervention(published=False)
    study = StudyFactory(title="Werkfit in Delft")
    db.session.commit()
    response = client.post("/import/koppelingen", data={
        "q": "werkfit", "study_id": study.id, "intervention": draft.slug,
        "relation": "effect"})
    assert response.status_code == 422
    assert (f'id="intervention-{study.id}-fouten"><li>Kies een gepubliceerde interventie'
            in response.get_data(as_text=True))


FINDINGS = "study,outcome_domain,measure,time_point_months,direction\n"


def upload_findings(client, text: str):
    data = {"file": (io.BytesIO(text.encode()), "bevindingen.csv")}
    return client.post("/import/bevindingen", data=data, content_type="multipart/form-data")


def test_findings_preview_writes_nothing_and_confirm_adds_them(client, researcher):
    StudyFactory(doi="10.5555/een")
    preview = upload_findings(client, FINDINGS + "10.5555/een,work,Aan het werk,12,favourable\n")
    added_by_preview = count(Finding)
    response = client.post("/import/bevindingen/bevestigen", data={"token": token(client)})
    assert (preview.status_code, added_by_preview, response.status_code, count(Finding)) == (
        200, 0, 302, 1)
    assert "bevindingen.csv: 1 regel. Er is nog niets opgeslagen." in preview.get_data(
        as_text=True)


def test_findings_with_one_bad_row_show_the_dutch_error_and_keep_nothing(client, researcher,
                                                                       uploads):
    StudyFactory(doi="10.5555/een")
    response = upload_findings(client, FINDINGS + "10.5555/een,work,Aan het werk,12,favourable\n"
                               "10.5555/twee,work,Aan het werk,12,favourable\n")
    page = response.get_data(as_text=True)
    assert (response.status_code, "Geen studie gevonden bij" in page, count(Finding)) == (
        422, True, 0)
    assert "1 fout gevonden;" in page
    assert list(uploads.iterdir()) == []


def test_a_studies_token_cannot_confirm_findings(client, researcher, ips):
    upload(client)
    response = client.post("/import/bevindingen/bevestigen", data={"token": token(client)})
    assert (response.status_code, count(Finding)) == (409, 0)


def in_english(client):
    assert client.get("/taal/en?next=/import/").status_code == 302
    return client


@pytest.mark.usefixtures("english_catalogue", "researcher")
def test_import_page_in_english_after_switching_language(client):
    response = in_english(client).get("/import/")
    text = page_text(response)
    assert response.status_code == 200 and '<html lang="en">' in response.get_data(as_text=True)
    assert "Import studies" in text and "Studies importeren" not in text
    assert "Possible duplicates" in text and "Show preview" in text


@pytest.mark.usefixtures("english_catalogue", "researcher")
def test_import_errors_and_record_reasons_in_english(client, ips):
    in_english(client)
    text = page_text(upload(client, b"TY  - JOUR\nPY  - 2020\nER  - \n"))
    assert "Invalid records" in text and "This field is required." in text
    assert "Dit veld is verplicht." not in text
    response = client.post("/import/bevestigen", data={"token": "x" * 32})
    assert response.status_code == 409
    assert "has expired or has already been dealt with" in page_text(response)


def test_the_csv_template_downloads_and_its_example_is_valid(client, researcher, uploads):
    template = client.get("/import/sjabloon.csv")
    assert template.mimetype == "text/csv"
    page = upload(client, template.data, "sjabloon.csv").get_data(as_text=True)
    assert '<th scope="row">Ongeldig (worden niet geïmporteerd)</th><td>0</td>' in page


def test_the_findings_page_shows_how_a_study_is_named(client, researcher):
    # The examples were once written as "pmid:<nummer>": the browser took "<nummer>" for
    # a tag and showed "pmid: of id:".
    page = client.get("/import/bevindingen").get_data(as_text=True)

    assert "(pmid:12345678)" in page and "(id:42)" in page and "<nummer>" not in page
    assert "sd_intervention, sd_comparison, p_value" in page  # every column the import reads


def test_a_batch_shows_its_time_in_dutch_time(client, researcher):
    # Stored in UTC (23:30 on 15 January): the page says 00:30 on the 16th, Amsterdam's.
    batch = ImportBatch(kind="studies", format="ris", file_name="a.ris", file_sha256="0" * 64,
                        channel="upload", created_by_id=researcher.id,
                        created_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC))
    db.session.add(batch)
    db.session.commit()

    page = client.get(f"/import/batches/{batch.id}").get_data(as_text=True)

    assert "16-01-2026, 00:30" in page


@pytest.mark.parametrize("path", ["/import/", "/import/koppelingen?q=werkfit"])
def test_the_choice_of_interventions_costs_the_same_however_many_there_are(client,
                                                                          researcher, path):
    """One query of slugs and titles: loading every published intervention and its
    version one by one took 4 to 5 s at 10k."""
    StudyFactory(title="Werkfit in Assen")
    make_intervention()
    statements_of_page(client, path)  # what a first request loads once
    few = statements_of_page(client, path)
    for _ in range(15):
        make_intervention()
    assert statements_of_page(client, path) == few


@pytest.mark.parametrize("typed", ["geen-interventie", "Werkfit in de wijk", "x" * 300,
                                   "%00", "<script>"])
def test_a_link_typed_that_is_no_published_slug_is_refused_at_its_field(
        client, researcher, uploads, typed):
    draft = make_intervention(published=False)
    db.session.commit()
    for value in (typed, draft.slug):
        response = upload(client, link=value)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="link-fouten"' in page and "Kies een gepubliceerde interventie" in page
    assert (count(), count(ImportBatch)) == (0, 0)
    assert not uploads.exists() or not list(uploads.iterdir())  # no file kept either


@pytest.mark.usefixtures("researcher")
def test_the_format_names_are_in_the_pages_language(client):
    dutch = client.get("/import/").get_data(as_text=True)
    assert "Web of Science (tekst)" in dutch and "JSON (registerformaat)" in dutch
    english = in_english(client).get("/import/").get_data(as_text=True)
    assert "Web of Science (plain text)" in english and "JSON (registry format)" in english
    assert "(tekst)" not in english


def test_a_file_past_the_record_cap_is_refused_at_the_preview(app, client, researcher,
                                                              monkeypatch):
    # A 20 MB file of a million tiny records held a worker for minutes.
    monkeypatch.setitem(app.config, "IMPORT_MAX_RECORDS", 2)

    response = upload(client)  # three records

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "meer dan 2 records" in page and "flask import studies" in page


def test_undo_of_a_batch_a_later_one_built_on_says_why_instead_of_offering_it(
        client, researcher, ips):
    first = _imported(client)
    # A later import found a probable duplicate of one of the first's studies.
    later = ImportBatch(kind="studies", format="ris", file_name="b.ris", file_sha256="1" * 64,
                        channel="upload", created_by_id=researcher.id)
    db.session.add(later)
    db.session.flush()
    db.session.add(PendingDuplicate(batch_id=later.id, record_number=1, record={},
                                    candidate_study_id=_added_study(first).id,
                                    method="title", score=90.6))
    db.session.commit()
    page = client.get(f"/import/batches/{first.id}/ongedaan-maken").get_data(as_text=True)
    assert "bouwt voort op deze import; maak die eerst ongedaan." in page
    assert "Ja, maak deze import ongedaan" not in page
