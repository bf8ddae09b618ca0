"""Schemas of the search API: the query string in, the result page and facet counts out."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)
from werkzeug.datastructures import MultiDict

from registry.models.vocabulary import INTERVENTION_TAG_VOCABULARIES
from registry.schemas.pagination import PageQuerySchema
from registry.search.terms import unknown_value_messages
from search_index.profile import ClientProfile
from search_index.query import MAX_QUERY_CHARS, SORTS

# A code is never blank: the pages drop blank fields, the API refuses them.
_CODE = validate.Length(min=1, max=60)


# Chosen values per facet at most: more than anyone ticks, and a bound on the work per
# value (each is a link to build, and relaxing a filter tries them one by one).
MAX_FACET_VALUES = 50


class KnownCodesSchema(PageQuerySchema):
    """Refuses facet values the registry does not have (registry/search/terms.py), after
    the fields' own checks: an API client or link with a wrong code gets a 422 naming
    the value, not a search for a characteristic no intervention has.

    `known_codes=False` skips it, for a query the registry made itself from stored
    values (a saved profile of before this check, the weekly digest).
    """

    def __init__(self, *, known_codes: bool = True, **kwargs: Any):
        super().__init__(**kwargs)
        self.known_codes = known_codes

    @validates_schema(skip_on_field_errors=True)
    def _refuse_unknown_codes(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not self.known_codes:
            return
        messages = unknown_value_messages(
            {name: _as_list(data.get(name)) for name in self.CODE_FIELDS})
        if messages:
            raise ValidationError(messages)

    CODE_FIELDS: tuple[str, ...] = ()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _codes(description: str) -> fields.List:
    return fields.List(
        fields.String(validate=_CODE), load_default=list,
        validate=validate.Length(max=MAX_FACET_VALUES), metadata={"description": description}
    )


class SearchQuerySchema(KnownCodesSchema):
    """q, sort, page, per_page, and per facet any number of chosen codes (OR within)."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(
        load_default="", validate=validate.Length(max=MAX_QUERY_CHARS),
        metadata={"description": "Zoektekst."}
    )
    sort = fields.String(
        load_default="relevance",
        validate=validate.OneOf(SORTS, error=_l("Kies een van: {choices}.")),
        metadata={"description": "relevance, level, title of decided."},
    )
    level = _codes("Erkenningsstatus, bijvoorbeeld effective_good.")
    ladder_rung = _codes("Trede van de Participatieladder, 1 tot en met 6.")
    outcome_domain = _codes("Uitkomstdomein waarop effectonderzoek bevindingen heeft, "
                            "bijvoorbeeld work.")
    study_design = _codes("Opzet van een afgerond effectonderzoek met bevindingen, "
                          "bijvoorbeeld rct.")
    clearinghouse = _codes("Andere databank die de interventie beoordeelde, bijvoorbeeld wwc.")
    positive_effect = _codes("Uitkomstdomein waarop de effecten (mogelijk) positief zijn "
                             "beoordeeld, bijvoorbeeld work.")
    applied_province = _codes("Provincie waar een gepubliceerde ervaring uit de praktijk "
                              "vandaan komt, bijvoorbeeld gelderland.")
    applied_municipality = _codes("Gemeente (CBS-code) waar een gepubliceerde ervaring uit "
                                  "de praktijk vandaan komt, bijvoorbeeld GM0363.")


for _vocabulary in INTERVENTION_TAG_VOCABULARIES:
    SearchQuerySchema._declared_fields[_vocabulary] = _codes(f"Codes uit '{_vocabulary}'.")
SearchQuerySchema.CODE_FIELDS = tuple(
    name for name, f in SearchQuerySchema._declared_fields.items() if isinstance(f, fields.List))


