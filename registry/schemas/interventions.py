"""Interventions: the list item and the detail of a published intervention.

Both dump an Intervention but read its published version: what the public sees is that
version, so version fields are plain and identity fields come through `intervention`.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields, pre_dump

from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from registry.schemas.common import (
    ComputedList,
    ComputedNested,
    ComputedString,
    LinksSchema,
    TermRefSchema,
    UtcDateTime,
    dutch_label,
)
from registry.schemas.crosswalk import ExternalRatingOutSchema
from registry.schemas.pagination import PageQuerySchema, PageSchema, sort_field
from registry.schemas.studies import StudySummarySchema
from registry.services.catalogue import INTERVENTION_SORTS, public_decisions, public_status


class InterventionQuerySchema(PageQuerySchema):
    sort = sort_field(INTERVENTION_SORTS, default="title")


class TagGroups(fields.Dict):
    """Tags grouped per vocabulary in term order; every tag vocabulary is present."""

    def __init__(self, **kwargs: Any):
        super().__init__(
            keys=fields.String(), values=fields.List(fields.Nested(TermRefSchema)), **kwargs
        )

    def _serialize(self, value, attr, obj, **kwargs):
        groups: dict[str, list] = {name: [] for name in INTERVENTION_TAG_VOCABULARIES}
        for term in sorted(value or (), key=lambda t: (t.position, t.code)):
            groups.setdefault(term.vocabulary, []).append(term)
        return super()._serialize(groups, attr, obj, **kwargs)


def _status(version) -> str:
    return public_status(version.intervention)


def _intervention_links(version) -> dict[str, str]:
    slug = version.intervention.slug
    return {"self": url_for("api.get_intervention", slug=slug, _external=True)}


class OrganisationSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    city = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    sector = fields.Nested(TermRefSchema, allow_none=True)


class OutcomeRatingSchema(Schema):
    """The panel's judgement of the evidence on one outcome domain."""

    outcome_domain = fields.Nested(TermRefSchema, required=True)
    level = fields.String(required=True)
    level_label = ComputedString(getter=lambda rating: dutch_label(rating.level))
    summary = fields.String(allow_none=True)


class DecisionSchema(Schema):
    """A published decision of the panel."""

    status = fields.String(
        attribute="public_status", metadata={"description": "outcome, or expired once lapsed"}
    )
    status_label = ComputedString(getter=lambda decision: dutch_label(decision.public_status))
    outcome = fields.String(required=True)
    level = fields.String(allow_none=True)
    decided_on = fields.Date(required=True)
    valid_until = fields.Date(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    expired_at = UtcDateTime(allow_none=True)
    rationale = fields.String(required=True)
    conditions = fields.String(allow_none=True)
    ratings = fields.List(fields.Nested(OutcomeRatingSchema))


class LinkedStudySchema(Schema):
    """A study an intervention rests on, with how it relates."""

    relation = fields.String(required=True, metadata={"description": "effect, process, ..."})
    note = fields.String(allow_none=True)
    study = fields.Nested(StudySummarySchema, required=True)


class InterventionListItemSchema(Schema):
    """A published intervention in a list."""

    slug = fields.String(attribute="intervention.slug", required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    status = ComputedString(getter=_status, metadata={"description": "public status code"})
    status_label = ComputedString(getter=lambda version: dutch_label(_status(version)))
    ladder_rung_min = fields.Integer(required=True)
    ladder_rung_max = fields.Integer(required=True)
    tags = TagGroups()
    links = ComputedNested(LinksSchema, getter=_intervention_links)

    @pre_dump
    def _published_version(self, intervention, **kwargs: Any):
        return intervention.published_version


class InterventionDetailSchema(InterventionListItemSchema):
    """Every field of the published version, with its decisions and studies."""

    version = fields.Integer(attribute="number", required=True)
    published_at = UtcDateTime(allow_none=True)
    main_aim = fields.String(required=True)
    sub_aims = fields.List(fields.String())
    target_group_text = fields.String(required=True)
    targets_household = fields.Boolean(required=True)
    approach = fields.String(required=True)
    duration = fields.String(allow_none=True)
    intensity = fields.String(allow_none=True)
    setting_text = fields.String(allow_none=True)
    active_elements = fields.List(fields.String())
    cost_min_eur = fields.Integer(allow_none=True)
    cost_max_eur = fields.Integer(allow_none=True)
    cost_notes = fields.String(allow_none=True)
    availability_text = fields.String(allow_none=True)
    manual_and_materials = fields.String(allow_none=True)
    implementation_conditions = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    year_started = fields.Integer(allow_none=True)
    owner = fields.Nested(OrganisationSchema, attribute="intervention.owner", allow_none=True)
    providers = fields.List(fields.Nested(OrganisationSchema))
    current_decision = fields.Nested(
        DecisionSchema, attribute="intervention.current_decision", allow_none=True
    )
    decisions = ComputedList(
        fields.Nested(DecisionSchema),
        getter=lambda version: public_decisions(version.intervention),
        metadata={"description": "Published decisions, newest first."},
    )
    studies = fields.List(fields.Nested(LinkedStudySchema), attribute="intervention.study_links")
    external_ratings = fields.List(
        fields.Nested(ExternalRatingOutSchema), attribute="intervention.external_ratings",
        metadata={"description": "How other clearinghouses rated it, on their own scales."})


class InterventionPageSchema(PageSchema):
    items = fields.List(fields.Nested(InterventionListItemSchema), required=True)
