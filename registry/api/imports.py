"""POST /api/v1/imports/studies: the same pipeline and report as the CLI, as JSON.

?dry_run=true (or 1) previews; otherwise everything accepted is committed in one transaction.
Token authentication only (the API has no cookie-authenticated writes).
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from importers.columns import FIELDS, parse_assignments
from importers.detect import PARSERS
from importers.pipeline import commit_import, preview_import
from registry import permissions as perm
from registry.api import bp
from registry.api.common import operation, parse_query
from registry.auth.tokens import token_required
from registry.errors import ImportRejected, PermissionDenied
from registry.extensions import db
from registry.schemas.dutch import DutchSchema


class ImportReportSchema(Schema):
    """What an import found (dry run) or did."""

    format = fields.String(required=True)
    file_name = fields.String(required=True)
    sha256 = fields.String(required=True)
    committed = fields.Boolean(required=True)
    batch_id = fields.Integer(allow_none=True)
    total = fields.Integer(required=True)
    new = fields.Integer(required=True)
    duplicates = fields.Integer(required=True)
    merged = fields.Integer(required=True)
    probable = fields.Integer(required=True)
    invalid = fields.Integer(required=True)
    warnings = fields.Integer(
        required=True, metadata={"description": "Geldige records met weggelaten velden."})
    ignored_columns = fields.List(
        fields.String(), metadata={"description": "Kolommen van een tabel die niet zijn gelezen."})
    notes = fields.List(fields.String(), metadata={"description": "Bv. de herkende tekenset."})
    new_records = fields.List(fields.Dict())
    duplicate_records = fields.List(fields.Dict())
    probable_records = fields.List(fields.Dict())
    invalid_records = fields.List(fields.Dict())
    warning_records = fields.List(fields.Dict())


class ImportQuerySchema(DutchSchema):
    """?dry_run and ?format of an import."""

    class Meta:
        unknown = EXCLUDE

    dry_run = fields.Boolean(
        load_default=False,
        truthy={"1", "true"},
        falsy={"0", "false"},
        metadata={"description": "true (of 1): alleen tonen wat er zou gebeuren."},
    )
    format = fields.String(
        validate=validate.OneOf(sorted(PARSERS)),
        metadata={"description": "Het formaat; zonder: herkend aan de inhoud."},
    )
    column = fields.List(
        fields.String(validate=validate.Length(max=300)),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={"description": "Kolomtoewijzing van een tabel: KOLOM=VELD, herhaalbaar "
                                 f"(velden: {', '.join(FIELDS)})."},
    )

    sheet = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Werkblad van een Excel-bestand; zonder: het eerste."},
    )

    @validates("column")
    def _assignments(self, value: list[str], **kwargs) -> None:
        try:
            parse_assignments(value)
        except ValueError as error:
            raise ValidationError(_("'%(value)s' is geen KOLOM=VELD met een bekend veld.",
                                    value=str(error))) from None


@bp.post("/imports/studies")
@operation(
    "Studies importeren uit een bestand",
    description="Multipart-veld 'file'; ?dry_run=true toont alleen wat er zou gebeuren.",
    response=ImportReportSchema,
    query=ImportQuerySchema,
    upload="file",
    errors=(401, 403, 413, 422),
)
@token_required
def import_studies():
    """Import (or with dry_run preview) the uploaded file; the report as JSON."""
    if not perm.can_import_studies(g.api_user):
        raise PermissionDenied(_("Alleen onderzoekers mogen studies importeren."))
    query = parse_query(ImportQuerySchema())
    upload = request.files.get("file")
    if upload is None:
        raise ImportRejected(_("Stuur een bestand mee in het veld 'file'."),
                             [{"field": "file", "messages": [_("Verplicht.")]}])
    name = upload.filename or "upload"
    columns = parse_assignments(query["column"])
    cap = current_app.config["IMPORT_MAX_RECORDS"]
    if query["dry_run"]:
        report = preview_import(upload.stream, name, query.get("format"), columns=columns,
                                sheet=query.get("sheet"), max_records=cap)
    else:
        try:
            report = commit_import(upload.stream, name, format_name=query.get("format"),
                                   user_id=g.api_user.id, channel="api", columns=columns,
                                   sheet=query.get("sheet"), max_records=cap)
        except BaseException:
            db.session.rollback()
            raise
    return ImportReportSchema().dump(report.as_dict())
