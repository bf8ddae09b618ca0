"""Preview and import an interchange file: the two steps every channel (command line,
admin page) takes. Flushes, never commits."""

from __future__ import annotations

from typing import BinaryIO

from importers.interventions.plan import InterchangeReport, plan_import
from importers.interventions.read import read_file
from importers.interventions.write import commit_plan


def preview_interventions(stream: BinaryIO, file_name: str) -> InterchangeReport:
    """What importing the file would do. Raises ImportRejected for an unreadable file."""
    return plan_import(read_file(stream, file_name), file_name)


def import_interventions(stream: BinaryIO, file_name: str, user, channel: str
                         ) -> InterchangeReport:
    """Import the file as one batch. Raises ImportRejected for an unreadable file or
    when a record is invalid or conflicting (then nothing is written)."""
    report = preview_interventions(stream, file_name)
    commit_plan(report, user, channel)
    return report
