"""Export the published catalogue in the interchange format, streamed in pages.

Only what the public pages show: published interventions with their published version,
published decisions and other clearinghouses' ratings; never drafts, assessments or
accounts. The order is fixed (slug; decisions by date), and nothing in the file depends
on the clock or on this registry's row ids, so the same catalogue gives the same file
in any registry it was imported into.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from importers.interventions.shape import description_of
from registry.extensions import db
from registry.models import (
    AgreedAppraisal,
    EvidenceDecision,
    ExternalRating,
    Intervention,
    InterventionStudy,
    InterventionVersion,
    Organisation,
)
from registry.models.intervention import version_providers
from registry.schemas.interchange import (
    FORMAT,
    SCHEMA_VERSION,
    InterventionRecordSchema,
    OrganisationRecordSchema,
)
from registry.services.catalogue import public_decisions

_PAGE = 200


def export_interventions() -> Iterator[str]:
    """The interchange file in pieces: header, organisations, then one intervention at a
    time."""
    yield json.dumps({"format": FORMAT, "schema_version": SCHEMA_VERSION})[:-1]
    yield ',\n "organisations": ['
    for index, organisation in enumerate(_organisations()):
        yield ("," if index else "") + "\n  " + _dumps(
            OrganisationRecordSchema().dump(organisation))
    yield '\n ],\n "interventions": ['
    schema = InterventionRecordSchema()
    for index, intervention in enumerate(_published()):
        yield ("," if index else "") + "\n  " + _dumps(
            schema.dump(intervention_record(intervention)))
    yield "\n ]\n}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _organisations() -> Iterator[dict[str, Any]]:
    """The organisations the published interventions name (owner or provider)."""
    published = select(Intervention.id).where(Intervention.published_version_id.is_not(None))
    owners = select(Intervention.owner_organisation_id).where(Intervention.id.in_(published))
    providers = select(version_providers.c.organisation_id).join(
        Intervention, Intervention.published_version_id == version_providers.c.version_id)
    rows = db.session.scalars(
        select(Organisation).where(Organisation.id.in_(owners.union(providers)))
        .order_by(Organisation.slug).options(selectinload(Organisation.sector)))
    for organisation in rows:
        yield {"slug": organisation.slug, "name": organisation.name, "kind": organisation.kind,
               "city": organisation.city, "website": organisation.website,
               "sector": organisation.sector.code if organisation.sector else None}


def _published() -> Iterator[Intervention]:
    """The published interventions a page at a time, with all a record shows loaded up
    front (a lazy load per intervention was 10,000 queries at 10k), in a session of their
    own that lets go of each page once written: memory stays flat however large the
    catalogue, also inside a request (whose session holds the signed-in user)."""
    last = ""
    # On the request's (or command's) own connection: the same transaction, so the same
    # view of the data, without the pages entering its session.
    with Session(bind=db.session.connection()) as session:
        while True:
            page = list(session.scalars(
                select(Intervention).where(Intervention.published_version_id.is_not(None),
                                           Intervention.slug > last)
                .order_by(Intervention.slug).limit(_PAGE).options(*_RECORD_LOADS)))
            if not page:
                return
            yield from page
            last = page[-1].slug
            session.expunge_all()


_RECORD_LOADS = (
    selectinload(Intervention.published_version).selectinload(InterventionVersion.tags),
    selectinload(Intervention.published_version).selectinload(InterventionVersion.providers),
    selectinload(Intervention.decisions).selectinload(EvidenceDecision.ratings),
    selectinload(Intervention.decisions).selectinload(EvidenceDecision.domain_ratings),
    selectinload(Intervention.decisions).selectinload(EvidenceDecision.study_appraisals)
    .selectinload(AgreedAppraisal.study),
    selectinload(Intervention.study_links).selectinload(InterventionStudy.study),
    selectinload(Intervention.external_ratings).selectinload(ExternalRating.source),
    selectinload(Intervention.owner),
)


def intervention_record(intervention: Intervention) -> dict[str, Any]:
    """One published intervention as an interchange record (before dumping)."""
    version = intervention.published_version
    record = description_of(intervention, version)
    record.update(slug=intervention.slug, published_at=version.published_at,
                  decisions=[_decision(d) for d in sorted(
                      public_decisions(intervention),
                      key=lambda d: (d.decided_on, d.published_at))],
                  studies=sorted((_study(link) for link in intervention.study_links),
                                 key=_study_order),
                  external_ratings=sorted((_rating(r) for r in intervention.external_ratings),
                                          key=lambda r: r["source"]))
    return record


def _decision(decision: EvidenceDecision) -> dict[str, Any]:
    values = {name: getattr(decision, name) for name in (
        "outcome", "level", "decided_on", "valid_until", "published_at", "expired_at",
        "superseded_at", "rationale", "conditions")}
    values["ratings"] = sorted(({"outcome_domain": r.outcome_domain.code, "level": r.level,
                                 "summary": r.summary} for r in decision.ratings),
                               key=lambda r: r["outcome_domain"])
    values["domain_ratings"] = sorted(
        ({"outcome_domain": r.outcome_domain.code, "horizon": r.horizon, "proposed": r.proposed,
          "decided": r.decided, "reason": r.reason} for r in decision.domain_ratings),
        key=lambda r: (r["outcome_domain"], r["horizon"]))
    values["study_appraisals"] = sorted(
        ({**_study_key(a.study), "rating": a.rating, "reason": a.reason}
         for a in decision.study_appraisals), key=_study_order)
    return values


def _study(link: InterventionStudy) -> dict[str, Any]:
    return {**_study_key(link.study), "relation": link.relation, "note": link.note}


def _study_key(study) -> dict[str, Any]:
    # The DOI or PMID finds the study in another registry; the title only without them.
    return {"doi": study.doi, "pmid": None if study.doi else study.pmid,
            "title": None if study.doi or study.pmid else study.title,
            "year": None if study.doi or study.pmid else study.year}


def _study_order(key: dict[str, Any]) -> tuple:
    return (key["doi"] or "", key["pmid"] or "", key["title"] or "", key.get("relation", ""))


def _rating(rating) -> dict[str, Any]:
    return {"source": rating.source.code, "label": rating.label, "rated_on": rating.rated_on,
            "url": rating.url}
