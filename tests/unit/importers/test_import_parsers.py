"""Each parser on small real-looking files: fields, Dutch particles, accents, gaps."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from importers.detect import detect_format, parser_for
from importers.json_stream import MAX_DEPTH
from importers.normalise import (
    normalise_doi,
    normalise_pmid,
    normalise_year,
    parse_author,
    surname_key,
    title_key,
)
from importers.tabular import TableOptions
from registry.errors import ImportRejected
from registry.text_keys import doi_with_other_text

SAMPLES = Path(__file__).parent / "samples"


def records(name: str) -> list:
    with (SAMPLES / name).open("rb") as stream:
        return list(parser_for(detect_format(stream, name))(stream))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("studies.ris", "ris"), ("studies.bib", "bibtex"), ("pubmed.xml", "pubmed"),
     ("medline.nbib", "medline"), ("studies_cp1252.csv", "csv")],
)
def test_format_is_detected_from_content_not_name(name, expected):
    content = (SAMPLES / name).read_bytes()
    assert detect_format(io.BytesIO(content), "export.txt") == expected


@pytest.mark.parametrize("name", ["studies.ris", "studies.bib", "pubmed.xml", "medline.nbib"])
def test_first_record_keeps_dutch_particle_apart(name):
    first = records(name)[0].data["authors"][0]
    assert (first["particle"], first["family_name"], first["given_names"]) == (
        "van der", "Berg", "Jan")


@pytest.mark.parametrize("name", ["studies.ris", "studies.bib", "pubmed.xml", "medline.nbib"])
def test_same_study_has_same_dedup_keys_in_every_format(name):
    data = records(name)[0].data
    assert (normalise_doi(data["doi"]), title_key(data["title"])[:40]) == (
        "10.1000/tva.2019.0035", "individual placement and support for peo")


def test_ris_reads_multiline_abstract_and_link_keyword():
    record = records("studies.ris")[0]
    assert (record.interventions, "clients of the Participatiewet" in record.data["abstract"]) == (
        ["ips-bijstand"], True)


RIS_WITHOUT_TY = (
    "TY  - JOUR\nTI  - Een\nER  - \n\n"
    "TI  - Zonder soort\nAU  - Berg, Jan\nPY  - 2020\nER  - \n\n"
    "TY  - JOUR\nTI  - Drie\nER  - \n"
)


def test_a_ris_record_without_ty_line_is_reported_not_lost():
    found = list(parser_for("ris")(io.BytesIO(RIS_WITHOUT_TY.encode())))
    second = found[1]
    assert ([r.data.get("title") for r in found], second.line) == (
        ["Een", "Zonder soort", "Drie"], 5)
    assert "TY" in second.problems[0][1]


def test_bibtex_decodes_latex_accents():
    assert records("studies.bib")[0].data["authors"][1]["family_name"] == "Yılmaz"


def bibtex(entry: str) -> list:
    return list(parser_for("bibtex")(io.BytesIO(entry.encode())))


def test_bibtex_braced_author_is_one_organisation():
    (record,) = bibtex(r'@techreport{cpb, author = {{Centraal Planbureau} and {De Nederlandsche '
                       r'Bank} and M{\"u}ller, J{\"u}rgen}, title = {Kansrijk}}')
    assert [(a["family_name"], a["particle"], a["given_names"])
            for a in record.data["authors"]] == [
        ("Centraal Planbureau", None, None), ("De Nederlandsche Bank", None, None),
        ("Müller", None, "Jürgen")]


def test_bibtex_and_others_means_et_al_not_an_author():
    (record,) = bibtex("@inproceedings{b, author = {Dupré, Béatrice and Bakker, Ömer and "
                       "others}, title = {Werkfit}}")
    assert [a["family_name"] for a in record.data["authors"]] == ["Dupré", "Bakker"]


def test_bibtex_url_doi_and_pages_are_taken_as_written_not_as_latex():
    (record,) = bibtex("@article{k, title = {Werk}, doi = {10.1016/j.jvb.2022.103_456}, "
                       "url = {https://www.example.org/~kok/werk--psyche.pdf}, pages = {512--524}}")
    assert (record.data["doi"], record.data["url"], record.data["pages"]) == (
        "10.1016/j.jvb.2022.103_456", "https://www.example.org/~kok/werk--psyche.pdf", "512-524")


def test_bibtex_tex_escaped_underscore_in_doi_is_an_underscore():
    (record,) = bibtex(r"@article{k, title = {Werk}, doi = {10.1016/j.jvb.2022.103\_456}}")
    assert record.data["doi"] == "10.1016/j.jvb.2022.103_456"


BIBTEX_MISSING_COMMA = """@article{missingcomma,
  title={Werkgeversbenadering},
  author={Kok, Maarten and Vos, Eva}
  journal={Beleid en Maatschappij},
}
@article{next, title={Participatiewet}, author={Vos, Eva}}
"""


def test_bibtex_a_missing_comma_is_a_problem_naming_entry_and_field():
    first, second = bibtex(BIBTEX_MISSING_COMMA)
    named = [(f, "'missingcomma'" in m and "'author'" in m) for f, m in first.problems]
    assert (named, second.problems) == ([("record", True)], [])


def test_bibtex_an_equals_sign_and_quote_inside_a_url_is_no_missing_comma():
    (record,) = bibtex('@misc{u, title={Zoek}, url={https://example.org/zoek?q="werk"}}')
    assert record.problems == []


def test_pubmed_keeps_words_inside_markup_in_abstract():
    assert "severe mental illness" in records("pubmed.xml")[0].data["abstract"]


def test_pubmed_reads_medline_date_year():
    assert records("pubmed.xml")[1].data["year"].startswith("2020")


PUBMED_CITING = b"""<PubmedArticleSet><PubmedArticle>
<MedlineCitation><PMID>111</PMID><Article><ArticleTitle>Citing paper</ArticleTitle>
</Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">111</ArticleId></ArticleIdList>
<ReferenceList><Reference><Citation>Cited paper.</Citation><ArticleIdList>
<ArticleId IdType="doi">10.1000/cited</ArticleId><ArticleId IdType="pubmed">222</ArticleId>
</ArticleIdList></Reference></ReferenceList></PubmedData>
</PubmedArticle></PubmedArticleSet>"""


def test_pubmed_takes_no_doi_or_pmid_from_the_papers_it_cites():
    (record,) = parser_for("pubmed")(io.BytesIO(PUBMED_CITING))
    assert (record.data.get("doi"), record.data["pmid"]) == (None, "111")


PUBMED_BOOK = b"""<PubmedArticleSet><PubmedBookArticle><BookDocument>
<PMID Version="1">28654321</PMID>
<Book><BookTitle book="statpearls">StatPearls</BookTitle>
<AuthorList Type="editors"><Author><LastName>Editor</LastName><ForeName>Eddy</ForeName></Author>
</AuthorList></Book>
<ArticleTitle book="statpearls">Vocational Rehabilitation</ArticleTitle>
<AuthorList Type="authors"><Author><LastName>Smith</LastName><ForeName>Alice</ForeName></Author>
</AuthorList>
<PublicationType UI="D016454">Review</PublicationType>
</BookDocument></PubmedBookArticle></PubmedArticleSet>"""


def test_pubmed_book_authors_without_its_editors():
    (record,) = parser_for("pubmed")(io.BytesIO(PUBMED_BOOK))
    assert [a["family_name"] for a in record.data["authors"]] == ["Smith"]


def test_pubmed_book_publication_type_outside_a_list():
    (record,) = parser_for("pubmed")(io.BytesIO(PUBMED_BOOK))
    assert record.data["publication_type"] == "review"


def test_csv_windows_1252_with_semicolons_keeps_accents():
    authors = records("studies_cp1252.csv")[0].data["authors"]
    assert authors[1]["family_name"] == "Çelik"


def test_csv_utf8_bom_with_commas():
    content = "\ufefftitle,authors,year\r\nWerk en zorg,\"Jansen, K.\",2020\r\n".encode()
    parsed = list(parser_for("csv")(io.BytesIO(content)))
    assert parsed[0].data == {"title": "Werk en zorg", "authors": [
        {"family_name": "Jansen", "particle": None, "given_names": "K."}], "year": "2020"}


def test_csv_unknown_column_is_ignored_and_listed():
    options = TableOptions()
    records = list(parser_for("csv")(io.BytesIO(b"title,kleur\nx,y\n"), options))
    assert [r.data for r in records] == [{"title": "x"}]
    assert options.ignored == ["kleur"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "leeg"), (b"   \n", "leeg"), (b"\x00\x01\x02binary\x00", "binaire"),
     (b"<html><body>x</body></html>", "geen PubMed"), (b"gewoon wat tekst\n", "Onbekend")],
)
def test_bad_files_are_rejected_in_dutch(content, message):
    with pytest.raises(ImportRejected, match=message):
        detect_format(io.BytesIO(content), "x.dat")


def test_truncated_pubmed_xml_is_rejected():
    content = (SAMPLES / "pubmed.xml").read_bytes()[:1500]
    with pytest.raises(ImportRejected, match="onvolledig"):
        list(parser_for("pubmed")(io.BytesIO(content)))


def test_xml_entity_bomb_is_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaa">]>'
            b"<PubmedArticleSet>&a;</PubmedArticleSet>")
    with pytest.raises(ImportRejected, match="entiteiten"):
        list(parser_for("pubmed")(io.BytesIO(bomb)))


def test_text_that_is_neither_utf8_nor_windows_1252_is_rejected():
    # 0x81 and 0x90 are no character in Windows-1252 and no UTF-8 sequence.
    with pytest.raises(ImportRejected, match="UTF-8"):
        list(parser_for("ris")(io.BytesIO(b"TY  - JOUR\nTI  - caf\x81\x90\nER  - \n")))


def test_ten_megabyte_field_is_a_record_problem_not_a_crash():
    content = b"TY  - JOUR\nTI  - " + b"a" * 10_000_000 + b"\nER  - \n"
    record = list(parser_for("ris")(io.BytesIO(content)))[0]
    assert record.problems[0][0] == "title"


def test_a_ris_record_of_endless_continuation_lines_keeps_a_bounded_part():
    from importers.ris import MAX_CONTINUATION_LINES

    content = b"TY  - JOUR\nTI  - Werk\nAB  - begin\n" + b"a\n" * 200_000 + b"ER  - \n"
    record = list(parser_for("ris")(io.BytesIO(content)))[0]

    assert ("record" in {field for field, _ in record.problems})
    assert record.data["abstract"].count("a") == MAX_CONTINUATION_LINES
    assert record.data["title"] == "Werk"


def test_a_ris_record_within_the_bounds_keeps_every_continuation_line():
    content = b"TY  - JOUR\nTI  - Werk\nAB  - begin\n" + b"vervolg\n" * 900 + b"ER  - \n"
    record = list(parser_for("ris")(io.BytesIO(content)))[0]

    assert record.problems == []
    assert record.data["abstract"] == "begin" + " vervolg" * 900


def test_medline_continuation_lines_are_joined_in_order_per_record():
    content = ("PMID- 1\nTI  - Eerste\n      deel een\n      deel twee\nAB  - Kort.\n\n"
               "PMID- 2\nTI  - Tweede\n" + "      x\n" * 10_000).encode()
    first, second = list(parser_for("medline")(io.BytesIO(content)))

    assert first.data["title"] == "Eerste deel een deel twee"
    assert second.data["title"] == "Tweede" + " x" * 10_000


def test_json_authors_as_plain_names_are_read_as_family_given():
    content = b'[{"title": "Werk na kanker", "authors": ["Berg, J. van der", "Jansen, P."]}]'
    (record,) = parser_for("json")(io.BytesIO(content))
    assert record.data["authors"] == [
        {"family_name": "Berg", "particle": "van der", "given_names": "J."},
        {"family_name": "Jansen", "particle": None, "given_names": "P."}]


def test_json_author_name_too_long_for_any_author_is_left_whole():
    content = json.dumps([{"title": "Werk", "authors": ["ab " * 20_000]}]).encode()
    (record,) = parser_for("json")(io.BytesIO(content))
    assert record.data["authors"] == [
        {"family_name": ("ab " * 20_000).strip(), "particle": None, "given_names": None}]


def test_truncated_json_is_rejected():
    with pytest.raises(ImportRejected, match="onvolledig"):
        list(parser_for("json")(io.BytesIO(b'[{"title": "a"}, {"title": ')))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Berg, J. van der", ("van der", "Berg", "J.")),
     ("van den Broek, Anna", ("van den", "Broek", "Anna")),
     ("Jan de Vries", ("de", "Vries", "Jan")),
     ("Müller, Ánna", (None, "Müller", "Ánna"))],
)
def test_author_names(name, expected):
    author = parse_author(name)
    assert (author["particle"], author["family_name"], author["given_names"]) == expected


@pytest.mark.parametrize(
    "raw", ["https://doi.org/10.1000/ABC", "doi:10.1000/abc", "http://dx.doi.org/10.1000/Abc",
            "(doi:10.1000/abc)", "DOI 10.1000/abc", "<10.1000/abc>", "10.1000/abc [doi]",
            "https://doi.org/10.1000/abc?from=mail#top", "https://doi.org/10.1000/abc/"])
def test_doi_is_lower_case_without_resolver(raw):
    assert (normalise_doi(raw), doi_with_other_text(raw)) == ("10.1000/abc", False)


def test_a_percent_encoded_doi_url_is_the_doi_it_encodes():
    doi = "10.1002/(SICI)1097-4679(199901)55:1<1::AID-JCLP1>3.0.CO;2-F"
    assert normalise_doi("https://doi.org/" + quote(doi)) == normalise_doi(doi) == doi.lower()


def test_a_doi_field_with_more_than_a_doi_is_told():
    assert doi_with_other_text("10.1000/abc 123") and doi_with_other_text(
        "10.1000/abc; 10.1000/def")


@pytest.mark.parametrize(("raw", "pmid"), [
    ("123", "123"), ("PMID: 123", "123"), ("0123", "123"), ("12345678 [pubmed]", "12345678"),
    ("PMC1234567", None), ("9" * 20, None), ("PMID: 31 234", None)])
def test_a_pmid_is_a_whole_number_of_up_to_nine_digits(raw, pmid):
    assert normalise_pmid(raw) == pmid


@pytest.mark.parametrize(("raw", "year"), [
    ("2019", "2019"), ("2019/05/01", "2019"), ("mei 2019", "2019"), (2019, "2019"),
    (2019.0, "2019"), ("20015", "20015"), ("12019", "12019"), (-2019, "-2019"),
    (2019.7, "2019.7")])
def test_a_year_stands_apart_from_other_digits(raw, year):
    # What is not a year comes back as it was, and validation reports it.
    assert normalise_year(raw) == year


def test_surname_key_folds_accents_and_drops_particle():
    assert (surname_key("van der Bérg"), surname_key("Østergaard")) == ("berg", "ostergaard")


def test_title_key_unescapes_entities_and_markup_punctuation():
    assert title_key("Werk &amp; <i>inkomen</i>:  een   RCT") == "werk i inkomen i een rct"


DEEP_JSON_IN_A_SMALL_PROCESS = """
import io, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: the bug took 22 GB
from importers.json_format import parse
from registry.errors import ImportRejected
from registry.text_keys import doi_with_other_text
try:
    list(parse(io.BytesIO(b"[" * 100_000 + b"]" * 100_000)))
