"""Synthetic RIS, PubMed XML, CSV and Excel files with a known share of duplicates.

Of every 100 records about 10 repeat an earlier one exactly (same DOI) and 5 are
near-duplicates (a typo in the title, no DOI, same first author and year). The record
numbers of both kinds go into a sidecar <file>.planted.json.

"ris_full", "csv" and "xlsx" write the same records with the same fields (volume,
issue, pages, keywords, language and type as well), for comparing the table readers
with RIS: the CSV and the workbook use Scopus/Embase-style export headers (mapped by
importers/columns.py) plus two columns the import must ignore. "xlsx" is written by
openpyxl (write_only: inline strings); "xlsx_excel" is the same sheet as Excel saves it
(a shared-string table), written here part by part. "ris" and "pubmed" are
as before (the extra fields are drawn from a second random stream, so their files
have not changed).
"""

from __future__ import annotations

import csv
import json
import random
import zipfile
from itertools import chain
from pathlib import Path
from xml.sax.saxutils import escape

SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
            "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
            "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "Yılmaz", "Çelik", "Müller",
            "Smith", "Wang", "Li", "Zhang", "García", "Nielsen", "Østergaard"]
WORDS = ["effect", "re-integratie", "werk", "bijstand", "jobcoaching", "IPS", "schulden",
         "participatie", "randomised", "trial", "cohort", "employment", "support", "youth",
         "Wajong", "statushouders", "taal", "begeleiding", "outcomes", "municipal",
         "programme", "evaluation", "long-term", "unemployed", "disability", "income"]


# Real exports have thousands of distinct first authors; combine parts to get ~4,000.
_STEMS = ["Berg", "Broek", "Dijk", "Veen", "Bosch", "Meer", "Heuvel", "Laan", "Wal", "Velde",
          "Hoek", "Beek", "Kamp", "Horst", "Brink", "Graaf", "Linden", "Steen", "Vliet", "Zand"]
_ENDS = ["", "s", "ma", "stra", "man", "er", "ink", "ing", "hof", "huis"]
_PARTICLES = ["", "", "van", "van den", "van der", "de", "ter", "ten"]
NAMES = SURNAMES + [f"{p} {s}{e}".strip() for p in _PARTICLES for s in _STEMS for e in _ENDS]
NAMES += [f"{a}{b.lower()}" for a in _STEMS for b in _STEMS]


LANGUAGE_NAMES = ["English", "English", "English", "Dutch", "German"]
# A Scopus CSV export's header, in its order: the columns importers/columns.py maps,
# and two it does not know ("Cited by", "EID"), which the import must ignore.
TABLE_HEADER = ["Authors", "Title", "Year", "Source title", "Volume", "Issue", "Page start",
                "Page end", "Cited by", "DOI", "Abstract", "Author Keywords",
                "Language of Original Document", "Document Type", "PubMed ID", "EID"]


def _study(rng: random.Random, index: int, extra: random.Random) -> dict:
    words = rng.sample(WORDS, 8)
    record = {
        "title": " ".join(words).capitalize() + f" ({index})",
        "authors": [(rng.choice(NAMES), rng.choice("ABCDEJKLMP") + ".")
                    for _ in range(rng.randint(1, 4))],
        "year": rng.randint(1995, 2024), "journal": "Journal of " + rng.choice(WORDS).title(),
        "doi": f"10.5555/bench.{index}", "pmid": str(10_000_000 + index),
        "abstract": " ".join(rng.choices(WORDS, k=60)),
    }
    # The fields only the "full" files write come from their own stream, so the
    # records (and files) of the first stream are the same as before they existed.
    start = extra.randint(1, 900)
    record.update(
        volume=str(extra.randint(1, 60)), issue=str(extra.randint(1, 12)),
        start_page=str(start), end_page=str(start + extra.randint(5, 30)),
        keywords=extra.sample(WORDS, extra.randint(2, 5)),
        language=extra.choice(LANGUAGE_NAMES), cited_by=extra.randint(0, 300),
    )
    return record


def studies(count: int, seed: int = 1, offset: int = 0):
    """(records, planted record numbers) — records in the order they are written."""
    rng = random.Random(seed)
    extra = random.Random(seed + 7919)
    records, planted = [], []
    for number in range(1, count + 1):
        roll = rng.random()
        if records and roll < 0.10:
            records.append(dict(rng.choice(records)))
            planted.append(number)
        elif records and roll < 0.15:
            near = dict(rng.choice(records))
            title = near["title"]
            cut = rng.randrange(len(title) - 5)
            near.update(title=title[:cut] + title[cut + 1:], doi=None, pmid=None)
            records.append(near)
            planted.append(number)
        else:
            records.append(_study(rng, offset + number, extra))
    return records, planted


