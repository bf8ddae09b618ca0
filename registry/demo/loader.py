"""Load the demo catalogue (registry/demo/data, format in FORMAT.md) into the database.

Loading is idempotent: records that exist (by slug, DOI or title + year) are left alone.
Functions flush and never commit; the CLI command commits once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from registry.demo.panel_work import agree_on_evidence
from registry.extensions import db
from registry.models import (
    EvidenceDecision,
    ExternalRating,
    Finding,
    Guide,
    GuideVersion,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    Organisation,
    OutcomeRating,
    PracticeExperience,
    Study,
    StudyAuthor,
    VocabularyTerm,
)
from registry.models.base import utcnow
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from registry.services.vocabularies import load_vocabularies

DATA_DIR = Path(__file__).resolve().parent / "data"

VERSION_FIELDS = (
    "title", "summary", "main_aim", "sub_aims", "target_group_text", "targets_household",
    "approach", "duration", "intensity", "setting_text", "active_elements", "ladder_rung_min",
    "ladder_rung_max", "cost_min_eur", "cost_max_eur", "cost_notes", "availability_text",
    "manual_and_materials", "implementation_conditions", "contact_name", "contact_email",
    "website", "year_started",
)  # fmt: skip
STUDY_FIELDS = (
    "title", "year", "journal", "publisher", "volume", "issue", "pages", "doi", "pmid", "url",
    "abstract", "language", "country", "keywords", "publication_type", "n_intervention",
    "n_comparison", "setting", "follow_up_months", "quality",
)  # fmt: skip
FINDING_FIELDS = (
    "measure", "time_point_months", "effect_size_type", "effect_size", "ci_lower", "ci_upper",
    "n_intervention", "n_comparison", "value_intervention", "value_comparison",
    "sd_intervention", "sd_comparison", "p_value", "direction", "lower_is_better",
    "counts_towards_rating", "notes",
)  # fmt: skip


class DemoDataError(ValueError):
    """A demo record refers to something that does not exist (names the record and field)."""


@dataclass
class LoadReport:
    organisations: int = 0
    interventions: int = 0
    studies: int = 0
    skipped: list[str] = field(default_factory=list)


class Lookup:
    """Vocabulary terms and organisations by code/slug, with errors that name the record."""

    def __init__(self) -> None:
        terms = db.session.scalars(select(VocabularyTerm))
        self.terms = {(t.vocabulary, t.code): t for t in terms}
        self.organisations = {o.slug: o for o in db.session.scalars(select(Organisation))}
        self.interventions = {i.slug: i for i in db.session.scalars(select(Intervention))}

    def term(self, vocabulary: str, code: str, where: str) -> VocabularyTerm:
        try:
            return self.terms[(vocabulary, code)]
        except KeyError:
            raise DemoDataError(f"{where}: unknown {vocabulary} code {code!r}") from None

    def organisation(self, slug: str, where: str) -> Organisation:
        try:
            return self.organisations[slug]
        except KeyError:
            raise DemoDataError(f"{where}: unknown organisation {slug!r}") from None


def _read(pattern: str, data_dir: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in sorted(data_dir.glob(pattern)):
        records.extend(json.loads(path.read_text(encoding="utf-8")))
    return records


def load_demo(data_dir: Path = DATA_DIR) -> LoadReport:
    """Load vocabularies, organisations, interventions and studies; skip what exists.

    Raises DemoDataError when a record names an unknown code, organisation or slug.
    """
    load_vocabularies()
    report = LoadReport()
    for record in _read("organisations.json", data_dir):
        report.organisations += _ensure_organisation(record)
    db.session.flush()
    lookup = Lookup()
    # One query per kind up front: per-record existence checks would autoflush each time.
    with db.session.no_autoflush:
        for record in _read("interventions-*.json", data_dir):
            if record["slug"] in lookup.interventions:
                report.skipped.append(record["slug"])
                continue
            lookup.interventions[record["slug"]] = create_intervention(record, lookup)
            report.interventions += 1
        known = _known_studies()
        for record in _read("studies-*.json", data_dir):
            if _study_identity(record) & known:
                report.skipped.append(record["key"])
                continue
            create_study(record, lookup)
            known |= _study_identity(record)
            report.studies += 1
    db.session.flush()
    agree_on_evidence(lookup.interventions.values())
    db.session.flush()
    _load_guides(data_dir, lookup)
    _load_experiences(data_dir, lookup)
    return report


def _load_guides(data_dir: Path, lookup: Lookup) -> None:
    """The demo werkwijzers (guides.json), by slug; interventions named by slug."""
    path = data_dir / "guides.json"
    if not path.exists():
        return
    known = set(db.session.scalars(select(Guide.slug)))
    for record in json.loads(path.read_text(encoding="utf-8")):
        if record["slug"] in known:
            continue
        where = f"guide {record['slug']}"
        ids = []
        for slug in record["interventions"]:
            if slug not in lookup.interventions:
                raise DemoDataError(f"{where}: unknown intervention {slug!r}")
            ids.append(lookup.interventions[slug].id)
        for pair in record["facets"] + [f"phase:{record['phase']}"]:
            lookup.term(*pair.split(":", 1), where)
        guide = Guide(slug=record["slug"])
        guide.versions.append(GuideVersion(
            number=1, title=record["title"], phase=record["phase"], body=record["body"],
            facets=record["facets"], intervention_ids=ids))
        db.session.add(guide)
    db.session.flush()


def _load_experiences(data_dir: Path, lookup: Lookup) -> None:
    """The demo practice experiences (experiences.json), published; interventions by
    slug, municipalities by CBS code. Skipped for an intervention that has some."""
    path = data_dir / "experiences.json"
    if not path.exists():
        return
    done = set(db.session.scalars(select(PracticeExperience.intervention_id)))
    for number, record in enumerate(json.loads(path.read_text(encoding="utf-8")), 1):
        where = f"experience {number}"
        intervention = lookup.interventions.get(record["intervention"])
        if intervention is None:
            raise DemoDataError(f"{where}: unknown intervention {record['intervention']!r}")
        if intervention.id in done:
            continue
        fields = {k: v for k, v in record.items() if k not in ("intervention", "municipality")}
        for key in ("started_on", "ended_on"):
            fields[key] = date.fromisoformat(fields[key]) if fields[key] else None
        db.session.add(PracticeExperience(
            intervention_id=intervention.id, status="published", moderated_at=utcnow(),
            municipality=lookup.term("municipality", record["municipality"], where),
            **fields))
    db.session.flush()


def _exists(model, **criteria) -> bool:
    return db.session.scalar(select(model.id).filter_by(**criteria)) is not None


def _known_studies() -> set[tuple]:
    rows = db.session.execute(select(Study.doi, Study.title, Study.year))
    return {("doi", doi) if doi else ("title", title, year) for doi, title, year in rows}


def _study_identity(record: dict[str, Any]) -> set[tuple]:
    if record.get("doi"):
        return {("doi", record["doi"].lower())}
    return {("title", record["title"], record["year"])}


def _ensure_organisation(record: dict[str, Any]) -> int:
    if _exists(Organisation, slug=record["slug"]):
        return 0
    sector = db.session.scalars(
        select(VocabularyTerm).filter_by(vocabulary="provider_sector", code=record["sector"])
    ).one()
    fields = {k: record[k] for k in ("slug", "name", "kind", "city", "website")}
    db.session.add(Organisation(sector=sector, **fields))
    return 1


def create_intervention(record: dict[str, Any], lookup: Lookup) -> Intervention:
    """Create an intervention with its versions, tags, providers and decisions."""
    where = f"intervention {record['slug']}"
    intervention = Intervention(
        slug=record["slug"], owner=lookup.organisation(record["owner"], where)
    )
    db.session.add(intervention)
    published_on = _first_publication(record)
    earlier = record.get("earlier_version")
    if earlier:
        old = _new_version({**record, **earlier}, 1, "superseded", lookup, where)
        old.published_at = published_on
        intervention.versions.append(old)
    current = _new_version(record, 2 if earlier else 1, "published", lookup, where)
    current.published_at = published_on
    intervention.versions.append(current)
    db.session.flush()
    intervention.published_version = current
    for decision_record in record.get("decisions", []):
        decision = _new_decision(decision_record, intervention, current, lookup, where)
        if intervention.current_decision is not None:
            intervention.current_decision.superseded_at = decision.published_at
        intervention.current_decision = decision
    for rating in record.get("external_ratings", []):
        intervention.external_ratings.append(ExternalRating(
            source=lookup.term("clearinghouse", rating["source"], where), label=rating["label"],
            rated_on=date.fromisoformat(rating["rated_on"]) if rating.get("rated_on") else None,
            url=rating.get("url")))
    return intervention


def _first_publication(record: dict[str, Any]) -> datetime:
    decisions = record.get("decisions") or []
    if decisions:
        return _at_noon(date.fromisoformat(decisions[0]["decided_on"]))
    return datetime(record.get("year_started") or 2020, 1, 15, 12, tzinfo=UTC)


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _new_version(record, number, status, lookup: Lookup, where) -> InterventionVersion:
    version = InterventionVersion(
        number=number, status=status, **{name: record.get(name) for name in VERSION_FIELDS}
    )
    for vocabulary, codes in record.get("tags", {}).items():
        if vocabulary not in INTERVENTION_TAG_VOCABULARIES:
            raise DemoDataError(f"{where}: {vocabulary!r} is not a tag vocabulary")
        version.tags.extend(lookup.term(vocabulary, code, where) for code in codes)
    version.providers.extend(
        lookup.organisation(slug, where) for slug in record.get("providers", [])
    )
    return version


def _new_decision(record, intervention, version, lookup: Lookup, where) -> EvidenceDecision:
    decided_on = date.fromisoformat(record["decided_on"])
    valid_until = date.fromisoformat(record["valid_until"]) if record.get("valid_until") else None
    decision = EvidenceDecision(
        intervention=intervention,
        version_id=version.id,
        outcome=record["outcome"],
        level=record.get("level"),
        decided_on=decided_on,
        valid_until=valid_until,
        published_at=_at_noon(decided_on),
        expired_at=_at_noon(valid_until) if record.get("expired") and valid_until else None,
        rationale=record["rationale"],
        conditions=record.get("conditions"),
    )
    for rating in record.get("ratings", []):
        domain = lookup.term("outcome_domain", rating["outcome_domain"], where)
        decision.ratings.append(
            OutcomeRating(
                outcome_domain=domain, level=rating["level"], summary=rating.get("summary")
            )
        )
    db.session.add(decision)
    db.session.flush()
    return decision


def create_study(record: dict[str, Any], lookup: Lookup) -> Study:
    """Create a study with authors, findings and links to existing interventions."""
    where = f"study {record.get('key', record['title'][:40])}"
    study = Study(**{name: record.get(name) for name in STUDY_FIELDS})
    study.doi = study.doi.lower() if study.doi else None
    if record.get("design"):
        study.design = lookup.term("study_design", record["design"], where)
    for position, author in enumerate(record.get("authors", []), start=1):
        study.authors.append(
            StudyAuthor(
                position=position,
                family_name=author["family"],
                particle=author.get("particle"),
                given_names=author.get("given"),
            )
        )
    for finding in record.get("findings", []):
        domain = lookup.term("outcome_domain", finding["outcome_domain"], where)
        fields = {name: finding.get(name) for name in FINDING_FIELDS}
        if fields["counts_towards_rating"] is None:
            fields["counts_towards_rating"] = True
        study.findings.append(Finding(outcome_domain=domain, **fields))
    db.session.add(study)
    _link_interventions(study, record.get("interventions", []), lookup, where)
    return study


def _link_interventions(study: Study, links: list[dict[str, str]], lookup: Lookup, where) -> None:
    for item in links:
        intervention = lookup.interventions.get(item["slug"])
        if intervention is None:
            raise DemoDataError(f"{where}: unknown intervention {item['slug']!r}")
        study.intervention_links.append(
            InterventionStudy(intervention=intervention, relation=item.get("relation", "effect"))
        )
