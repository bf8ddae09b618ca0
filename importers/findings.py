"""Findings in bulk from CSV: every row is checked before any is written (all or none).

Header (README, Import): study, outcome_domain, measure, time_point_months,
effect_size_type, effect_size, ci_lower, ci_upper, n_intervention, n_comparison,
value_intervention, value_comparison (means, or proportions 0–1), sd_intervention,
sd_comparison, p_value, direction, lower_is_better (true when less of the measure is
better), counts_towards_rating, notes. `study` is a DOI, "pmid:<n>" or "id:<n>". A row
equal to a finding the study already has (same outcome, measure, time point and effect
size type) is skipped, so importing a file twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import insert, select

from importers.csv_format import rows
from importers.normalise import normalise_doi, normalise_pmid
from importers.pipeline import file_sha256, load_lookups
from importers.validate import _flatten
from registry.extensions import db
from registry.models import (
    AssessmentRound,
    Finding,
    ImportBatch,
    ImportBatchItem,
    InterventionStudy,
    InterventionVersion,
    Study,
)
from registry.schemas.common import whole_number
from registry.schemas.studies import FindingSchema
from registry.search.changes import record_studies_written

COLUMNS = (
    "study", "outcome_domain", "measure", "time_point_months", "effect_size_type",
    "effect_size", "ci_lower", "ci_upper", "n_intervention", "n_comparison",
    "value_intervention", "value_comparison", "sd_intervention", "sd_comparison", "p_value",
    "direction", "lower_is_better", "counts_towards_rating", "notes",
)  # fmt: skip
ALIASES = {"studie": "study", "uitkomstdomein": "outcome_domain", "maat": "measure",
           "richting": "direction", "lager_is_beter": "lower_is_better"}
_SCHEMA = FindingSchema()


@dataclass
class FindingsReport:
    file_name: str
    rows: int = 0
    added: int = 0
    skipped: int = 0
    batch_id: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


def find_study_id(key: str) -> int | None:
    """The study a key names: "id:12", "pmid:123", or a DOI (with or without resolver)."""
    key = key.strip()
    kind, _colon, value = key.partition(":")
    if kind.lower() == "id":
        number = whole_number(value)
        return None if number is None else db.session.scalar(
            select(Study.id).where(Study.id == number))
    if kind.lower() == "pmid":
        return db.session.scalar(select(Study.id).where(Study.pmid == normalise_pmid(value)))
    doi = normalise_doi(key)
    return db.session.scalar(select(Study.id).where(Study.doi == doi)) if doi else None


def _check_row(line: int, cells: dict[str, str], domains: dict[str, int], report) -> dict | None:
    data = {k: v.strip() for k, v in cells.items() if k != "study" and v and v.strip()}
    errors = []
    study_id = find_study_id(cells.get("study") or "")
    if study_id is None:
        errors.append(("study", _("Geen studie gevonden bij '%(key)s'.",
                                  key=(cells.get("study") or "")[:80])))
    elif (assessed := _under_assessment(study_id)) is not None:
        errors.append(("study", _(
            "Deze studie hoort bij '%(title)s', die het panel nu beoordeelt; voeg haar "
            "bevindingen toe als de ronde is afgerond.", title=assessed)))
    try:
        values = _SCHEMA.load(data)
    except ValidationError as error:
        errors += _flatten(error.messages)
        values = None
    # Every problem of a row at once: the domain is checked also when another field failed.
    domain = values["outcome_domain"] if values else _domain_code(data.get("outcome_domain"))
    if domain is not None and domain not in domains:
        errors.append(("outcome_domain", _("Onbekend uitkomstdomein '%(code)s'.",
                                           code=domain)))
    report.errors += [{"line": line, "field": f, "message": m} for f, m in errors]
    if errors:
        return None
    outcome = domains[values.pop("outcome_domain")]
    return {**values, "study_id": study_id, "outcome_domain_id": outcome}


def _domain_code(cell: str | None) -> str | None:
    """The cell's outcome domain code as the schema reads it; None when it has none, or
    one the schema refuses (its own error says so)."""
    if not cell:
        return None
    try:
        return _SCHEMA.fields["outcome_domain"].deserialize(cell)
    except ValidationError:
        return None


# From the panel's assessments to the decision: findings added meanwhile became
# criteria nobody scored, or changed the suggested level, and were published under a
# decision that did not weigh them.
ASSESSING = ("in_review", "in_discussion", "decided")


def _under_assessment(study_id: int) -> str | None:
    """The title of an intervention this study is linked to whose panel is at work."""
    return db.session.scalar(
        select(InterventionVersion.title)
        .join(AssessmentRound, AssessmentRound.version_id == InterventionVersion.id)
        .join(InterventionStudy,
              InterventionStudy.intervention_id == AssessmentRound.intervention_id)
        .where(InterventionStudy.study_id == study_id, AssessmentRound.state.in_(ASSESSING))
        .limit(1))


def _exists(row: dict) -> bool:
    return db.session.scalar(select(Finding.id).where(
        Finding.study_id == row["study_id"], Finding.outcome_domain_id == row["outcome_domain_id"],
        Finding.measure == row["measure"],
        Finding.time_point_months.is_(None) if row.get("time_point_months") is None
        else Finding.time_point_months == row["time_point_months"],
        Finding.effect_size_type.is_(None) if row.get("effect_size_type") is None
        else Finding.effect_size_type == row["effect_size_type"],
    ).limit(1)) is not None


def import_findings(stream: BinaryIO, file_name: str, *, commit: bool,
                    user_id: int | None = None, channel: str = "cli") -> FindingsReport:
    """Check every row; when all are valid and commit is set, add them in one batch.

    Raises ImportRejected for an unreadable file or header. Row errors go in the report,
    and then nothing is written. Flushes, never commits.
    """
    sha = file_sha256(stream)
    domains = load_lookups().outcome_domains
    report = FindingsReport(file_name=file_name)
    checked = []
    for line, cells in rows(stream, COLUMNS, ALIASES):
        report.rows += 1
        row = _check_row(line, cells, domains, report)
        if row is not None:
            checked.append((line, row))
    if report.errors or not commit:
        return report
    _write(checked, report, sha, user_id, channel)
    return report


def _write(checked: list, report: FindingsReport, sha: str, user_id, channel: str) -> None:
    batch = ImportBatch(kind="findings", format="csv", file_name=report.file_name[:255],
                        file_sha256=sha, created_by_id=user_id, channel=channel)
    db.session.add(batch)
    db.session.flush()
    for line, row in checked:
        if _exists(row):
            report.skipped += 1
            continue
        finding_id = db.session.scalar(insert(Finding).returning(Finding.id), row)
        db.session.add(ImportBatchItem(batch=batch, record_number=line, action="added_finding",
                                       study_id=row["study_id"], finding_ids=[finding_id]))
        report.added += 1
    # Core inserts: the listeners do not see them, and the studies' outcome domains are in
    # their interventions' search documents.
    record_studies_written(db.session, {row["study_id"] for _line, row in checked})
    batch.counts = {"rows": report.rows, "added": report.added, "skipped": report.skipped}
    report.batch_id = batch.id
    db.session.flush()
