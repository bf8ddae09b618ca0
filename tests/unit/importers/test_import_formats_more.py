"""Web of Science, EndNote XML and CSL-JSON: the samples read field by field, files that
are refused, detection by content, and fuzzing (nothing but ImportRejected escapes)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers import csl_json, endnote_xml, wos
from importers.json_stream import MAX_DEPTH
from importers.normalise import normalise_doi, title_key
from importers.validate import Lookups, validate
from registry.errors import ImportRejected

SAMPLES = Path(__file__).parent / "samples"
FORMATS = [(wos, "wos.txt"), (endnote_xml, "endnote.xml"), (csl_json, "csl.json")]
OTHER_SAMPLES = ["studies.ris", "studies.bib", "medline.nbib", "pubmed.xml",
                 "studies_cp1252.csv"]  # fmt: skip
LOOKUPS = Lookups(designs={"rct": 1}, outcome_domains={"work": 1},
                  interventions={"ips-bijstand": 1})


def records(module, name: str) -> list:
    with (SAMPLES / name).open("rb") as stream:
        return list(module.parse(stream))


def parsed(module, content: bytes) -> list:
    return list(module.parse(io.BytesIO(content)))


def head_of(name: str) -> str:
    # As importers.detect hands it over: the first 64 KB, decoded leniently, stripped.
    content = (SAMPLES / name).read_bytes()[: 64 * 1024]
    return content.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")


def author(data: dict, index: int) -> tuple:
    found = data["authors"][index]
    return found["particle"], found["family_name"], found["given_names"]


# The samples, field by field --------------------------------------------------------


@pytest.mark.parametrize(("module", "name"), FORMATS)
def test_sample_has_four_records_and_the_third_lacks_a_title(module, name):
    found = records(module, name)
    assert [r.number for r in found] == [1, 2, 3, 4]
    assert ["title" in r.data for r in found] == [True, True, False, True]


@pytest.mark.parametrize(("module", "name"), FORMATS)
def test_first_record_fields(module, name):
    data = records(module, name)[0].data
    assert (normalise_doi(data["doi"]), title_key(data["title"])[:40]) == (
        "10.1000/tva.2019.0035", "individual placement and support for peo")
    assert "three Dutch municipalities" in data["title"]
    assert {k: data[k] for k in ("year", "volume", "issue", "pages", "pmid")} == {
        "year": "2019", "volume": "35", "issue": "2", "pages": "112-130", "pmid": "31234567"}
    assert data["journal"].lower() == "tijdschrift voor arbeidsvraagstukken"
    assert data["publication_type"] == "journal_article"
    assert "Participatiewet" in data["abstract"]
    assert [author(data, i) for i in range(3)] == [
        ("van der", "Berg", "Jan"), (None, "Yılmaz", "Ayşe"), (None, "Müller", "Anna")]


@pytest.mark.parametrize(("module", "name"), FORMATS)
def test_last_record_keeps_particle_and_cedilla(module, name):
    data = records(module, name)[3].data
    assert [author(data, 0), author(data, 1)] == [
        ("ten", "Brink", "Lotte"), (None, "Çelik", "Mehmet")]
    assert (data["title"], data["pages"]) == (
        "Loonkostensubsidie en duurzame plaatsing: een quasi-experiment", "45-67")


@pytest.mark.parametrize(("module", "name"), FORMATS)
def test_missing_title_is_a_problem_of_that_record_only(module, name):
    found = records(module, name)
    results = [validate(record, LOOKUPS) for record in found]
    assert [valid is not None for valid, _problems in results] == [True, True, False, True]
    assert ("title", "Dit veld is verplicht.") in results[2][1]
    assert found[2].data["authors"] and "journal" in found[2].data  # the rest was read


@pytest.mark.parametrize(("module", "name"), FORMATS)
def test_valid_records_load_as_model_values(module, name):
    valid, problems = validate(records(module, name)[0], LOOKUPS)
    assert problems == []
    assert (valid.year, valid.doi, valid.pmid, valid.author_key) == (
        2019, "10.1000/tva.2019.0035", "31234567", "berg")


# Web of Science -----------------------------------------------------------------------

WOS_HEAD = "FN Clarivate Analytics Web of Science\nVR 1.0\n"


def test_wos_record_line_is_its_pt_line():
    lines = (SAMPLES / "wos.txt").read_text(encoding="utf-8-sig").splitlines()
    starts = [n for n, line in enumerate(lines, start=1) if line.startswith("PT ")]
    assert [r.line for r in records(wos, "wos.txt")] == starts


def test_wos_joins_wrapped_lines_and_reads_both_keyword_tags():
    data = records(wos, "wos.txt")[0].data
    assert data["keywords"] == ["IPS", "supported employment", "social assistance",
                                "Participatiewet", "psychiatric disability",
                                "MENTAL-ILLNESS", "EMPLOYMENT"]
    assert data["abstract"].endswith("problems. More clients found paid work within "
                                     "eighteen months.")


def test_wos_document_types_and_article_number():
    found = records(wos, "wos.txt")
    assert [r.data["publication_type"] for r in found] == [
        "journal_article", "journal_article", "review", "conference_paper"]
    assert found[1].data["pages"] == "e0210"


def test_wos_short_authors_when_full_names_are_missing():
    content = (WOS_HEAD + "PT J\nAU van der Berg, J\n   Jansen, K\nTI Werk\nER\nEF\n").encode()
    assert [author(parsed(wos, content)[0].data, i) for i in (0, 1)] == [
        ("van der", "Berg", "J"), (None, "Jansen", "K")]


def test_wos_record_without_er_is_reported_not_lost():
    content = (WOS_HEAD + "PT J\nTI Een\nPT J\nTI Twee\nER\nPT J\nTI Drie (afgebroken)\n").encode()
    found = parsed(wos, content)
    assert [(r.data["title"], r.line, bool(r.problems)) for r in found] == [
        ("Een", 3, True), ("Twee", 5, False), ("Drie (afgebroken)", 8, True)]
    assert "ER" in found[0].problems[0][1]


def test_wos_stray_line_is_a_record_problem():
    content = (WOS_HEAD + "PT J\nTI Een\nzomaar tekst\nnog meer\nER\nEF\n").encode()
    record = parsed(wos, content)[0]
    assert record.problems == [("record", "Regel 5 hoort bij geen veld en is overgeslagen.")]


def test_wos_oversized_record_is_a_record_problem_not_a_crash():
    content = (WOS_HEAD + "PT J\nTI Groot\nAB " + "a" * 2_000_000 + "\nER\nEF\n").encode()
    record = parsed(wos, content)[0]
    assert (record.data["title"], "te groot" in record.problems[0][1]) == ("Groot", True)


def test_wos_long_field_is_truncated_and_reported():
    content = (WOS_HEAD + "PT J\nTI " + "a" * 200_000 + "\nER\nEF\n").encode()
    assert parsed(wos, content)[0].problems[0][0] == "title"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"PT J\nTI Zonder kop\nER\n", "geen Web of Science"),
     (b"TY  - JOUR\nTI  - RIS\nER  - \n", "geen Web of Science"),
     (WOS_HEAD.encode() + b"PT J\nTI caf\x81\x90\nER\n", "UTF-8")],
)
def test_wos_bad_files_are_rejected_in_dutch(content, message):
    with pytest.raises(ImportRejected, match=message):
        parsed(wos, content)


# EndNote XML --------------------------------------------------------------------------

ENDNOTE = b'<?xml version="1.0" encoding="UTF-8" ?><xml><records>%s</records></xml>'


def test_endnote_link_keyword_and_editors():
    found = records(endnote_xml, "endnote.xml")
    assert (found[0].interventions, found[0].data["keywords"]) == (
        ["ips-bijstand"], ["IPS", "supported employment"])
    assert [a["family_name"] for a in found[3].data["authors"]] == ["Brink", "Çelik"]
    assert (found[1].data["publication_type"], found[3].data["publication_type"]) == (
        "report", "book_chapter")


def test_endnote_text_without_style_elements():
    record = b"<record><titles><title>Kaal &amp; simpel</title></titles></record>"
    assert parsed(endnote_xml, ENDNOTE % record)[0].data == {"title": "Kaal & simpel"}


def test_endnote_journal_falls_back_to_secondary_title_and_url_to_web_urls():
    record = (b"<record><titles><secondary-title>Werk</secondary-title></titles>"
              b"<urls><web-urls><url>https://example.org/a</url></web-urls></urls></record>")
    assert parsed(endnote_xml, ENDNOTE % record)[0].data == {
        "journal": "Werk", "url": "https://example.org/a"}


@pytest.mark.parametrize(
    ("content", "message"),
    [((SAMPLES / "endnote.xml").read_bytes()[:1500], "onvolledig"),
     ((SAMPLES / "pubmed.xml").read_bytes(), "geen EndNote"),
     (b"<xml><records><record>" + b"<a>" * (MAX_DEPTH + 5), "te diep genest"),
     (b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml>&a;</xml>', "entiteiten"),
     (b'<?xml version="1.0" encoding="x-onbekend"?><xml><records/></xml>', "tekenset"),
     (b"FN Clarivate Analytics Web of Science\n", "ongeldig")],
)
def test_endnote_bad_files_are_rejected_in_dutch(content, message):
    with pytest.raises(ImportRejected, match=message):
        parsed(endnote_xml, content)


def test_endnote_nesting_is_bounded_at_max_depth():
    def nested(depth: int) -> bytes:  # depth counts xml, records and record
        inner = depth - 3
        return ENDNOTE % (b"<record>" + b"<a>" * inner + b"x" + b"</a>" * inner + b"</record>")

    assert len(parsed(endnote_xml, nested(endnote_xml.MAX_DEPTH))) == 1
    with pytest.raises(ImportRejected, match="te diep"):
        parsed(endnote_xml, nested(endnote_xml.MAX_DEPTH + 1))


# CSL-JSON -----------------------------------------------------------------------------


def test_csl_literal_author_language_tag_number_and_raw_date():
    found = records(csl_json, "csl.json")
    assert author(found[1].data, 1) == (None, "Kennisplatform Werk en Inkomen", None)
    assert (found[0].data["language"], found[2].data["volume"], found[3].data["year"]) == (
        "nl", "48", "2022-09")
    assert (found[0].interventions, found[3].data["keywords"]) == (
        ["ips-bijstand"], ["loonkostensubsidie", "Wajong"])
    assert [r.data["publication_type"] for r in found] == [
        "journal_article", "report", "journal_article", "book_chapter"]


def test_csl_single_object_as_crossref_sends_it():
    item = {"type": "journal-article", "title": ["Werk"], "container-title": ["Tijdschrift"],
            "DOI": "10.1000/x", "issued": {"date-parts": [[2021, 3, 2]]}}
    assert parsed(csl_json, json.dumps(item).encode())[0].data == {
        "title": "Werk", "journal": "Tijdschrift", "doi": "10.1000/x", "year": "2021",
        "publication_type": "journal_article"}


def test_csl_authors_by_name_or_given_name_only_are_kept():
    item = {"type": "report", "title": "Werk", "author": [
        {"name": "Crossref Organisatie"}, {"given": "Madonna"}, {"family": "Jones", "given": "K"}]}
    (record,) = parsed(csl_json, json.dumps([item]).encode())
    assert [author(record.data, n)[1] for n in range(3)] == [
        "Crossref Organisatie", "Madonna", "Jones"]


def test_csl_an_author_whose_name_cannot_be_read_is_a_problem_not_dropped():
    item = {"type": "report", "title": "Werk", "author": [{"ORCID": "0000-0001"}]}
    (record,) = parsed(csl_json, json.dumps([item]).encode())
    assert [field for field, _message in record.problems] == ["authors"]


def test_csl_wrong_json_types_are_problems_of_the_record():
    items = [{"type": "report", "title": {"nl": "Werk"}, "author": "Jansen, K."}, 3]
    first, second = parsed(csl_json, json.dumps(items).encode())
    assert first.problems == [("title", "Geen geldige tekst."),
                              ("authors", "Moet een lijst van auteurs (JSON-objecten) zijn.")]
    assert second.problems == [("record", "Een CSL-item moet een JSON-object zijn.")]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b'[{"title": "a"}, {"title": ', "onvolledig"),
     (b"TY  - JOUR\n", "geen CSL-JSON"),
     (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "te diep genest"),
     (b'[{"title": "caf\xe9"}]', "ongeldig"),
     (b'[{"volume": ' + b"1" * 5000 + b"}]", "ongeldig")],  # past int()'s digit limit
)
def test_csl_bad_files_are_rejected_in_dutch(content, message):
    with pytest.raises(ImportRejected, match=message):
        parsed(csl_json, content)


DEEP_FILES_IN_A_SMALL_PROCESS = """
import io, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from importers import csl_json, endnote_xml
from registry.errors import ImportRejected
for parse, content in ((csl_json.parse, b"[" * 200_000 + b"]" * 200_000),
                       (endnote_xml.parse, b"<xml><records><record>" + b"<a>" * 2_000_000)):
    try:
        list(parse(io.BytesIO(content)))
    except ImportRejected as error:
        print(error.message)
