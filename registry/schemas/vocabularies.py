"""Controlled vocabularies and their terms, with Dutch and English labels."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields

from registry.schemas.common import ComputedNested, LinksSchema, TermRefSchema


class TermSchema(TermRefSchema):
    """A term as the vocabulary lists it; inactive terms stay so old records resolve."""

    description_nl = fields.String(allow_none=True)
    description_en = fields.String(allow_none=True)
    position = fields.Integer(required=True)
    broader = fields.String(allow_none=True, attribute="broader_code", metadata={
        "description": "The broader term's code: a municipality's province, a 'region' code."})
    is_active = fields.Boolean(required=True)


def _vocabulary_links(vocabulary: dict) -> dict[str, str]:
    url = url_for("api.get_vocabulary", name=vocabulary["name"], _external=True)
    return {"self": url}


class VocabularySchema(Schema):
    """Dumps {"name": ..., "terms": [VocabularyTerm, ...]} with terms in display order."""

    name = fields.String(required=True)
    terms = fields.List(fields.Nested(TermSchema), required=True)
    links = ComputedNested(LinksSchema, getter=_vocabulary_links)


class VocabularyListSchema(Schema):
    vocabularies = fields.List(fields.Nested(VocabularySchema), required=True)
