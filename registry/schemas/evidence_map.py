"""The evidence gap map's query (page and API) and its JSON shape."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from registry.evidence import PUBLIC_STATUSES
from registry.schemas.dutch import DutchSchema
from registry.search.evidence_map import COLUMNS, ROWS


class EvidenceMapQuerySchema(DutchSchema):
    class Meta:
        unknown = EXCLUDE

    rows = fields.String(load_default=ROWS, validate=validate.OneOf([ROWS]),
                         metadata={"description": "Only outcome_domain."})
    columns = fields.String(load_default="target_group", validate=validate.OneOf(COLUMNS),
                            metadata={"description": "target_group, barrier or ladder_rung."})
    level = fields.List(fields.String(validate=validate.OneOf(PUBLIC_STATUSES)),
                        load_default=list,
                        metadata={"description": "Only interventions with these statuses."})
    study_design = fields.List(
        fields.String(validate=validate.Length(min=1, max=60)), load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "Only interventions with a finished effect study of these "
                                 "designs (e.g. rct), and only those studies counted."})


class MapTermSchema(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True)


class MapCellSchema(Schema):
    row = fields.String(required=True)
    column = fields.String(required=True)
    interventions = fields.Integer(required=True)
    studies = fields.Integer(required=True)
    best_rating = fields.String(attribute="best", allow_none=True, metadata={
        "description": "The strongest recognition status among the cell's interventions."})
    search_url = fields.String(required=True, metadata={
        "description": "The search page with exactly the cell's filters; the search API "
                       "takes the same query string."})


class EvidenceMapSchema(Schema):
    rows = fields.List(fields.Nested(MapTermSchema))
    columns = fields.List(fields.Nested(MapTermSchema))
    row_facet = fields.String(required=True)
    column_facet = fields.String(required=True)
    cells = fields.List(fields.Nested(MapCellSchema))
