"""Write the open data package: a Frictionless Data Package (datapackage.json with a
Table Schema per resource, one CSV per table) plus the same records as JSON Lines. CSV
text cells that a spreadsheet would run as a formula start with an apostrophe
(registry/csv_cells.py); the JSON Lines keep the text as it is.

The same database gives byte-identical files: rows in primary-key order, fixed number
and date formats, keys in a fixed order, and no wall-clock moment anywhere. Rows stream
from the database in chunks (yield_per): memory does not grow with the catalogue.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection

from registry.csv_cells import neutralise
from registry.models.base import as_utc
from registry.opendata.resources import Resource, resources

NAME = "interventies-naar-werk"
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
CHUNK = 1000
ZIP_NAME = f"{NAME}-open-data.zip"


def _cell(value, kind: str):
    """A value as the JSON record holds it (CSV writes these as text)."""
    if value is None:
        return None
    if kind == "datetime":
        return as_utc(value).isoformat().replace("+00:00", "Z")
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "number":
        return float(value) if isinstance(value, Decimal) else value
    if kind == "array":
        return list(value)
    if kind == "boolean":
        return bool(value)
    return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return neutralise(value) if isinstance(value, str) else str(value)


def records(connection: Connection, resource: Resource) -> Iterator[dict]:
    """The resource's rows as records (field name -> value), in primary-key order."""
    # Per statement: Connection.execution_options() would stream every later statement
    # on the connection too (a savepoint rollback inside a server-side cursor).
    result = connection.execute(resource.statement.execution_options(yield_per=CHUNK))
    names = [(column.name, column.type) for column in resource.columns]
    for row in result:
        yield {name: _cell(value, kind) for (name, kind), value in zip(names, row,
                                                                      strict=True)}


def _write_resource(connection: Connection, resource: Resource, folder: Path) -> int:
    count = 0
    with (open(folder / f"{resource.name}.csv", "w", encoding="utf-8", newline="") as table,
          open(folder / f"{resource.name}.jsonl", "w", encoding="utf-8") as lines):
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow([column.name for column in resource.columns])
        for record in records(connection, resource):
            writer.writerow([_csv_text(value) for value in record.values()])
            lines.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
            count += 1
    return count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def descriptor(written: list[Resource], folder: Path) -> dict:
    """datapackage.json: the package, its licence and a Table Schema per resource."""
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": "Interventies naar Werk: erkende interventies, besluiten en onderzoek",
        "description": ("De openbare gegevens van het register Interventies naar Werk: "
                        "gepubliceerde interventies met hun cliëntkenmerken, de besluiten "
                        "van de erkenningscommissie, oordelen per uitkomstdomein en per "
                        "effectstudie, studies, auteurs en bevindingen, en de "
                        "woordenlijsten. Elke tabel staat er ook als JSON Lines naast "
                        "(<naam>.jsonl). In de CSV-bestanden begint tekst die met = + - @ "
                        "begint met een apostrof, zodat een spreadsheet er geen formule "
                        "van maakt; de JSON Lines hebben de tekst zoals hij is."),
        "licenses": [LICENCE],
        "resources": [{
            "name": resource.name, "title": resource.title, "path": f"{resource.name}.csv",
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "hash": f"sha256:{_sha256(folder / f'{resource.name}.csv')}",
            "schema": resource.schema(),
        } for resource in written],
    }


def dump(connection: Connection, folder: Path) -> dict[str, int]:
    """Write every resource and datapackage.json into `folder` (created if needed).
    Returns the number of rows per resource."""
    folder.mkdir(parents=True, exist_ok=True)
    written = resources()
    counts = {resource.name: _write_resource(connection, resource, folder)
              for resource in written}
    with open(folder / "datapackage.json", "w", encoding="utf-8") as file:
        json.dump(descriptor(written, folder), file, ensure_ascii=False, indent=2)
        file.write("\n")
    return counts


def fingerprint(connection: Connection) -> str:
    """A hash of every record the package would hold: it changes exactly when the
    package would. Counts and latest ids per table, as before, missed a link removed
    and made again with another relation, and any edit in place. It reads what a dump
    reads (about 2 s at 100,000 studies), without writing."""
    digest = hashlib.sha256()
    for resource in resources():
        digest.update(resource.name.encode() + b"\0")
        for record in records(connection, resource):
            digest.update(json.dumps(list(record.values()), ensure_ascii=False,
                                     default=str).encode() + b"\n")
    return digest.hexdigest()[:32]


def write_zip(folder: Path, target: Path) -> None:
    """The dumped folder as one ZIP, written beside `target` and renamed over it, so a
    download never reads half a file. Entries carry a fixed date: the same dump gives
    the same bytes."""
    # Per process: a timer and `flask jobs run` may publish on one host at once.
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(path.name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source, archive.open(info, "w") as entry:
                for block in iter(lambda: source.read(1 << 16), b""):
                    entry.write(block)
    os.replace(partial, target)


WORK_PREFIX = "dump-"
# A work folder or partial file this old is left by a killed run, not a running one.
LEFTOVER_SECONDS = 3600


def _clear_leftovers(folder: Path) -> None:
    """Remove what a run killed halfway (kill -9) left: its work folder and partials."""
    cutoff = time.time() - LEFTOVER_SECONDS
    for path in folder.iterdir():
        stale = path.stat().st_mtime < cutoff
        if stale and path.is_dir() and path.name.startswith(WORK_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
        elif stale and path.name.endswith(".part"):
            path.unlink(missing_ok=True)


def latest(folder: Path) -> tuple[Path, Path]:
    """Where the published ZIP and its fingerprint live in this host's OPENDATA_DIR."""
    return folder / ZIP_NAME, folder / "fingerprint.txt"


def publish(connection: Connection, folder: Path, force: bool = False) -> bool:
    """Write a new ZIP for the download page when the published record changed since
    the last one (or with force). Returns whether it wrote one. Run by `flask opendata
    publish` and `flask jobs run`, never inside a request."""
    target, stamp = latest(folder)
    current = fingerprint(connection)
    if not force and target.exists() and stamp.exists() and stamp.read_text() == current:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(target.parent)
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=target.parent) as work:
        dump(connection, Path(work))
        write_zip(Path(work), target)
    partial = stamp.with_name(f"{stamp.name}.{os.getpid()}.part")
    partial.write_text(current)
    os.replace(partial, stamp)
    return True
