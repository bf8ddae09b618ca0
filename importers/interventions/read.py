"""Read an interchange file (JSON, or the CSV template) into raw records.

The file as a whole is refused (ImportRejected) when it is not JSON or CSV, nests too
deeply, names another format or schema version, or holds more than MAX_RECORDS
interventions; single records are checked later (plan.py), so one bad record is
reported with the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import ijson
from flask_babel import gettext as _

from importers.interventions.csv_template import csv_records
from importers.json_stream import TooDeep, items
from importers.source import reject
from registry.schemas.interchange import FORMAT, SCHEMA_VERSION

MAX_RECORDS = 20_000
MAX_ORGANISATIONS = 20_000


@dataclass
class InterchangeFile:
    """What a file holds: its format ("json" or "csv"), sha256, and raw records."""

    format: str
    sha256: str
    organisations: list[Any] = field(default_factory=list)
    interventions: list[Any] = field(default_factory=list)


def read_file(stream: BinaryIO, file_name: str) -> InterchangeFile:
    """The file's records. Raises ImportRejected for a file that cannot be read as a
    whole."""
    sha256 = _sha256(stream)
    if _looks_like_json(stream):
        organisations, interventions = _json_records(stream)
        found = InterchangeFile("json", sha256, organisations, interventions)
    elif file_name.lower().endswith((".csv", ".tsv", ".txt")):
        found = InterchangeFile("csv", sha256, [], csv_records(stream))
    else:
        raise reject(_("Dit bestand is geen JSON-uitwisselbestand en geen CSV volgens het "
                       "sjabloon. Er is niets opgeslagen."))
    if len(found.interventions) > MAX_RECORDS:
        raise reject(_("Het bestand bevat meer dan %(max)s interventies. Splits het in "
                       "delen.", max=MAX_RECORDS))
    return found


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _looks_like_json(stream: BinaryIO) -> bool:
    start = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    return start.startswith(b"{")


def _json_records(stream: BinaryIO) -> tuple[list[Any], list[Any]]:
    try:
        header = {key: _first(stream, key) for key in ("format", "schema_version")}
        _check_header(header)
        organisations = _bounded(stream, "organisations.item", MAX_ORGANISATIONS)
        interventions = _bounded(stream, "interventions.item", MAX_RECORDS)
    except (ijson.JSONError, UnicodeDecodeError, TooDeep):
        raise reject(_("Het JSON-bestand is ongeldig, onvolledig of te diep genest. Er is "
                       "niets opgeslagen.")) from None
    return organisations, interventions


def _first(stream: BinaryIO, key: str) -> Any:
    stream.seek(0)
    return next(items(stream, key), None)


def _bounded(stream: BinaryIO, prefix: str, limit: int) -> list[Any]:
    stream.seek(0)
    found = []
    for item in items(stream, prefix):
        found.append(item)
        if len(found) > limit:
            break
    return found


def _check_header(header: dict[str, Any]) -> None:
    if header["format"] != FORMAT:
        raise reject(_("Dit is geen uitwisselbestand van interventies: \"format\" moet "
                       "\"%(format)s\" zijn.", format=FORMAT), "format")
    if header["schema_version"] != SCHEMA_VERSION:
        raise reject(_("Schemaversie %(found)s wordt niet ondersteund; deze registry leest "
                       "versie %(version)s.", found=header["schema_version"],
                       version=SCHEMA_VERSION), "schema_version")
