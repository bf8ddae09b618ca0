"""Tables as researchers export them: delimiters, encodings, Excel, the column table,
author lists, forgiving records, and the files that must be refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from importers.columns import map_columns, parse_assignments
from importers.detect import detect_format, parser_for
from importers.tabular import TableOptions, split_authors
from importers.validate import Lookups, validate
from registry.errors import ImportRejected

LOOKUPS = Lookups(designs={"rct": 1}, outcome_domains={"work": 1}, interventions={})


def read(content: bytes, name: str = "export.csv", **options) -> tuple[list, TableOptions]:
    table = TableOptions(**options)
    stream = io.BytesIO(content)
    found = detect_format(stream, name)
    return list(parser_for(found)(stream, table)), table


def test_tab_separated_file_is_read_and_detected_by_content():
    content = b"Title\tAuthors\tYear\nWerk met behoud\tBerg, J. van der\t2021\n"
    assert detect_format(io.BytesIO(content), "export.txt") == "csv"
    records, _ = read(content, "export.txt")
    assert records[0].data["title"] == "Werk met behoud"
    assert records[0].data["authors"][0]["particle"] == "van der"


@pytest.mark.parametrize("suffix", [".tsv", ".tab"])
def test_tsv_and_tab_files_are_tables_by_name_too(suffix):
    # A header the table does not know: recognised by the file name only.
    content = b"Titel\tKleur\nx\tblauw\n"
    assert detect_format(io.BytesIO(content), "export" + suffix) == "csv"


def test_web_of_science_tab_delimited_headers_are_its_field_tags():
    content = (b"PT\tAU\tTI\tSO\tPY\tBP\tEP\tDI\tUT\n"
               b"J\tLiu R; Adler DG\tJob coaching\tJ Work\t2019\t12\t20\t10.1/X\tWOS:1\n")
    records, table = read(content, "savedrecs.txt")
    data = records[0].data
    assert (data["journal"], data["year"], data["pages"], data["doi"]) == (
        "J Work", "2019", "12-20", "10.1/X")
    assert [a["family_name"] for a in data["authors"]] == ["Liu", "Adler"]
    assert table.ignored == ["PT", "UT"]


def test_embase_csv_maps_its_columns_and_lists_the_rest():
    content = (b'"Title","Original Title","Author Names","Correspondence Address",'
               b'"Source title","Publication Year","First Page","Last Page","Medline PMID"\n'
               b'"Re-integratie","Reintegratie","Liu R., Adler D.G.","Utrecht","TSG","2020",'
               b'"5","9","123"\n')
    records, table = read(content)
    data = records[0].data
    assert [(a["family_name"], a["given_names"]) for a in data["authors"]] == [
        ("Liu", "R."), ("Adler", "D.G.")]
    assert (data["journal"], data["pages"], data["pmid"]) == ("TSG", "5-9", "123")
    assert table.ignored == ["Original Title", "Correspondence Address"]


def test_reference_manager_column_names_are_known():
    content = (b"primary_title,first_authors,secondary_authors,publication_year,"
               b"type_of_reference,start_page\nWerkfit,\"Smit, A.\",\"Editor, E.\",2018,JOUR,7\n")
    records, table = read(content)
    data = records[0].data
    assert (data["year"], data["publication_type"], data["pages"]) == (
        "2018", "journal_article", "7")
    assert [a["family_name"] for a in data["authors"]] == ["Smit"]
    assert table.ignored == ["secondary_authors"]


@pytest.mark.parametrize("header", ["Pagina's", "Pagina\u2019s", "Paginas"])
def test_the_dutch_pages_header_is_known_with_or_without_apostrophe(header):
    records, table = read(f"Titel;Jaar;{header}\nWerkfit;2018;12-19\n".encode())
    assert (records[0].data["pages"], table.ignored) == ("12-19", [])


@pytest.mark.parametrize(
    ("cell", "families"),
    [("Berg, J. van der; Yılmaz, A.", ["Berg", "Yılmaz"]),
     ("Berg, J.\nSmit, A.", ["Berg", "Smit"]),
     ("Liu R, Adler DG, Smith AB", ["Liu", "Adler", "Smith"]),
     ("Berg, Jan", ["Berg"]),
     ("Jansen, P. // Smit, A.", ["Jansen", "Smit"])],
)
def test_author_lists_in_the_forms_exports_use(cell, families):
    content = f"title,authors\nx,\"{cell}\"\n".encode()
    records, _ = read(content)
    assert [a["family_name"] for a in records[0].data["authors"]] == families
    assert len(split_authors(cell)) == len(families)


def test_utf16_with_bom_is_read_with_a_note():
    content = "Title\tAuthors\nÉén baan\tÖzdemir, A.\n".encode("utf-16")
    records, table = read(content, "export.txt")
    assert records[0].data["title"] == "Één baan"
    assert table.notes == ["Tekenset herkend als UTF-16."]


def test_windows_1252_is_read_with_a_note():
    records, table = read("title;authors\nBemiddeling naar één baan;Öz, A.\n".encode("cp1252"))
    assert records[0].data["title"] == "Bemiddeling naar één baan"
    assert table.notes == ["Tekenset herkend als Windows-1252."]


def test_mixed_encodings_are_refused_naming_the_lines():
    content = "title\nééN\n".encode() + "één\n".encode("cp1252")
    with pytest.raises(ImportRejected, match="regel 2 is UTF-8, regel 3 niet"):
        read(content)


def test_duplicate_column_names_are_refused():
    with pytest.raises(ImportRejected, match="'title' komt twee keer voor.*kolom 1 en 3"):
        read(b"Title,Year,title\nx,2020,y\n")


def test_a_missing_header_row_is_refused():
    with pytest.raises(ImportRejected, match="Geen kopregel herkend"):
        read(b"Werk met behoud,2021,Berg\n", "export.csv")


def test_a_table_without_a_title_column_is_refused_until_one_is_assigned():
    content = b"Naam van het stuk,Year\nWerk met behoud,2021\n"
    with pytest.raises(ImportRejected, match="Geen kolom met de titel"):
        read(content)
    records, table = read(content, mapping={"naam van het stuk": "title"})
    assert records[0].data == {"title": "Werk met behoud", "year": "2021"}
    assert table.ignored == []


def test_a_mapping_to_an_unknown_field_is_refused():
    with pytest.raises(ImportRejected, match="Onbekend veld 'kleur'"):
        read(b"title,x\na,b\n", mapping={"x": "kleur"})
    with pytest.raises(ValueError, match="x=kleur"):
        parse_assignments(["x=kleur"])
    assert parse_assignments(["Source=journal", "a=b=title"]) == {
        "Source": "journal", "a=b": "title"}


def test_a_later_column_for_a_field_already_taken_is_ignored():
    columns = map_columns(["Authors", "Author full names", "Author"])
    assert columns.names == ["authors", None, None]
    assert columns.ignored == ["Author full names", "Author"]


def _workbook(rows: list[list], title: str = "Export") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_workbook_is_read_from_its_first_sheet():
    content = _workbook([[], ["Title", "Authors", "Year", "Keywords"],
                         ["Werk met behoud", "Berg, J. van der", 2021, "=1+1"]])
    records, _ = read(content, "export.xlsx")
    data = records[0].data
    assert (data["title"], data["year"]) == ("Werk met behoud", "2021")
    # A formula is never evaluated: without a saved value the cell is empty.
    assert "keywords" not in data
    assert records[0].line == 3


def test_excel_sheet_can_be_chosen_and_an_unknown_one_is_named():
    content = _workbook([["Title"], ["x"]], title="Studies")
    records, _ = read(content, "export.xlsx", sheet="Studies")
    assert records[0].data["title"] == "x"
    with pytest.raises(ImportRejected, match="geen werkblad 'Blad2' \\(wel: Studies\\)"):
        read(content, "export.xlsx", sheet="Blad2")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("studies.ris", "TY  - JOUR\nER  - \n")
    with pytest.raises(ImportRejected, match="geen Excel-werkmap"):
        detect_format(io.BytesIO(buffer.getvalue()), "export.xlsx")


def test_a_password_protected_or_old_excel_file_is_refused():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ImportRejected, match="wachtwoord of in het oude formaat"):
        detect_format(io.BytesIO(ole2), "export.xlsx")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                  "xl/styles.xml", "xl/_rels/workbook.xml.rels"])
def test_a_workbook_with_a_damaged_part_it_needs_is_refused_in_dutch(part):
    content = _workbook([["Title"], ["x"]])
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(part)
    start = info.header_offset + 30 + len(info.filename) + 10  # inside the packed data
    broken = content[:start] + b"\x00" * 20 + content[start + 20:]
    with pytest.raises(ImportRejected, match="niet te lezen"):
        read(broken, "export.xlsx")


def test_a_too_long_issue_is_dropped_with_a_warning_not_the_record():
    content = (b"TY  - JOUR\nTI  - Werk met behoud\nAU  - Berg, J.\nPY  - 2019\n"
               b"IS  - " + b"Zie ook: Jansen et al., Tijdschrift voor Arbeid 12, 2018; " * 3 + b"\n"
               b"ER  - \n")
    record, problems = validate(next(iter(parser_for("ris")(io.BytesIO(content)))), LOOKUPS)
    assert problems == []
    assert "issue" not in record.values
    assert record.warnings == [("issue", "Weggelaten: Te lang: maximaal 100 tekens.")]


def test_a_bad_keyword_drops_that_keyword_only():
    content = ("title,keywords\nx,\"werk; " + "k" * 300 + "; re-integratie\"\n").encode()
    records, _ = read(content)
    record, problems = validate(records[0], LOOKUPS)
    assert problems == [] and record.values["keywords"] == ["werk", "re-integratie"]
    assert [field for field, _ in record.warnings] == ["keywords.1"]


def test_a_record_without_a_title_stays_invalid_with_every_problem_listed():
    content = b"title,year,issue\n,20x," + b"9" * 150 + b"\n"
    records, _ = read(content)
    record, problems = validate(records[0], LOOKUPS)
    assert record is None
    assert {field for field, _ in problems} >= {"title", "issue"}


def test_pubmed_xml_naming_an_unknown_encoding_is_refused_in_dutch():
    content = b'<?xml version="1.0" encoding="foo"?><PubmedArticleSet></PubmedArticleSet>'
    with pytest.raises(ImportRejected, match="onbekende tekenset"):
        list(parser_for("pubmed")(io.BytesIO(content)))


@pytest.mark.parametrize("format_name", ["pubmed", "endnote_xml"])
def test_xml_in_a_multi_byte_encoding_is_refused_in_dutch(format_name):
    content = b'<?xml version="1.0" encoding="shift_jis"?><PubmedArticleSet></PubmedArticleSet>'
    with pytest.raises(ImportRejected, match="sla het op als UTF-8"):
        list(parser_for(format_name)(io.BytesIO(content)))


def test_registry_json_with_a_number_beyond_the_digit_limit_is_refused():
    content = b'[{"title": "x", "year": ' + b"9" * 5000 + b"}]"
    with pytest.raises(ImportRejected, match="JSON-bestand is ongeldig"):
        list(parser_for("json")(io.BytesIO(content)))


@pytest.mark.parametrize(
    ("sample", "expected"),
    [("wos.txt", "wos"), ("endnote.xml", "endnote_xml"), ("csl.json", "csl_json")],
)
def test_the_newer_formats_are_detected_from_content(sample, expected):
    from pathlib import Path

    content = (Path(__file__).parent / "samples" / sample).read_bytes()
    assert detect_format(io.BytesIO(content), "export.dat") == expected


@pytest.mark.parametrize(("written", "stored"), [
    ("Article", "journal_article"), ("Conference Paper", "conference_paper"),
    ("Journal Article", "journal_article"), ("journal_article", "journal_article"),
    ("Book Chapter", "book_chapter"), ("Iets anders", "other")])
def test_a_tables_publication_type_becomes_the_shared_one_as_in_ris(written, stored):
    records, _ = read(f"title,publication_type\nx,{written}\n".encode())
    assert records[0].data["publication_type"] == stored
