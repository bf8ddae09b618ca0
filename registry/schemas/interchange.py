"""The intervention interchange format (docs/interchange.md): one file of organisations
and published interventions with their tags, decisions, study links and other
clearinghouses' ratings, for moving a databank into the registry and out again.

The description fields are the procedure's own (VersionInputSchema), so an imported
description obeys the same rules as one typed into the form; a published record must
also hold what a submission needs.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from registry.effects.appraisal import RATINGS as APPRAISAL_RATINGS
from registry.effects.domains import HORIZONS
from registry.effects.domains import RATINGS as DOMAIN_RATINGS
from registry.evidence import RECOGNISED_LEVELS
from registry.models.organisation import ORGANISATION_KINDS
from registry.models.study import STUDY_RELATIONS
from registry.schemas.common import UtcDateTime
from registry.schemas.crosswalk import ExternalRatingInputSchema
from registry.schemas.dutch import DutchSchema
from registry.schemas.procedure import OUTCOMES, VersionInputSchema

FORMAT = "interventies-naar-werk/interventions"
SCHEMA_VERSION = 1
MAX_LIST = 500  # decisions, links, ratings per intervention: bounds one record's cost
_CODE = validate.Length(min=1, max=60)
_SLUG = validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                        error=_l("Gebruik kleine letters, cijfers en koppeltekens."))


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("Dit veld is verplicht."))


class OrganisationRecordSchema(DutchSchema):
    slug = fields.String(required=True, validate=[validate.Length(min=1, max=120), _SLUG])
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(load_default="provider", validate=validate.OneOf(ORGANISATION_KINDS))
    city = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    website = fields.Url(load_default=None, allow_none=True, validate=validate.Length(max=500))
    sector = fields.String(load_default=None, allow_none=True, validate=_CODE)


class OutcomeRatingRecordSchema(DutchSchema):
    outcome_domain = fields.String(required=True, validate=_CODE)
    level = fields.String(required=True, validate=validate.OneOf(
        RECOGNISED_LEVELS + ("not_recognised",)))
    summary = fields.String(load_default=None, allow_none=True)


class DomainRatingRecordSchema(DutchSchema):
    outcome_domain = fields.String(required=True, validate=_CODE)
    horizon = fields.String(required=True, validate=validate.OneOf(HORIZONS))
    proposed = fields.String(required=True, validate=validate.OneOf(DOMAIN_RATINGS))
    decided = fields.String(required=True, validate=validate.OneOf(DOMAIN_RATINGS))
    reason = fields.String(load_default=None, allow_none=True)


class StudyKeySchema(DutchSchema):
    """A study in the registry, found by DOI, else PMID, else title and year."""

    doi = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))
    pmid = fields.String(load_default=None, allow_none=True,
                         validate=validate.Regexp(r"^\d{1,12}$", error=_l("Geef alleen cijfers.")))
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    year = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1800, 2100))

    @validates_schema
    def _something_to_find_it_by(self, data, **kwargs) -> None:
        if not (data.get("doi") or data.get("pmid") or data.get("title")):
            raise ValidationError(_("Noem de studie met een DOI, een PMID of een titel."),
                                  "title")


class StudyRefSchema(StudyKeySchema):
    """A study the intervention rests on."""

    relation = fields.String(load_default="effect", validate=validate.OneOf(STUDY_RELATIONS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class StudyAppraisalRecordSchema(StudyKeySchema):
    """The panel's agreed rating of one of the intervention's studies in a decision."""

    rating = fields.String(required=True, validate=validate.OneOf(APPRAISAL_RATINGS))
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=5000))


class DecisionRecordSchema(DutchSchema):
    """A published decision. Without published_at it counts as published at noon (UTC)
    on decided_on; superseded_at is filled in for every decision a later one follows."""

    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    level = fields.String(load_default=None, allow_none=True,
                          validate=validate.OneOf(RECOGNISED_LEVELS))
    decided_on = fields.Date(required=True)
    valid_until = fields.Date(load_default=None, allow_none=True)
    published_at = UtcDateTime(load_default=None, allow_none=True)
    expired_at = UtcDateTime(load_default=None, allow_none=True)
    superseded_at = UtcDateTime(load_default=None, allow_none=True)
    rationale = fields.String(required=True,
                              validate=[validate.Length(min=1, max=20000), _not_blank])
    conditions = fields.String(load_default=None, allow_none=True,
                               validate=validate.Length(max=10000))
    ratings = fields.List(fields.Nested(OutcomeRatingRecordSchema), load_default=list,
                          validate=validate.Length(max=MAX_LIST))
    domain_ratings = fields.List(fields.Nested(DomainRatingRecordSchema), load_default=list,
                                 validate=validate.Length(max=MAX_LIST))
    study_appraisals = fields.List(fields.Nested(StudyAppraisalRecordSchema),
                                   load_default=list, validate=validate.Length(max=MAX_LIST))

    @validates_schema
    def _level_fits_outcome(self, data, **kwargs) -> None:
        outcome, level = data.get("outcome"), data.get("level")
        if outcome == "not_recognised" and level:
            raise ValidationError(_("Een besluit 'niet erkend' heeft geen niveau."), "level")
        if outcome == "provisional" and not level:
            raise ValidationError(_("Een besluit onder voorbehoud noemt het niveau waar de "
                                    "voorwaarden toe leiden."), "level")
        if outcome in RECOGNISED_LEVELS and level not in (None, outcome):
            raise ValidationError(_("Het niveau moet gelijk zijn aan de uitkomst."), "level")
        if outcome == "provisional" and not data.get("conditions"):
            raise ValidationError(_("Een besluit onder voorbehoud heeft voorwaarden."),
                                  "conditions")

    @post_load
    def _defaults(self, data, **kwargs):
        if data["outcome"] in RECOGNISED_LEVELS:
            data["level"] = data["outcome"]
        if data.get("published_at") is None:
            data["published_at"] = datetime.combine(data["decided_on"], time(12), tzinfo=UTC)
        return data

    @validates_schema
    def _valid_after_decided(self, data, **kwargs) -> None:
        decided, until = data.get("decided_on"), data.get("valid_until")
        if decided and until and until <= decided:
            raise ValidationError(_("Geldig tot moet na de besluitdatum liggen."), "valid_until")


class InterventionRecordSchema(VersionInputSchema):
    """One published intervention. Tags and providers are checked against the
    vocabularies and organisations passed in (VersionInputSchema)."""

    class Meta:
        exclude = ("lock_version",)

    slug = fields.String(required=True, validate=[validate.Length(min=1, max=160), _SLUG])
    owner = fields.String(load_default=None, allow_none=True)
    published_at = UtcDateTime(load_default=None, allow_none=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=6000))
    main_aim = fields.String(required=True, validate=validate.Length(min=1))
    target_group_text = fields.String(required=True, validate=validate.Length(min=1))
    approach = fields.String(required=True, validate=validate.Length(min=1))
    decisions = fields.List(fields.Nested(DecisionRecordSchema), load_default=list,
                            validate=validate.Length(max=MAX_LIST))
    studies = fields.List(fields.Nested(StudyRefSchema), load_default=list,
                          validate=validate.Length(max=MAX_LIST))
    external_ratings = fields.List(fields.Nested(ExternalRatingInputSchema),
                                   load_default=list, validate=validate.Length(max=MAX_LIST))

    @validates_schema(skip_on_field_errors=True)
    def _known_owner(self, data, **kwargs) -> None:
        owner = data.get("owner")
        if owner is not None and owner not in self.provider_slugs:
            raise ValidationError(_("Onbekende organisatie: %(slugs)s.", slugs=owner), "owner")
