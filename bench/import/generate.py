"""Synthetic RIS and PubMed XML files with a known share of duplicates.

Of every 100 records about 10 repeat an earlier one exactly (same DOI) and 5 are
near-duplicates (a typo in the title, no DOI, same first author and year). The record
numbers of both kinds go into a sidecar <file>.planted.json.
"""

from __future__ import annotations

import json
import random
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


def _study(rng: random.Random, index: int) -> dict:
    words = rng.sample(WORDS, 8)
    return {
        "title": " ".join(words).capitalize() + f" ({index})",
        "authors": [(rng.choice(NAMES), rng.choice("ABCDEJKLMP") + ".")
                    for _ in range(rng.randint(1, 4))],
        "year": rng.randint(1995, 2024), "journal": "Journal of " + rng.choice(WORDS).title(),
        "doi": f"10.5555/bench.{index}", "pmid": str(10_000_000 + index),
        "abstract": " ".join(rng.choices(WORDS, k=60)),
    }


def studies(count: int, seed: int = 1, offset: int = 0):
    """(records, planted record numbers) — records in the order they are written."""
    rng = random.Random(seed)
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
            records.append(_study(rng, offset + number))
    return records, planted


def ris(record: dict) -> str:
    lines = ["TY  - JOUR", f"TI  - {record['title']}", f"PY  - {record['year']}",
             f"T2  - {record['journal']}", f"AB  - {record['abstract']}"]
    lines += [f"AU  - {family}, {given}" for family, given in record["authors"]]
    if record["doi"]:
        lines += [f"DO  - https://doi.org/{record['doi'].upper()}", f"AN  - {record['pmid']}"]
    return "\n".join(lines) + "\nER  - \n\n"


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


def write(path: Path, fmt: str, count: int, seed: int = 1, offset: int = 0) -> Path:
    """Write a file of count records in fmt ("ris" or "pubmed") and its planted sidecar."""
    records, planted = studies(count, seed, offset)
    with path.open("w", encoding="utf-8") as out:
        if fmt == "pubmed":
            out.write('<?xml version="1.0"?>\n<PubmedArticleSet>\n')
        for record in records:
            out.write(ris(record) if fmt == "ris" else pubmed(record))
        if fmt == "pubmed":
            out.write("</PubmedArticleSet>\n")
    path.with_suffix(".planted.json").write_text(json.dumps(planted))
    return path
