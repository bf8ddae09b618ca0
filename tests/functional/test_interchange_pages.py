"""The admin's intervention import pages: upload → preview → confirm → batch → undo, a
file with errors shown record by record (nothing kept), the export and the template."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import ExternalRating, ImportBatch, Intervention
from tests.factories import term
from tests.functional.interchange_support import interchange, record
from tests.functional.statements import statements_sent
from tests.unit.procedure.support import login, make_user


@pytest.fixture
def admin(client):
    user = make_user("admin")
    db.session.commit()
    assert login(client, user).status_code == 302
    return user


def upload(client, document, name="interventies.json"):
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post("/beheer/interventies/import",
                       data={"file": (io.BytesIO(content), name)})


def token_of(page: str) -> str:
    return page.split('name="token" value="', 1)[1].split('"', 1)[0]


def interventions() -> int:
    return db.session.scalar(select(func.count()).select_from(Intervention))


def test_preview_then_confirm_imports_and_shows_the_batch(client, admin):
    preview = upload(client, interchange(record()))
    page = preview.get_data(as_text=True)
    assert (preview.status_code, "Werkfit in de wijk" in page, interventions()) == (200, True, 0)
    confirmed = client.post("/beheer/interventies/import/bevestigen",
                            data={"token": token_of(page)}, follow_redirects=True)
    assert (confirmed.status_code, interventions()) == (200, 1)
    assert "Import van interventies" in confirmed.get_data(as_text=True)


def test_undo_from_the_batch_page_removes_the_intervention(client, admin):
    page = upload(client, interchange(record())).get_data(as_text=True)
    client.post("/beheer/interventies/import/bevestigen", data={"token": token_of(page)})
    batch_id = db.session.scalar(select(ImportBatch.id))
    response = client.post(f"/beheer/interventies/imports/{batch_id}/ongedaan-maken",
                           follow_redirects=True)
    assert (response.status_code, interventions()) == (200, 0)
    assert "werkfit-in-de-wijk (verwijderd)" in response.get_data(as_text=True)


def test_errors_are_listed_per_record_and_field_and_nothing_can_be_confirmed(client, admin):
    response = upload(client, interchange(record(), record(slug="twee", summary=""),
                                          record(slug="drie", studies=[{"pmid": "999"}])))
    page = response.get_data(as_text=True)
    assert (response.status_code, 'name="token"' in page) == (422, False)
    assert "<td>2</td>\n      <td>twee</td><td>summary</td>" in page
    assert "<td>3</td>\n      <td>drie</td><td>studies.0.pmid</td>" in page
    assert interventions() == 0


def test_a_csv_row_is_named_by_its_line_and_column(client, admin):
    csv = ("slug,title,summary,main_aim,target_group_text,approach,decision_outcome,decided_on\n"
           "werkfit,Werkfit,Samenvatting,Doel,Doelgroep,Aanpak,well_described,2024-03-01\n")
    page = upload(client, csv.encode(), "interventies.csv").get_data(as_text=True)
    assert "<td>2</td>\n      <td>werkfit</td><td>rationale</td>" in page


def test_an_unknown_study_among_several_in_a_csv_cell_is_named(client, admin):
    from tests.factories import StudyFactory

    StudyFactory(doi="10.5555/goed.1")
    csv = ("slug,title,summary,main_aim,target_group_text,approach,studies\n"
           "werkfit,Werkfit,Samenvatting,Doel,Doelgroep,Aanpak,10.5555/goed.1 | 10.5555/fout.2\n")
    page = upload(client, csv.encode(), "interventies.csv").get_data(as_text=True)
    assert "(10.5555/fout.2)" in page and "(10.5555/goed.1)" not in page


def test_a_file_that_is_not_an_interchange_file_is_refused_on_the_form(client, admin):
    response = upload(client, b"TY  - JOUR\nER  - \n", "studies.ris")
    assert (response.status_code, "geen JSON-uitwisselbestand" in response.get_data(
        as_text=True)) == (422, True)


def test_the_export_is_the_interchange_file(client, admin):
    client.post("/beheer/interventies/import/bevestigen",
                data={"token": token_of(upload(client, interchange(record())).get_data(
                    as_text=True))})
    exported = client.get("/beheer/interventies/exporteren").get_data(as_text=True)
    assert [r["slug"] for r in json.loads(exported)["interventions"]] == ["werkfit-in-de-wijk"]


def test_the_template_imports_once_filled_in(client, admin):
    template = client.get("/beheer/interventies/import/sjabloon.csv").get_data(as_text=True)
    header = template.splitlines()[0]
    names = header.split(",")
    cells = dict.fromkeys(names, "")
    cells.update(slug="voorbeeld", title="Voorbeeld", summary="S", main_aim="D",
                 target_group_text="G", approach="A", barrier="debt | language")
    content = header + "\n" + ",".join(cells[n] for n in names) + "\n"
    page = upload(client, content.encode(), "sjabloon.csv")
    assert page.status_code == 200, page.get_data(as_text=True)
    client.post("/beheer/interventies/import/bevestigen",
                data={"token": token_of(page.get_data(as_text=True))})
    imported = db.session.scalar(select(Intervention).where(Intervention.slug == "voorbeeld"))
    assert sorted(t.code for t in imported.published_version.tags) == ["debt", "language"]


def _export_statements(client) -> int:
    with statements_sent() as sent:
        body = client.get("/beheer/interventies/exporteren").get_data(as_text=True)
    assert body.endswith("]\n}\n")
    return len(sent)


def test_the_exports_queries_do_not_grow_with_the_interventions(client, admin):
    """Everything a record shows is loaded a page at a time: a lazy load of the external
    ratings per intervention made 10,000 queries at 10k (about 30 s)."""
    from tests.factories import make_intervention

    def add(count: int) -> None:
        for _ in range(count):
            intervention = make_intervention()
            db.session.add(ExternalRating(intervention=intervention, source=term(
                "clearinghouse", "wwc"), label="Positive effects"))
        db.session.flush()

    add(2)
    few = _export_statements(client)
    add(20)
    assert _export_statements(client) <= few + 2
