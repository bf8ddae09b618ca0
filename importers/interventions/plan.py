"""Check an interchange file against the registry and say what importing it would do.

Each record is new (an unknown slug), updated (the registry's record without procedure
work of its own, to which the file adds a description, decisions, study links or other
clearinghouses' ratings), unchanged, conflicting or invalid. A conflict is what an
import must not decide: the registry's own procedure on the intervention, or a decision
on record that the file leaves out or says differently (decisions are history). An
import commits only when no record is invalid or conflicting. Reads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from importers.interventions.csv_template import csv_column
from importers.interventions.lookups import Lookups, find_study
from importers.interventions.read import InterchangeFile
from importers.interventions.shape import (
    comparable,
    decision_key,
    decision_text,
    description_of,
)
from registry.errors import details_from_marshmallow
from registry.extensions import db
from registry.i18n import N_
from registry.models import AssessmentRound, Intervention, InterventionVersion
from registry.schemas.interchange import InterventionRecordSchema, OrganisationRecordSchema
from registry.services.catalogue import public_decisions

# Translated where they are used (in the reader's locale), so only marked here.
_STUDY_PROBLEMS = {
    "doi": N_("Geen studie met deze DOI in de registry; importeer de studie eerst."),
    "pmid": N_("Geen studie met deze PMID in de registry; importeer de studie eerst."),
    "title": N_("Geen studie met deze titel (en dit jaar) in de registry; importeer de "
                "studie eerst."),
    "ambiguous": N_("Meer dan één studie heeft deze titel; noem de DOI, de PMID of het jaar."),
}


@dataclass
class PlannedRecord:
    """One valid record and what importing it changes."""

    number: int
    slug: str
    action: str  # "new", "updated" or "unchanged"
    data: dict[str, Any]
    intervention_id: int | None = None
    description_changed: bool = False
    new_decisions: list[dict[str, Any]] = field(default_factory=list)
    new_links: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    new_ratings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class InterchangeReport:
    """The preview: what each record would do, and which records stop the import."""

    format: str
    file_name: str
    sha256: str
    total: int = 0
    planned: list[PlannedRecord] = field(default_factory=list)
    new_organisations: list[dict[str, Any]] = field(default_factory=list)
    conflicting: list[dict[str, Any]] = field(default_factory=list)
    invalid: list[dict[str, Any]] = field(default_factory=list)
    batch_id: int | None = None

    def of(self, action: str) -> list[PlannedRecord]:
        return [p for p in self.planned if p.action == action]

    @property
    def can_commit(self) -> bool:
        return not self.invalid and not self.conflicting

    @property
    def counts(self) -> dict[str, int]:
        return {"total": self.total, "new": len(self.of("new")),
                "updated": len(self.of("updated")), "unchanged": len(self.of("unchanged")),
                "conflicting": len(self.conflicting), "invalid": len(self.invalid)}


def plan_import(found: InterchangeFile, file_name: str) -> InterchangeReport:
    """What importing the file would do, record by record (reads only)."""
    report = InterchangeReport(found.format, file_name, found.sha256,
                               total=len(found.interventions))
    lookups = Lookups.load()
    slugs = _plan_organisations(found.organisations, lookups, report)
    schema = InterventionRecordSchema(tag_codes=lookups.codes, provider_slugs=slugs)
    seen: dict[str, int] = {}
    # One query for which slugs exist: a databank moving into an empty registry then
    # costs no query per record.
    known = set(db.session.scalars(select(Intervention.slug)))
    for position, raw in enumerate(found.interventions, start=1):
        number, record = raw if found.format == "csv" else (position, raw)
        problems, data = _checked(schema, record, lookups, seen, number)
        if problems:
            _invalid(report, number, record, problems)
        else:
            _classify(report, number, data, data["slug"] in known)
    return report


def _plan_organisations(raw: list[Any], lookups: Lookups, report: InterchangeReport) -> set[str]:
    slugs = set(lookups.organisations)
    for number, record in enumerate(raw, start=1):
        try:
            data = OrganisationRecordSchema().load(record if isinstance(record, dict) else {})
        except ValidationError as error:
            _invalid(report, number, record, details_from_marshmallow(error.messages),
                     kind="organisation")
            continue
        if data["sector"] is not None and not lookups.has("provider_sector", data["sector"]):
            _invalid(report, number, record, [_detail("sector", _("Onbekende code."))],
                     kind="organisation")
        elif data["slug"] not in slugs:
            slugs.add(data["slug"])
            report.new_organisations.append(data)
    return slugs


def _checked(schema, record: Any, lookups: Lookups, seen: dict[str, int],
             number: int) -> tuple[list[dict], dict[str, Any]]:
    if not isinstance(record, dict):
        return [_detail("record", _("Een record is een object met velden."))], {}
    try:
        data = schema.load(record)
    except ValidationError as error:
        return details_from_marshmallow(error.messages), {}
    problems = _reference_problems(data, lookups)
    if data["slug"] in seen:
        problems.append(_detail("slug", _("Deze slug staat ook in record %(number)s.",
                                          number=seen[data["slug"]])))
    seen.setdefault(data["slug"], number)
    return problems, data


def _reference_problems(data: dict[str, Any], lookups: Lookups) -> list[dict]:
    problems = []
    for index, decision in enumerate(data["decisions"]):
        for kind in ("ratings", "domain_ratings"):
            for inner, rating in enumerate(decision[kind]):
                if not lookups.has("outcome_domain", rating["outcome_domain"]):
                    problems.append(_detail(f"decisions.{index}.{kind}.{inner}.outcome_domain",
                                            _("Onbekend uitkomstdomein.")))
    sources: set[str] = set()
    for index, rating in enumerate(data["external_ratings"]):
        if not lookups.has("clearinghouse", rating["source"]):
            problems.append(_detail(f"external_ratings.{index}.source", _("Onbekende databank.")))
        elif rating["source"] in sources:
            problems.append(_detail(f"external_ratings.{index}.source",
                                    _("Deze databank staat er al bij.")))
        sources.add(rating["source"])
    for index, ref in enumerate(data["studies"]):
        problems += _found(ref, f"studies.{index}")
    linked = {ref["study_id"] for ref in data["studies"]}
    for index, decision in enumerate(data["decisions"]):
        appraised: set[int] = set()
        for inner, appraisal in enumerate(decision["study_appraisals"]):
            path = f"decisions.{index}.study_appraisals.{inner}"
            found = _found(appraisal, path)
            if not found and appraisal["study_id"] not in linked:
                found = [_detail(f"{path}.title", _(
                    "De commissie beoordeelde een studie die niet bij de studies van deze "
                    "interventie staat; noem haar ook onder 'studies'."))]
            elif not found and appraisal["study_id"] in appraised:
                found = [_detail(f"{path}.title", _("Deze studie is in dit besluit al "
                                                    "beoordeeld."))]
            appraised.add(appraisal["study_id"])
            problems += found
    return problems


def _found(ref: dict[str, Any], path: str) -> list[dict]:
    """Find the study a reference names (its id into ref["study_id"]); the problem if none."""
    study_id, missing = find_study(ref)
    ref["study_id"] = study_id
    if study_id is not None:
        return []
    name = "title" if missing == "ambiguous" else missing
    # The reference itself in the message: a CSV cell holds several, and its error names
    # the column only.
    return [_detail(f"{path}.{name}", f"{_(_STUDY_PROBLEMS[missing])} "
                                      f"({str(ref.get(name) or '')[:120]})")]


def _detail(name: str, message: str) -> dict[str, Any]:
    return {"field": name, "messages": [message]}


def _invalid(report: InterchangeReport, number: int, record: Any, problems: list[dict],
             kind: str = "intervention") -> None:
    slug = record.get("slug") if isinstance(record, dict) else None
    if report.format == "csv":
        problems = [{**p, "field": csv_column(p["field"])} for p in problems]
    report.invalid.append({"kind": kind, "number": number, "slug": slug if isinstance(
        slug, str) else None, "problems": problems})


def _classify(report: InterchangeReport, number: int, data: dict[str, Any],
              exists: bool) -> None:
    intervention = None if not exists else db.session.scalar(
        select(Intervention).where(Intervention.slug == data["slug"]).options(
            selectinload(Intervention.versions), selectinload(Intervention.decisions),
            selectinload(Intervention.study_links)))
    if intervention is None:
        report.planned.append(PlannedRecord(number, data["slug"], "new", data))
        return
    reasons = _conflicts(intervention, data)
    if reasons:
        report.conflicting.append({"number": number, "slug": data["slug"], "reasons": reasons})
        return
    planned = _changes(intervention, number, data)
    report.planned.append(planned)


def _conflicts(intervention: Intervention, data: dict[str, Any]) -> list[str]:
    reasons = []
    rounds = db.session.scalar(select(func.count()).select_from(AssessmentRound)
                               .where(AssessmentRound.intervention_id == intervention.id))
    pending = any(v.status in ("draft", "submitted") for v in intervention.versions) or any(
        d.published_at is None for d in intervention.decisions)
    if rounds or pending:
        reasons.append(_("In deze registry is de interventie in procedure (geweest); een "
                         "import overschrijft dat werk niet."))
    in_file = {decision_key(d): d for d in data["decisions"]}
    for decision in public_decisions(intervention):
        found = in_file.get(decision_key(decision))
        day = decision.decided_on.isoformat()
        if found is None:
            reasons.append(_("Het besluit van %(day)s staat in de registry maar niet in het "
                             "bestand; besluiten worden niet verwijderd.", day=day))
        elif decision_text(found) != decision_text(decision):
            reasons.append(_("Het besluit van %(day)s verschilt van dat in de registry "
                             "(onderbouwing, voorwaarden of geldigheid).", day=day))
    on_record = {r.source.code: r for r in intervention.external_ratings}
    for rating in data["external_ratings"]:
        known = on_record.get(rating["source"])
        if known is not None and (known.label, known.rated_on, known.url) != (
                rating["label"], rating["rated_on"], rating["url"]):
            reasons.append(_("Het oordeel van %(source)s verschilt van dat in de registry.",
                             source=known.source.label_nl))
    return reasons


def _changes(intervention: Intervention, number: int, data: dict[str, Any]) -> PlannedRecord:
    planned = PlannedRecord(number, data["slug"], "updated", data, intervention.id)
    version = intervention.published_version
    planned.description_changed = version is None or comparable(
        description_of(intervention, version)) != comparable(data)
    on_record = {decision_key(d) for d in public_decisions(intervention)}
    planned.new_decisions = [d for d in data["decisions"] if decision_key(d) not in on_record]
    linked = {link.study_id for link in intervention.study_links}
    planned.new_links = [(ref["study_id"], ref) for ref in data["studies"]
                         if ref["study_id"] not in linked]
    rated = {r.source.code for r in intervention.external_ratings}
    planned.new_ratings = [r for r in data["external_ratings"] if r["source"] not in rated]
    if not (planned.description_changed or planned.new_decisions or planned.new_links
            or planned.new_ratings):
        planned.action = "unchanged"
    return planned


def latest_version_number(intervention_id: int) -> int:
    """The highest version number the intervention has (0 when none)."""
    return db.session.scalar(select(func.max(InterventionVersion.number)).where(
        InterventionVersion.intervention_id == intervention_id)) or 0