"""


def test_deeply_nested_files_are_refused_in_bounded_time_and_memory():
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", DEEP_FILES_IN_A_SMALL_PROCESS], cwd=root, timeout=60,
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.stdout.count("te diep genest") == 2, done.stderr[-2000:]


# Detection by content -----------------------------------------------------------------


@pytest.mark.parametrize(("module", "own"), FORMATS)
@pytest.mark.parametrize("name", [name for _module, name in FORMATS] + OTHER_SAMPLES)
def test_looks_like_only_its_own_sample(module, own, name):
    assert module.looks_like(head_of(name)) is (name == own)


@pytest.mark.parametrize(
    "content",
    [[{"title": "Werk", "authors": [{"family_name": "Berg", "particle": "van der"}],
       "year": 2019, "publication_type": "journal_article"}],
     {"items": [{"title": "Werk", "year": 2019}], "total": 1, "page": 1},
     {"title": "Werk", "year": 2019},
     [], [1, 2], {}],
)
def test_registry_json_is_not_csl(content):
    assert not csl_json.looks_like(json.dumps(content, indent=2))


def test_csl_is_recognised_from_a_head_that_ends_mid_item():
    item = {"type": "article-journal", "abstract": "x" * 70_000, "title": "Werk"}
    head = json.dumps([item])[: 64 * 1024]
    assert csl_json.looks_like(head)
    assert csl_json.looks_like('{"type": "book", "title": "B"}')


def test_endnote_xml_without_declaration_is_recognised():
    assert endnote_xml.looks_like("<xml>\n  <records>\n    <record>")
    assert not endnote_xml.looks_like("<xml><other/></xml>")


# Fuzzing ------------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
PREFIXES = {wos: WOS_HEAD.encode() + b"PT J\n", endnote_xml: b"<xml><records><record>",
            csl_json: b"["}
PARSER_MODULES = [wos, endnote_xml, csl_json]
SECONDS = 20


@contextlib.contextmanager
def time_limit(seconds: int):
    """Fail (rather than hang) when a parser loops forever."""
    def stop(signum, frame):
        raise AssertionError(f"parser still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(module, content: bytes) -> None:
    with time_limit(SECONDS):
        try:
            for record in module.parse(io.BytesIO(content)):
                validate(record, LOOKUPS)
        except ImportRejected:
            pass


text_like = st.text(alphabet=st.characters(codec="utf-8"), max_size=300).map(str.encode)


@FUZZ
@given(st.sampled_from(PARSER_MODULES), st.binary(max_size=300) | text_like)
def test_parsers_survive_any_bytes(module, body):
    _run(module, PREFIXES[module] + body)


@FUZZ
@given(st.sampled_from(PARSER_MODULES), st.binary(max_size=300) | text_like)
def test_parsers_survive_any_bytes_without_prefix(module, body):
    _run(module, body)


@FUZZ
@given(st.lists(st.sampled_from(
    ["PT J", "PT", "AU ", "AU van der Berg, J", "AF Berg, Jan van der", "   Jansen, K",
     "   ", "TI x", "   vervolg", "PY 20x", "DE a; ; b", "ID ;", "BP 1", "EP", "AR e1",
     "DT Review; Article", "DT ", "DI doi:", "PM x", "ER", "EF", "", "rommel", "VR 1.0",
     "FN Clarivate Analytics Web of Science"]), max_size=30))
def test_wos_survives_shuffled_tags(lines):
    _run(wos, (WOS_HEAD + "\n".join(lines)).encode())


@FUZZ
@given(st.lists(st.sampled_from(
    ["<record>", "</record>", "<titles><title>", "</title></titles>", "<style face='x'>",
     "</style>", "Werk", "&amp;", "&#0;", "&#x1F600;", "<![CDATA[<x>]]>", "<!-- c -->",
     '<ref-type name="Book Section">5</ref-type>', '<ref-type name="">', "</ref-type>",
     "<contributors><authors><author>", "</author></authors></contributors>",
     "van der Berg, J", ",", "<keywords><keyword>", "</keyword></keywords>",
     "interventie:", "<dates><year>", "</year></dates>", "<urls><related-urls><url>",
     "</url></related-urls></urls>", "<accession-num>12</accession-num>", "<x/>"]),
    max_size=40))
def test_endnote_survives_shuffled_elements(parts):
    _run(endnote_xml, ENDNOTE % "".join(parts).encode())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=15,
)
csl_keys = st.sampled_from(
    ["type", "title", "author", "issued", "container-title", "volume", "issue", "page", "DOI",
     "PMID", "URL", "abstract", "keyword", "language", "publisher", "literal", "family",
     "given", "non-dropping-particle", "date-parts", "raw"])
csl_items = st.dictionaries(csl_keys, json_values | st.lists(
    st.dictionaries(csl_keys, json_values, max_size=4), max_size=3), max_size=8)


@FUZZ
@given(st.lists(csl_items | json_values, max_size=4))
def test_csl_survives_any_json_shape(items):
    _run(csl_json, json.dumps(items).encode())


@FUZZ
@given(st.sampled_from(PARSER_MODULES), st.text(max_size=300), st.sampled_from(
    ["", "FN x\nVR 1.0\n", "<xml><records>", '[{"type": "a", "title": ', "{", "["]))
def test_looks_like_never_raises(module, text, prefix):
    assert module.looks_like(prefix + text) in (True, False)