class ProfileQuerySchema(KnownCodesSchema):
    """A client profile: one rung, support need and age band; lists for the rest."""

    class Meta:
        unknown = EXCLUDE

    # Optional, never null (a query string has no null): absent ones load as None.
    rung = fields.Integer(
        validate=validate.Range(min=1, max=6), metadata={"description": "Trede, 1 tot en met 6."}
    )
    support_need = fields.String(
        validate=_CODE, metadata={"description": "Ondersteuningsbehoefte."}
    )
    age_band = fields.String(validate=_CODE, metadata={"description": "Leeftijdsgroep."})
    target_group = _codes("Doelgroepen van de cliënt.")
    barrier = _codes("Belemmeringen van de cliënt.")
    domain = _codes("Wet of domein.")
    phase = _codes("Fase.")
    goal = fields.String(
        load_default="", validate=validate.Length(max=300), metadata={"description": "Doel."}
    )

    CODE_FIELDS = ("support_need", "age_band", "target_group", "barrier", "domain", "phase")

    @post_load
    def _absent_is_none(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for name in ("rung", "support_need", "age_band"):
            data.setdefault(name, None)
        return data


def query_dict(args: MultiDict, schema: Schema, *, strict: bool = False) -> dict[str, Any]:
    """The query string as a dict: lists for the schema's list fields.

    Pages leave out blank values (untouched form fields) and take the last of a
    repeated parameter. `strict` (the API) passes both on for the schema to refuse, so
    `page=` or `rung=1&rung=2` is a 422 rather than a guess.
    """
    list_keys = {name for name, f in schema.fields.items() if isinstance(f, fields.List)}
    data: dict[str, Any] = {}
    for key in args:
        values = args.getlist(key) if strict else [v for v in args.getlist(key) if v != ""]
        if key in list_keys:
            data[key] = values
        elif strict:
            data[key] = values[0] if len(values) == 1 else values
        elif values:
            data[key] = values[-1]
    return data


def client_profile(args: dict[str, Any]) -> ClientProfile:
    """The client profile described by arguments loaded with ProfileQuerySchema."""
    return ClientProfile(
        rung=args["rung"],
        support_need=args["support_need"],
        age_band=args["age_band"],
        target_groups=args["target_group"],
        barriers=args["barrier"],
        domains=args["domain"],
        phases=args["phase"],
        goal=args["goal"],
    )


def profile_from_query(query: dict[str, list[str]]) -> ClientProfile:
    """The client profile of a query-string dict the registry made itself (a saved
    profile, the diagnosis aid's answers). Raises ValidationError on a bad value."""
    schema = ProfileQuerySchema(max_per_page=100, default_per_page=20, known_codes=False)
    pairs = MultiDict([(key, value) for key, values in query.items() for value in values])
    return client_profile(schema.load(query_dict(pairs, schema)))


class FacetValueSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)
    selected = fields.Boolean(required=True)


class FacetSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    values = fields.List(fields.Nested(FacetValueSchema), required=True)


class RelaxationSchema(Schema):
    facet = fields.String(required=True)
    value = fields.String(required=True)
    count = fields.Integer(required=True, metadata={"description": "Resultaten zonder dit filter."})


class ReasonSchema(Schema):
    facet = fields.String(required=True)
    value = fields.String(required=True)
    label = fields.String(required=True)


class SearchItemSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    snippet = fields.String(required=True, metadata={"description": "HTML, <mark> om treffers."})
    score = fields.Float(required=True)
    url = fields.Url(required=True)
    fits = fields.List(fields.Nested(ReasonSchema), load_default=list)
    mismatches = fields.List(fields.Nested(ReasonSchema), load_default=list)
    unaddressed = fields.List(fields.Nested(ReasonSchema), load_default=list)
    explanation = fields.String(allow_none=True)
    harmful_domains = fields.List(fields.String(), load_default=list, metadata={
        "description": "Outcome domain codes the findings rate (possibly) negative."})


class SearchResultSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    items = fields.List(fields.Nested(SearchItemSchema), required=True)
    facets = fields.List(fields.Nested(FacetSchema), required=True)
    suggestion = fields.String(allow_none=True)
    relaxations = fields.List(fields.Nested(RelaxationSchema), required=True)


class ProfileResultSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    items = fields.List(fields.Nested(SearchItemSchema), required=True)