except ImportRejected as error:
    print(error.message)
"""


def test_deeply_nested_json_is_refused_in_bounded_time_and_memory():
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", DEEP_JSON_IN_A_SMALL_PROCESS], cwd=root, timeout=60,
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert "te diep genest" in done.stdout, done.stderr[-2000:]


@pytest.mark.parametrize(("depth", "refused"), [(MAX_DEPTH, False), (MAX_DEPTH + 1, True)])
def test_json_nesting_is_bounded_at_max_depth(depth, refused):
    nested = b"[" * (depth - 3) + b"]" * (depth - 3)
    content = b'{"items": [{"title": "Diep", "x": ' + nested + b"}]}"
    try:
        list(parser_for("json")(io.BytesIO(content)))
    except ImportRejected:
        assert refused
    else:
        assert not refused


def test_a_name_longer_than_any_author_is_not_split():
    # Finding the particle takes time quadratic in the words (2 s for 80,000 characters
    # in one AU line); a name beyond MAX_NAME_CHARS is left whole for validation to refuse.
    from importers.normalise import MAX_NAME_CHARS, parse_author

    name = " ".join(["Jan"] * (MAX_NAME_CHARS // 4 + 1))
    assert parse_author(name) == {"family_name": name, "particle": None, "given_names": None}
    assert parse_author("Jan van der Berg")["family_name"] == "Berg"
