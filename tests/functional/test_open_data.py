"""The open data package (registry/opendata): valid as a Frictionless Data Package,
byte-identical from the same database, nothing private in it; renewed only when the
published record changes; the /open-data page, its ZIP and the DCAT description."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from frictionless import validate

from registry.demo.loader import load_demo
from registry.extensions import db
from registry.models import InterventionStudy
from registry.opendata.package import ZIP_NAME, dump, publish
from tests.factories import DecisionFactory, StudyFactory, make_intervention
from tests.unit.procedure.support import make_user

SECRET = "Geheim concept dat niemand mag zien"
UNPUBLISHED = "Een besluit dat nog niet gepubliceerd is"
CONTACT = "contactpersoon@voorbeeld.example"
ACCOUNT = "beoordelaar.met.geheim@voorbeeld.example"


@pytest.fixture
def catalogue(db_session):
    load_demo()
    make_intervention(title=SECRET, published=False)
    shown = make_intervention(title="Openbaar met contact", contact_email=CONTACT)
    DecisionFactory(intervention=shown, version_id=shown.published_version_id,
                    rationale=UNPUBLISHED)
    make_user("reviewer", email=ACCOUNT)
    db_session.flush()
    return db_session


def _dump(session, folder: Path) -> dict[str, int]:
    return dump(session.connection(), folder)


def test_the_package_is_a_valid_data_package(catalogue, tmp_path):
    counts = _dump(catalogue, tmp_path)

    report = validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    assert counts["interventions"] >= 40 and counts["findings"] >= 100


def test_a_broken_reference_is_caught_by_the_validation(catalogue, tmp_path):
    _dump(catalogue, tmp_path)
    findings = tmp_path / "findings.csv"
    with findings.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    rows[1][1] = "999999"  # study_id of a study that does not exist
    with findings.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    for resource in package["resources"]:
        resource.pop("hash")
    (tmp_path / "datapackage.json").write_text(json.dumps(package))

    report = validate(str(tmp_path / "datapackage.json"))

    assert not report.valid
    assert "foreign-key" in {error[0] for error in report.flatten(["type"])}


def test_the_same_database_gives_byte_identical_files(catalogue, tmp_path):
    _dump(catalogue, tmp_path / "a")
    _dump(catalogue, tmp_path / "b")

    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert names == sorted(path.name for path in (tmp_path / "b").iterdir())
    assert all((tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes()
               for n in names)


def test_nothing_private_is_in_the_package(catalogue, tmp_path):
    _dump(catalogue, tmp_path)

    everything = "".join(path.read_text(encoding="utf-8") for path in tmp_path.iterdir())

    for private in (SECRET, UNPUBLISHED, CONTACT, ACCOUNT):
        assert private not in everything
    assert "Openbaar met contact" in everything


def test_the_json_lines_hold_the_same_records_as_the_csv(catalogue, tmp_path):
    _dump(catalogue, tmp_path)

    lines = (tmp_path / "decisions.jsonl").read_text(encoding="utf-8").splitlines()
    with (tmp_path / "decisions.csv").open(encoding="utf-8") as file:
        table = list(csv.DictReader(file))

    assert [json.loads(line)["id"] for line in lines] == [int(row["id"]) for row in table]


def test_a_text_a_spreadsheet_would_run_starts_with_an_apostrophe_in_the_csv(catalogue,
                                                                             tmp_path):
    formula = '=HYPERLINK("http://kwaad.example","klik")'
    StudyFactory(title=formula)
    catalogue.flush()
    _dump(catalogue, tmp_path)

    with (tmp_path / "studies.csv").open(encoding="utf-8") as file:
        titles = [row["title"] for row in csv.DictReader(file)]
    lines = (tmp_path / "studies.jsonl").read_text(encoding="utf-8").splitlines()

    assert "'" + formula in titles and formula not in titles
    assert formula in [json.loads(line)["title"] for line in lines]


def test_publish_writes_a_zip_only_when_the_published_record_changed(catalogue, tmp_path):
    connection = catalogue.connection()
    first = publish(connection, tmp_path)
    again = publish(connection, tmp_path)
    intervention = make_intervention(title="Nieuw gepubliceerd")
    DecisionFactory(intervention=intervention, version_id=intervention.published_version_id,
                    published_at=db.func.now())
    catalogue.flush()

    changed = publish(catalogue.connection(), tmp_path)

    assert (first, again, changed) == (True, False, True)
    with zipfile.ZipFile(tmp_path / ZIP_NAME) as archive:
        assert "datapackage.json" in archive.namelist()
        assert b"Nieuw gepubliceerd" in archive.read("interventions.csv")


@pytest.fixture
def folder(app, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "OPENDATA_DIR", str(tmp_path / "opendata"))
    return tmp_path / "opendata"


def test_the_page_offers_the_zip_once_published(client, catalogue, folder):
    before = client.get("/open-data").get_data(as_text=True)
    publish(catalogue.connection(), folder)

    page = client.get("/open-data").get_data(as_text=True)
    with client.get(f"/open-data/{ZIP_NAME}") as download:
        status, body = download.status_code, download.get_data()

    assert 'id="geen-pakket"' in before
    assert f'href="/open-data/{ZIP_NAME}"' in page
    assert "CC-BY-4.0" in page
    assert status == 200
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None


def test_the_page_leads_developers_to_the_api_description(client, folder):
    page = client.get("/open-data").get_data(as_text=True)
    assert '<a href="/api/v1/openapi.json">' in page
    assert client.get("/api/v1/openapi.json").get_json()["openapi"].startswith("3.1")


def test_the_zip_is_not_found_before_it_was_written(client, catalogue, folder):
    assert client.get(f"/open-data/{ZIP_NAME}").status_code == 404


# rdflib's JSON-LD parser still builds a ConjunctiveGraph inside (its own deprecation).
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_dcat_description_has_the_mandatory_properties(client, catalogue, folder):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    publish(catalogue.connection(), folder)
    response = client.get("/open-data/catalog.jsonld")
    graph = Graph().parse(data=response.get_data(as_text=True), format="json-ld")

    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.identifier,
                 DCTERMS.language, DCTERMS.license, DCAT.contactPoint, DCAT.theme,
                 DCAT.distribution, DCAT.landingPage):
        assert graph.value(dataset, prop) is not None, prop
    distribution = graph.value(dataset, DCAT.distribution)
    assert graph.value(distribution, DCAT.accessURL) is not None
    assert str(graph.value(distribution, DCAT.downloadURL)).endswith(ZIP_NAME)
    assert graph.value(dataset, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    assert response.mimetype == "application/ld+json"


def test_the_dump_command_writes_the_package(app, catalogue, tmp_path):
    result = app.test_cli_runner().invoke(args=["opendata", "dump", str(tmp_path / "pakket")])

    assert result.exit_code == 0, result.output
    counts = dict(line.split(": ") for line in result.output.splitlines())
    assert int(counts["interventions"]) >= 40
    assert (tmp_path / "pakket" / "datapackage.json").exists()


def test_the_dump_command_refuses_a_file_for_a_folder(app, catalogue, tmp_path):
    target = tmp_path / "bestaand.txt"
    target.write_text("niet overschrijven")

    result = app.test_cli_runner().invoke(args=["opendata", "dump", str(target)])

    assert result.exit_code == 2
    assert "is a file" in result.output
    assert target.read_text() == "niet overschrijven"


def test_publish_clears_what_a_killed_run_left_and_nothing_newer(catalogue, tmp_path):
    import os
    import time

    old = time.time() - 2 * 3600
    killed_folder = tmp_path / "dump-gestopt"
    killed_folder.mkdir()
    killed_part = tmp_path / f"{ZIP_NAME}.123.part"
    killed_part.write_bytes(b"half")
    for path in (killed_folder, killed_part):
        os.utime(path, (old, old))
    running = tmp_path / f"{ZIP_NAME}.456.part"
    running.write_bytes(b"bezig")

    publish(catalogue.connection(), tmp_path)

    assert not killed_folder.exists() and not killed_part.exists()
    assert running.exists()


def test_the_package_has_the_outcome_ratings_and_the_providers_the_pages_show(catalogue,
                                                                              tmp_path):
    from sqlalchemy import select

    from registry.models import EvidenceDecision, Intervention, OutcomeRating

    _dump(catalogue, tmp_path)
    ratings = list(csv.DictReader(io.StringIO(
        (tmp_path / "outcome_ratings.csv").read_text(encoding="utf-8"))))
    published = db.session.scalars(select(OutcomeRating).join(OutcomeRating.decision).where(
        EvidenceDecision.published_at.is_not(None))).all()
    assert len(ratings) == len(published) > 0
    assert {r["level"] for r in ratings} <= {r.level for r in published}
    providers = list(csv.DictReader(io.StringIO(
        (tmp_path / "intervention_providers.csv").read_text(encoding="utf-8"))))
    shown = {(i.id, o.slug) for i in db.session.scalars(select(Intervention).where(
        Intervention.published_version_id.is_not(None)))
             for o in i.published_version.providers}
    assert {(int(p["intervention_id"]), p["organisation"]) for p in providers} == shown
    assert shown


def test_the_dcat_description_offers_no_download_before_the_package_is_written(
        client, catalogue, folder):
    # A portal harvesting it would list a download that answers 404.
    dataset = _dataset(client.get("/open-data/catalog.jsonld").get_json())

    assert "dcat:distribution" not in dataset
    assert "dct:modified" not in dataset


def test_the_dcat_description_is_modified_on_the_day_the_package_changed(
        client, catalogue, folder):
    # Not the last decision published: an expiry, a study or a link changes the package
    # too, and the portal harvests again by this date.
    publish(catalogue.connection(), folder)
    os.utime(folder / ZIP_NAME, (0, datetime(2026, 3, 4, 23, 30, tzinfo=UTC).timestamp()))

    dataset = _dataset(client.get("/open-data/catalog.jsonld").get_json())

    # 23:30 UTC is past midnight in Amsterdam.
    assert dataset["dct:modified"]["@value"] == "2026-03-05"
    assert dataset["dcat:distribution"]["dcat:downloadURL"]["@id"].endswith(ZIP_NAME)


def _dataset(document: dict) -> dict:
    assert document["dcat:dataset"]["@type"] == "dcat:Dataset"
    return document["dcat:dataset"]


def test_publish_sees_a_link_made_again_with_another_relation(catalogue, tmp_path):
    # Counts per table stayed the same, and the package kept the old relation.
    intervention = make_intervention(title="Met een gekoppelde studie")
    link = InterventionStudy(intervention=intervention, study=StudyFactory(),
                             relation="effect")
    catalogue.add(link)
    catalogue.flush()
    assert publish(catalogue.connection(), tmp_path)
    link.relation = "process"
    catalogue.flush()

    assert publish(catalogue.connection(), tmp_path)

    with zipfile.ZipFile(tmp_path / ZIP_NAME) as archive:
        links = archive.read("intervention_studies.csv").decode()
    assert f"{intervention.id},{link.study_id},process" in links
