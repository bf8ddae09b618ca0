"""Tables through every door: the web preview where a researcher assigns columns, the
API's ?column=, the CLI's --column, warnings for dropped fields, and all-or-nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import ImportBatch, Study
from tests.functional.test_import_api import token_for
from tests.functional.test_import_pages import signed_in, token, upload


@pytest.fixture(autouse=True)
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_DIR", str(tmp_path))


@pytest.fixture
def researcher(client):
    return signed_in(client, "researcher")


EMBASE = ('"Titel van het stuk","Author Names","Publication Year","Issue","Correspondence"\n'
          '"Werk met behoud van uitkering","Liu R., Adler D.G.","2020","' + "x" * 120 + '",""\n'
          '"Schuldhulp eerst","Berg J.","2019","3","Utrecht"\n').encode()


def count(model=Study) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_preview_offers_the_unknown_columns_and_a_refused_file_says_why(client, researcher):
    response = upload(client, EMBASE, "embase.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422  # no title column yet
    assert "Geen kolom met de titel gevonden" in page and count() == 0


def test_a_researcher_assigns_a_column_then_confirms(client, researcher):
    content = b"Title,Kop X,Year\nWerk met behoud,Tijdschrift A,2020\n"
    page = upload(client, content, "export.csv").get_data(as_text=True)
    assert 'id="kolommen"' in page and "Kolom 'Kop X'" in page
    response = client.post("/import/kolommen", data={
        "token": token(client), "header": "Kop X", "field-0": "journal"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<option value="journal" selected>' in page
    client.post("/import/bevestigen", data={"token": token(client)})
    study = db.session.scalars(select(Study)).one()
    assert (study.title, study.journal, study.year) == ("Werk met behoud", "Tijdschrift A", 2020)


def test_a_column_name_is_shown_escaped(client, researcher):
    page = upload(client, b"Title,<b>kop</b>\nx,y\n", "export.csv").get_data(as_text=True)
    assert "&lt;b&gt;kop&lt;/b&gt;" in page and "<b>kop</b>" not in page


def test_assigning_an_unknown_field_changes_nothing(client, researcher):
    upload(client, b"Title,Kop X\nx,y\n", "export.csv")
    response = client.post("/import/kolommen", data={
        "token": token(client), "header": "Kop X", "field-0": "kleur"})
    assert response.status_code == 200 and count() == 0
    with client.session_transaction() as session:
        assert session["import_upload"]["columns"] == {}


def test_assigning_columns_for_a_stale_upload_is_a_conflict(client, researcher):
    response = client.post("/import/kolommen", data={"token": "nope", "header": "x"})
    assert response.status_code == 409


def test_the_api_takes_a_column_mapping_and_reports_warnings(client):
    headers = {"Authorization": f"Bearer {token_for('researcher')}"}
    response = client.post(
        "/api/v1/imports/studies?column=Titel van het stuk=title",
        headers=headers, data={"file": (io.BytesIO(EMBASE), "embase.csv")})
    body = response.json
    assert response.status_code == 200, body
    assert (body["total"], body["new"], body["invalid"], body["warnings"]) == (2, 2, 0, 1)
    assert body["ignored_columns"] == ["Correspondence"]
    assert body["warning_records"][0]["warnings"][0]["field"] == "issue"
    assert db.session.scalars(select(Study.issue).where(Study.year == 2020)).one() is None


def test_the_api_refuses_a_bad_mapping_in_the_one_error_shape(client):
    headers = {"Authorization": f"Bearer {token_for('researcher')}"}
    response = client.post("/api/v1/imports/studies?dry_run=1&column=Kop",
                           headers=headers, data={"file": (io.BytesIO(EMBASE), "embase.csv")})
    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "column"


def test_the_cli_takes_columns_and_prints_warnings_and_ignored_columns(app, tmp_path):
    path = tmp_path / "embase.csv"
    path.write_bytes(EMBASE)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "studies", str(path), "--dry-run",
                                 "--column", "Titel van het stuk=title"])
    assert result.exit_code == 0, result.output
    assert "Genegeerde kolommen" in result.output and "Correspondence" in result.output
    assert "Weggelaten: Te lang" in result.output
    bad = runner.invoke(args=["import", "studies", str(path), "--column", "zonder-veld"])
    assert bad.exit_code == 2 and "KOLOM=VELD" in bad.output
    assert count(ImportBatch) == 0


def test_a_damaged_workbook_leaves_nothing_behind(client):
    headers = {"Authorization": f"Bearer {token_for('researcher')}"}
    content = b"PK\x03\x04" + b"\x00" * 200
    response = client.post("/api/v1/imports/studies", headers=headers,
                           data={"file": (io.BytesIO(content), "export.xlsx")})
    assert response.status_code == 422
    assert (count(), count(ImportBatch)) == (0, 0)


def _two_sheets() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notities"
    book.active.append(["Dit blad is geen export"])
    studies = book.create_sheet("Studies")
    studies.append(["Title", "Year"])
    studies.append(["Werk met behoud", 2020])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_is_chosen_on_the_page_in_the_api_and_in_the_cli(app, client, researcher,
                                                                   tmp_path):
    page = upload(client, _two_sheets(), "export.xlsx", sheet="Studies").get_data(as_text=True)
    assert "Werk met behoud" in page
    client.post("/import/bevestigen", data={"token": token(client)})
    assert count() == 1
    headers = {"Authorization": f"Bearer {token_for('researcher')}"}
    response = client.post("/api/v1/imports/studies?dry_run=1&sheet=Blad9", headers=headers,
                           data={"file": (io.BytesIO(_two_sheets()), "export.xlsx")})
    assert response.status_code == 422 and "Blad9" in response.json["error"]["message"]
    path = tmp_path / "export.xlsx"
    path.write_bytes(_two_sheets())
    result = app.test_cli_runner().invoke(
        args=["import", "studies", str(path), "--dry-run", "--sheet", "Studies"])
    assert result.exit_code == 0 and "nieuw" in result.output
