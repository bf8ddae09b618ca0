"""The workbook reader (importers/xlsx_format.py, xlsx_parts.py) against openpyxl's
read-only, data_only rows, and what it refuses."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from importers import xlsx_format, xlsx_parts
from importers.source import ImportRejected
from importers.tabular import TableOptions

# openpyxl (the reference) notes that these hand-written workbooks have no cell styles.
pytestmark = pytest.mark.filterwarnings("ignore:Workbook contains no default style")

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _package(sheet_data: str, strings: str | None = None, date1904: bool = False,
             sheet_prolog: str = "", strings_prolog: str = "",
             styles: str | None = None) -> bytes:
    """A workbook of one sheet ("Export") written part by part, as Excel saves it."""
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {MAIN} xmlns:r="{RELS}">'
                           f'<workbookPr date1904="{int(date1904)}"/>'
                           '<sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets>'
                           "</workbook>",
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/styles.xml": styles or (
            f'<styleSheet {MAIN}><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="4"><xf numFmtId="0"/>'
            '<xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="46"/></cellXfs>'
            "</styleSheet>"),
        "xl/worksheets/sheet1.xml": f"{sheet_prolog}<worksheet {MAIN}><sheetData>{sheet_data}"
                                    "</sheetData></worksheet>",
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f"{strings_prolog}<sst {MAIN}>{strings}</sst>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


SHARED = ('<si><t>Title</t></si><si><t>Year</t></si>'
          '<si><r><t>Werk </t></r><r><rPr><b/></rPr><t>met behoud</t></r>'
          '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>'
          '<si><t>a_x005F_x0041_b</t></si>')

EVERY_KIND = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t>Notes</t></is></c></row>'
    '<row r="2"/>'
    '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>2019</v></c>'
    '<c r="D3" t="b"><v>1</v></c><c r="E3" s="1"><v>43831</v></c>'
    '<c r="F3" s="2"><v>43831.5</v></c><c r="G3"><v>1.5E-3</v></c></row>'
    '<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5"><f>1+1</f><v>2</v></c>'
    '<c r="C5" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="D5" t="e"><v>#N/A</v></c>'
    '<c r="E5"><f>NOW()</f></c><c r="F5" t="inlineStr"><is><r><t>x</t></r>'
    '<r><t>y</t></r></is></c><c r="G5" s="3"><v>1.25</v></c></row>'
    '<row r="6"><c r="A6" t="inlineStr"><is><t>   </t></is></c></row>'
    '<row><c t="inlineStr"><is><t>no references</t></is></c><c><v>7</v></c></row>'
)


def _reader_rows(content: bytes) -> list[tuple[int, list]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        workbook = xlsx_parts.read_workbook(archive)
        return list(xlsx_format.sheet_rows(archive, workbook.sheets["Export"], workbook))


def _openpyxl_rows(content: bytes) -> list[tuple[int, list]]:
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    found = []
    for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        if any(c is not None and str(c).strip() for c in cells):
            found.append((number, cells))
    book.close()
    return found


@pytest.mark.parametrize("date1904", [False, True])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(date1904):
    content = _package(EVERY_KIND, SHARED, date1904=date1904)
    rows = _reader_rows(content)
    assert rows == _openpyxl_rows(content)
    # And what that is, spelled out: rich-text runs joined without the phonetic run,
    # a date by its style, a formula's saved result (and none when nothing was saved).
    assert rows[1][1][:6] == ["Werk met behoud", 2019, None, True,
                              datetime.datetime(2024, 1, 2) if date1904
                              else datetime.datetime(2020, 1, 1), rows[1][1][5]]
    assert rows[2][1][:4] == ["a_x0041_b", 2, "ab", "#N/A"]
    assert rows[2][1][4] is None
    assert [number for number, _cells in rows] == [1, 3, 5, 7]


def test_a_workbook_written_by_openpyxl_reads_the_same():
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Year", "Published", "Open access"])
    sheet.append([])
    sheet.append(["Werk met behoud", 2021, datetime.datetime(2021, 3, 4), True])
    sheet.append([None, None, 3.25, None])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        workbook = xlsx_parts.read_workbook(archive)
        rows = list(xlsx_format.sheet_rows(archive, next(iter(workbook.sheets.values())),
                                           workbook))
    assert rows == _openpyxl_rows(content)
    assert rows[1][1][2] == datetime.datetime(2021, 3, 4)


def _parse(content: bytes) -> list:
    return list(xlsx_format.parse(io.BytesIO(content), TableOptions()))


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')


@pytest.mark.parametrize("where", ["sheet", "shared strings"])
def test_a_dtd_is_refused_before_any_entity_can_expand(where):
    sheet = '<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>'
    if where == "sheet":
        content = _package(sheet, sheet_prolog=LAUGHS)
    else:
        content = _package(sheet, strings="<si><t>&lol2;</t></si>", strings_prolog=LAUGHS)
    with pytest.raises(ImportRejected, match="bevat een DTD"):
        _parse(content)


def test_a_cell_beyond_the_column_limit_is_refused_naming_its_row():
    sheet = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>'
             '<row r="2"><c r="ZZZ2"><v>1</v></c></row>')
    with pytest.raises(ImportRejected, match="Rij 2: een cel in kolom ZZZ2"):
        _parse(_package(sheet))


def test_a_shared_string_that_does_not_exist_is_refused_naming_row_and_column():
    sheet = ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>'
             '<c r="B2" t="s"><v>9</v></c></row>')
    with pytest.raises(ImportRejected, match="Rij 2, kolom B: '9'"):
        _parse(_package(sheet, "<si><t>Title</t></si>"))


def test_a_number_cell_that_is_not_a_number_is_refused_naming_row_and_column():
    sheet = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>'
             '<row r="4"><c r="C4"><v>twaalf</v></c></row>')
    with pytest.raises(ImportRejected, match="Rij 4, kolom C: 'twaalf'"):
        _parse(_package(sheet))


def test_a_part_larger_than_the_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(xlsx_parts, "MAX_PART_BYTES", 1000)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 200))
    with pytest.raises(ImportRejected, match="sheet1.xml van de werkmap is uitgepakt groter"):
        _parse(_package(rows))


def test_a_part_that_unpacks_far_larger_than_it_packs_is_refused_before_it_is_read():
    # 2 MB of empty elements packs to a few KB: a ZIP bomb's shape, whose cost is in the
    # unpacked XML (the review measured 28 s of CPU for a 100 KB upload of 100 MB).
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>' + "<x/>" * 500_000
    with pytest.raises(ImportRejected, match="meer dan 100 keer zo groot"):
        _parse(_package(rows))


def test_an_ordinary_export_is_far_from_the_packing_ratio_limit():
    workbook = Workbook()
    for n in range(5000):
        workbook.active.append([f"Effecten van begeleiding naar werk {n}", "Smith, J", 2019,
                                f"10.1000/x{n}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > xlsx_parts.RATIO_FROM_BYTES
    assert sheet.file_size < xlsx_parts.MAX_RATIO / 5 * sheet.compress_size


def test_xml_that_is_not_well_formed_is_refused_in_dutch():
    with pytest.raises(ImportRejected, match="niet te lezen"):
        _parse(_package('<row r="1"><c r="A1"><v>1</c></row>'))


def test_a_workbook_without_sheets_is_refused():
    content = _package("")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = f"<workbook {MAIN}><sheets/></workbook>".encode()
            target.writestr(info, data)
    with pytest.raises(ImportRejected, match="geen werkblad"):
        _parse(buffer.getvalue())


@pytest.mark.parametrize("sheet", [
    '<row r="1"><c r="A1" t="s"><v>²</v></c></row>',  # isdigit(), but not for int()
    '<row r="1"><c r="A1" t="s"><v>' + "9" * 5000 + "</v></c></row>",  # int()'s limit
    '<row r="²"><c r="A1" t="inlineStr"><is><t>Title</t></is></c></row>',
])
def test_an_index_or_row_number_int_cannot_read_is_refused(sheet):
    with pytest.raises(ImportRejected):
        _parse(_package(sheet, "<si><t>Title</t></si>"))


def _recompressed(content: bytes, member: str, compress_type: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item.filename, data, compress_type=(
                compress_type if item.filename == member else zipfile.ZIP_DEFLATED))
    return buffer.getvalue()


def test_a_member_flagged_encrypted_is_refused_as_unreadable():
    content = bytearray(_package('<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t>'
                                 '</is></c></row>'))
    # Set the "encrypted" flag of every member in the central directory: zipfile then
    # asks for a password (RuntimeError) instead of reading.
    start = content.find(b"PK\x01\x02")
    while start != -1:
        content[start + 8] |= 0x01
        start = content.find(b"PK\x01\x02", start + 4)
    with pytest.raises(ImportRejected):
        _parse(bytes(content))


def test_a_member_in_a_damaged_lzma_stream_is_refused_as_unreadable():
    content = _recompressed(_package('<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t>'
                                     '</is></c></row>'), "xl/worksheets/sheet1.xml",
                            zipfile.ZIP_LZMA)
    broken = bytearray(content)
    at = broken.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 20
    broken[at:at + 8] = b"\xff" * 8
    with pytest.raises(ImportRejected):
        _parse(bytes(broken))


def test_more_shared_strings_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx_parts, "MAX_SHARED_STRINGS", 3)
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    with pytest.raises(ImportRejected, match="meer dan 3 verschillende teksten"):
        _parse(_package(sheet, "<si><t>Title</t></si>" + "<si/>" * 3))
    assert _parse(_package(sheet, "<si><t>Title</t></si>" + "<si/>" * 2)) == []
