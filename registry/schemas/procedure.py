"""Input schemas of the assessment procedure: intervention descriptions, screening,
assessments, decisions. HTML forms and the API load through the same schemas."""

from __future__ import annotations

from collections.abc import Mapping, Set

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import (
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from registry.effects.appraisal import RATINGS as APPRAISAL_RATINGS
from registry.effects.domains import HORIZONS
from registry.effects.domains import RATINGS as DOMAIN_RATINGS
from registry.evidence import RECOGNISED_LEVELS
from registry.models.procedure import SCREENING_CRITERIA
from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from registry.schemas.appraisal import AppraisalOutSchema, appraisals_field
from registry.schemas.common import MAX_INTEGER, UtcDateTime
from registry.schemas.dutch import DutchSchema, not_blank

PROPOSALS = RECOGNISED_LEVELS + ("not_recognised",)
OUTCOMES = RECOGNISED_LEVELS + ("not_recognised", "provisional")

_LIST_FIELDS = ("sub_aims", "active_elements")
# Relationships of a version, saved apart from its columns (models' VERSION_FIELDS).
RELATION_FIELDS = ("tags", "providers")


def _text(max_length: int | None = None, required: bool = False) -> fields.String:
    checks = [validate.Length(max=max_length)] if max_length else []
    if required:
        return fields.String(required=True, validate=[not_blank, *checks])
    return fields.String(load_default=None, allow_none=True, validate=checks)


class VersionInputSchema(DutchSchema):
    """Every field of an intervention description an owner writes.

    `tag_codes` (vocabulary → its active codes) and `provider_slugs` (existing
    organisations) come from the database; without them every tag and provider is refused.
    """

    lock_version = fields.Integer(load_default=None, allow_none=True)
    # Only the title is needed to save a draft; what a submission needs is checked when
    # submitting (InterventionVersion.missing_for_submission).
    title = _text(300, required=True)
    summary = _text(6000)
    main_aim = _text()
    sub_aims = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    target_group_text = _text()
    targets_household = fields.Boolean(load_default=False)
    approach = _text()
    duration = _text(300)
    intensity = _text(300)
    setting_text = _text(500)
    active_elements = fields.List(
        fields.String(validate=validate.Length(min=1)), load_default=list
    )
    ladder_rung_min = fields.Integer(load_default=1, validate=validate.Range(1, 6))
    ladder_rung_max = fields.Integer(load_default=6, validate=validate.Range(1, 6))
    cost_min_eur = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(0, MAX_INTEGER)
    )
    cost_max_eur = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(0, MAX_INTEGER)
    )
    cost_notes = _text()
    availability_text = _text()
    manual_and_materials = _text()
    implementation_conditions = _text()
    contact_name = _text(200)
    contact_email = fields.Email(load_default=None, allow_none=True,
                                 validate=validate.Length(max=254))
    contact_phone = _text(40)
    website = fields.Url(load_default=None, allow_none=True, validate=validate.Length(max=500))
    year_started = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(1900, 2100)
    )
    # Vocabulary → codes, e.g. {"barrier": ["debts"]}; providers by organisation slug.
    tags = fields.Dict(
        keys=fields.String(validate=validate.OneOf(
            INTERVENTION_TAG_VOCABULARIES, error=_l("Onbekende woordenlijst."))),
        values=fields.List(fields.String()),
        load_default=dict,
    )
    providers = fields.List(fields.String(), load_default=list)

    def __init__(
        self,
        *,
        tag_codes: Mapping[str, Set[str]] | None = None,
        provider_slugs: Set[str] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.tag_codes = tag_codes or {}
        self.provider_slugs = provider_slugs or set()

    @pre_load
    def split_lines(self, data, **kwargs):
        # A textarea gives one item per line; the API may send a list.
        data = dict(data)
        for name in _LIST_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = [line.strip() for line in data[name].splitlines() if line.strip()]
        return data

    @validates_schema
    def ranges(self, data, **kwargs):
        if data.get("ladder_rung_min", 1) > data.get("ladder_rung_max", 6):
            raise ValidationError(_("De laagste trede mag niet hoger zijn dan de hoogste."),
                                  "ladder_rung_max")
        low, high = data.get("cost_min_eur"), data.get("cost_max_eur")
        if low is not None and high is not None and low > high:
            raise ValidationError(_("De minimale kosten zijn hoger dan de maximale."),
                                  "cost_max_eur")

    @validates_schema(skip_on_field_errors=True)
    def known_tags_and_providers(self, data, **kwargs):
        errors: dict = {}
        for vocabulary, codes in data.get("tags", {}).items():
            unknown = sorted(set(codes) - set(self.tag_codes.get(vocabulary, ())))
            if unknown:
                errors.setdefault("tags", {})[vocabulary] = [
                    _("Onbekende code: %(codes)s.", codes=", ".join(unknown))
                ]
        unknown = sorted(set(data.get("providers", [])) - set(self.provider_slugs))
        if unknown:
            errors["providers"] = [
                _("Onbekende organisatie: %(slugs)s.", slugs=", ".join(unknown))
            ]
        if errors:
            raise ValidationError(errors)


class DescriptionInputSchema(VersionInputSchema):
    """A description sent to the API: lock_version is required there, since no form
    carries it along (the API loads with VersionInputSchema and checks it itself)."""

    lock_version = fields.Integer(required=True)


class ScreeningSchema(DutchSchema):
    checklist = fields.List(
        fields.String(validate=validate.OneOf(SCREENING_CRITERIA)), load_default=list
    )
    remarks = _text(10000)
    outcome = fields.String(required=True, validate=validate.OneOf(("returned", "accepted")))


class AssessmentInputSchema(DutchSchema):
    scores = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=60)),
        values=fields.Integer(validate=validate.Range(1, 4)),
        load_default=dict,
    )
    proposed_level = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(PROPOSALS)
    )
    motivation = _text(20000)
    appraisals = appraisals_field()
    submit = fields.Boolean(load_default=False)
    lock_version = fields.Integer(load_default=None, allow_none=True)


