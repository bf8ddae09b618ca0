"""Studies: list and detail output, and the symmetric schema the JSON importer loads.

StudySchema().load(StudySchema().dump(study)) gives plain model field values: authors
and findings as lists of dicts, the design and outcome domains as term codes.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from registry.effects.plausibility import implausible
from registry.models.study import DIRECTIONS, EFFECT_SIZE_TYPES, QUALITY_RATINGS
from registry.schemas.common import (
    ComputedList,
    ComputedNested,
    DecimalNumber,
    LinksSchema,
    RoundTripSchema,
    TermCode,
    count_field,
)
from registry.schemas.pagination import PageQuerySchema, PageSchema, sort_field
from registry.schemas.search import FacetSchema
from registry.services.catalogue import STUDY_SORTS, public_interventions_of


def _facet_values(description: str, allowed: validate.Validator | None = None) -> fields.List:
    """A facet's chosen values; with `allowed`, a value the facet cannot have is refused
    (422 naming it) instead of finding nothing."""
    checks = [validate.Length(min=1, max=60), *([allowed] if allowed else [])]
    return fields.List(fields.String(validate=checks), validate=validate.Length(max=20),
                       metadata={"description": description})


APPRAISALS = (*QUALITY_RATINGS, "none")
LINKED = ("yes", "no")


class StudyQuerySchema(PageQuerySchema):
    sort = sort_field(STUDY_SORTS + ("relevance",), default="-year")
    q = fields.String(validate=validate.Length(max=300), metadata={
        "description": "Zoektekst: titel, samenvatting, auteurs, tijdschrift, trefwoorden, "
                       "DOI en PMID. Met q of een filter sorteert de lijst op relevance "
                       "(met q), -year of title."})
    study_design = _facet_values("Onderzoeksopzet (code uit de woordenlijst study_design); "
                                 "none: niet vastgelegd.")
    year = _facet_values("Publicatiejaar; none: onbekend.", validate.Regexp(
        r"^(\d{4}|none)$", error=_l("Geef een jaartal van vier cijfers, of none.")))
    appraisal = _facet_values("Kwaliteitsoordeel: high, moderate, low of none.",
                              validate.OneOf(APPRAISALS))
    language = _facet_values("Taal (ISO 639-1); none: onbekend.")
    linked = _facet_values("yes: gekoppeld aan een interventie; no: niet.",
                           validate.OneOf(LINKED))


def _optional_text(max_length: int | None = None, **kwargs: Any) -> fields.String:
    checks = validate.Length(max=max_length) if max_length else None
    return fields.String(allow_none=True, validate=checks, **kwargs)


def _study_links(study) -> dict[str, str]:
    return {"self": url_for("api.get_study", study_id=study.id, _external=True)}


class AuthorSchema(RoundTripSchema):
    """One author; the list order is the author order."""

    family_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    particle = _optional_text(40, metadata={"description": "Tussenvoegsel, e.g. 'van der'."})
    given_names = _optional_text(200)


class FindingSchema(RoundTripSchema):
    """One coded result of a study on one outcome at one time point."""

    id = fields.Integer(dump_only=True)
    outcome_domain = TermCode(required=True, metadata={"description": "outcome_domain code"})
    measure = fields.String(required=True, validate=validate.Length(min=1, max=300))
    time_point_months = count_field()
    follow_up_band = fields.String(dump_only=True, allow_none=True)
    effect_size_type = fields.String(allow_none=True, validate=validate.OneOf(EFFECT_SIZE_TYPES))
    effect_size = DecimalNumber(places=3, allow_none=True)
    ci_lower = DecimalNumber(places=3, allow_none=True)
    ci_upper = DecimalNumber(places=3, allow_none=True)
    n_intervention = count_field()
    n_comparison = count_field()
    value_intervention = fields.Float(allow_none=True, metadata={
        "description": "Mean (continuous outcome) or proportion (0–1, dichotomous)."})
    value_comparison = fields.Float(allow_none=True)
    sd_intervention = fields.Float(allow_none=True, metadata={
        "description": "Standard deviation of a mean; > 0."})
    sd_comparison = fields.Float(allow_none=True)
    p_value = fields.Float(allow_none=True, validate=validate.Range(min=0, max=1))
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    lower_is_better = fields.Boolean(load_default=False, metadata={
        "description": "Less of the measure is the better result (benefit dependence)."})
    counts_towards_rating = fields.Boolean()
    notes = _optional_text()

    @validates_schema
    def _interval_in_order(self, data: dict, **kwargs: Any) -> None:
        lower, upper = data.get("ci_lower"), data.get("ci_upper")
        if lower is not None and upper is not None and lower > upper:
            raise ValidationError("ci_lower is larger than ci_upper.", "ci_lower")

    @validates_schema
    def _plausible(self, data: dict, **kwargs: Any) -> None:
        problems = implausible(data)
        if problems:
            raise ValidationError({field: [message] for field, message in problems})


class StudySummarySchema(RoundTripSchema):
    """A study in a list: enough to cite it and to judge it at a glance."""

    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1))
    authors = fields.List(fields.Nested(AuthorSchema))
    year = fields.Integer(allow_none=True, validate=validate.Range(min=1900, max=2100))
    journal = _optional_text(500)
    publisher = _optional_text(300)
    doi = _optional_text(255)
    pmid = _optional_text(20)
    design = TermCode(allow_none=True, metadata={"description": "study_design code"})
    quality = fields.String(allow_none=True, validate=validate.OneOf(QUALITY_RATINGS))
    links = ComputedNested(LinksSchema, getter=_study_links)

    @post_load
    def _number_authors(self, data: dict, **kwargs: Any) -> dict:
        # Author order is list order in JSON, an explicit position in the database.
        if "authors" in data:
            data["authors"] = [
                {**author, "position": position}
                for position, author in enumerate(data["authors"], start=1)
            ]
        return data


class StudySchema(StudySummarySchema):
    """Every field of a study with its findings; loads back what it dumps."""

    volume = _optional_text(100)
    issue = _optional_text(100)
    pages = _optional_text(100)
    url = _optional_text(1000)
    abstract = _optional_text()
    language = _optional_text(10)
    country = _optional_text(2, metadata={"description": "ISO 3166-1 alpha-2"})
    keywords = fields.List(fields.String(validate=validate.Length(max=200)),
                           validate=validate.Length(max=500))
    publication_type = _optional_text(60)
    n_intervention = count_field()
    n_comparison = count_field()
    setting = _optional_text()
    follow_up_months = count_field()
    follow_up_band = fields.String(dump_only=True, allow_none=True)
    ongoing = fields.Boolean(metadata={
        "description": "A registered trial still running (shown as 'onderzoek loopt')."})
    trial_registration = _optional_text(40, metadata={
        "description": "Trial registry id, e.g. NCT01234567, NL-OMON12345, ISRCTN12345678"})
    expected_end = fields.Date(allow_none=True, metadata={
        "description": "When a running trial is expected to end"})
    findings = fields.List(fields.Nested(FindingSchema))
    interventions = ComputedList(
        fields.String(),
        getter=lambda study: sorted(i.slug for i in public_interventions_of(study)),
        metadata={"description": "Slugs of the published interventions it is linked to."},
    )


class StudyPageSchema(PageSchema):
    items = fields.List(fields.Nested(StudySummarySchema), required=True)
    facets = fields.List(fields.Nested(FacetSchema), metadata={
        "description": "Bij zoeken (q of een filter) de aantallen per filterwaarde; "
                       "anders leeg."})