def ris(record: dict, full: bool = False) -> str:
    lines = ["TY  - JOUR", f"TI  - {record['title']}", f"PY  - {record['year']}",
             f"T2  - {record['journal']}", f"AB  - {record['abstract']}"]
    lines += [f"AU  - {family}, {given}" for family, given in record["authors"]]
    if record["doi"]:
        lines += [f"DO  - https://doi.org/{record['doi'].upper()}", f"AN  - {record['pmid']}",
                  "DB  - PubMed"]
    if full:
        lines += [f"VL  - {record['volume']}", f"IS  - {record['issue']}",
                  f"SP  - {record['start_page']}", f"EP  - {record['end_page']}",
                  f"LA  - {record['language']}"]
        lines += [f"KW  - {keyword}" for keyword in record["keywords"]]
    return "\n".join(lines) + "\nER  - \n\n"


def table_row(record: dict, numbers: bool = False) -> list:
    """One record as a row under TABLE_HEADER: authors in Scopus's "Liu R., Adler D.G."
    form, keywords separated by "; ", and (numbers, as Excel keeps them) year, volume,
    issue, pages, counts and PMID as numbers."""
    def number(value):
        return int(value) if numbers and value else value

    return [
        ", ".join(f"{family} {given}" for family, given in record["authors"]),
        record["title"], number(str(record["year"])), record["journal"],
        number(record["volume"]), number(record["issue"]), number(record["start_page"]),
        number(record["end_page"]), number(str(record["cited_by"])), record["doi"] or "",
        record["abstract"], "; ".join(record["keywords"]), record["language"], "Article",
        number(record["pmid"] or ""), f"2-s2.0-{85_000_000_000 + int(record['pmid'] or 0)}",
    ]


def pubmed(record: dict) -> str:
    authors = "".join(f"<Author><LastName>{escape(f)}</LastName><Initials>{g[0]}</Initials>"
                      "</Author>" for f, g in record["authors"])
    ids = (f'<ELocationID EIdType="doi">{record["doi"]}</ELocationID>' if record["doi"] else "")
    return (f"<PubmedArticle><MedlineCitation><PMID>{record['pmid'] or ''}</PMID><Article>"
            f"<Journal><JournalIssue><PubDate><Year>{record['year']}</Year></PubDate>"
            f"</JournalIssue><Title>{escape(record['journal'])}</Title></Journal>"
            f"<ArticleTitle>{escape(record['title'])}</ArticleTitle>{ids}"
            f"<Abstract><AbstractText>{escape(record['abstract'])}</AbstractText></Abstract>"
            f"<AuthorList>{authors}</AuthorList></Article></MedlineCitation></PubmedArticle>\n")


def _xlsx(path: Path, records: list[dict]) -> None:
    # write_only streams each row to the sheet's XML as it is appended, so 100k rows
    # are never all in memory as cells.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Scopus export")
    sheet.append(TABLE_HEADER)
    for record in records:
        sheet.append(table_row(record, numbers=True))
    workbook.save(path)


# The parts of a one-sheet workbook with a shared-string table (no styles: none needed).
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument"'
        ' Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="Scopus export" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'),
}
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xlsx_excel(path: Path, records: list[dict]) -> None:
    # What Excel itself saves: every text cell an index into one shared-string table
    # (openpyxl's writer uses inline strings instead). The reader loads the whole table
    # when it opens the workbook, so this file shows the memory that costs.
    strings: dict[str, int] = {}
    letters = [chr(ord("A") + i) for i in range(len(TABLE_HEADER))]
    rows = chain([TABLE_HEADER], (table_row(record, numbers=True) for record in records))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, _HEAD + text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            size = f"A1:{letters[-1]}{len(records) + 1}"  # Excel writes the used range
            sheet.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><dimension ref="{size}"/>'
                        "<sheetData>".encode())
            for number, row in enumerate(rows, start=1):
                cells = []
                for letter, value in zip(letters, row, strict=True):
                    if value is None or value == "":
                        continue
                    if isinstance(value, int):
                        cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                    else:
                        index = strings.setdefault(value, len(strings))
                        cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w") as table:
            table.write(f'{_HEAD}<sst xmlns="{_MAIN}" uniqueCount="{len(strings)}">'.encode())
            for text in strings:
                table.write(f"<si><t>{escape(text)}</t></si>".encode())
            table.write(b"</sst>")


def write(path: Path, fmt: str, count: int, seed: int = 1, offset: int = 0) -> Path:
    """Write a file of count records in fmt ("ris", "pubmed", "ris_full", "csv", "xlsx"
    or "xlsx_excel") and its planted sidecar."""
    records, planted = studies(count, seed, offset)
    path.with_suffix(".planted.json").write_text(json.dumps(planted))
    if fmt in ("xlsx", "xlsx_excel"):
        (_xlsx if fmt == "xlsx" else _xlsx_excel)(path, records)
        return path
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(TABLE_HEADER)
            writer.writerows(table_row(record) for record in records)
        return path
    with path.open("w", encoding="utf-8") as out:
        if fmt == "pubmed":
            out.write('<?xml version="1.0"?>\n<PubmedArticleSet>\n')
        for record in records:
            out.write(pubmed(record) if fmt == "pubmed" else ris(record, fmt == "ris_full"))
        if fmt == "pubmed":
            out.write("</PubmedArticleSet>\n")
    return path