class DomainRatingInputSchema(DutchSchema):
    outcome_domain = fields.String(required=True, validate=validate.Length(min=1, max=60))
    horizon = fields.String(required=True, validate=validate.OneOf(HORIZONS))
    rating = fields.String(required=True, validate=validate.OneOf(DOMAIN_RATINGS))
    reason = _text(5000)


class AgreedAppraisalInputSchema(DutchSchema):
    study_id = fields.Integer(required=True, validate=validate.Range(1, MAX_INTEGER))
    rating = fields.String(required=True, validate=validate.OneOf(APPRAISAL_RATINGS))
    reason = _text(5000)


class DecisionInputSchema(DutchSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    level = fields.String(load_default=None, allow_none=True,
                          validate=validate.OneOf(RECOGNISED_LEVELS))
    # Required: the committee's reasoning is published with every decision (its minimum
    # length is the service's rule, registry/services/decision.py).
    rationale = _text(20000, required=True)
    conditions = _text(10000)
    lock_version = fields.Integer(load_default=None, allow_none=True)
    # The panel's choices; where one is left out the proposal (or, for a study, the
    # reviewers' common rating) stands. The HTML form posts them as separate fields.
    domain_ratings = fields.List(fields.Nested(DomainRatingInputSchema), load_default=list,
                                 validate=validate.Length(max=500))
    study_appraisals = fields.List(fields.Nested(AgreedAppraisalInputSchema),
                                   load_default=list, validate=validate.Length(max=500))
    # That a provisional decision needs conditions is the service's rule, checked with
    # the rationale's, so the form reports both at once (decision.check_decision).


class CommentSchema(DutchSchema):
    body = _text(10000, required=True)


class ObjectionSchema(DutchSchema):
    grounds = _text(20000, required=True)


class ReopenSchema(DutchSchema):
    """Why the secretary withdraws a decision the panel has not all confirmed: it goes
    into the round's log, which the panel reads."""

    reason = _text(2000, required=True)


class RoundOutSchema(DutchSchema):
    """A round as the API shows it; `actions` are the transitions the caller may take."""

    id = fields.Integer()
    intervention_id = fields.Integer()
    version_id = fields.Integer()
    version_number = fields.Integer()
    kind = fields.String()
    state = fields.String()
    lock_version = fields.Integer()
    version_lock_version = fields.Integer()
    actions = fields.List(fields.String())


class AssessmentOutSchema(DutchSchema):
    id = fields.Integer()
    reviewer = fields.String()
    reviewer_id = fields.Integer()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    proposed_level = fields.String(allow_none=True)
    motivation = fields.String(allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    lock_version = fields.Integer()
    appraisals = fields.List(fields.Nested(AppraisalOutSchema))


class AssessmentListSchema(DutchSchema):
    items = fields.List(fields.Nested(AssessmentOutSchema))
