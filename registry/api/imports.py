"""POST /api/v1/imports/studies: the same pipeline and report as the CLI, as JSON.

?dry_run=1 previews; otherwise everything accepted is committed in one transaction.
Token authentication only (the API has no cookie-authenticated writes).
"""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from importers.pipeline import commit_import, preview_import
from registry import permissions as perm
from registry.api import bp
from registry.api.common import operation
from registry.auth.tokens import token_required
from registry.errors import ImportRejected, PermissionDenied
from registry.extensions import db


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
    new_records = fields.List(fields.Dict())
    duplicate_records = fields.List(fields.Dict())
    probable_records = fields.List(fields.Dict())
    invalid_records = fields.List(fields.Dict())


@bp.post("/imports/studies")
@operation(
    "Studies importeren uit een bestand",
    description="Multipart-veld 'file'; ?dry_run=1 toont alleen wat er zou gebeuren.",
    response=ImportReportSchema,
    errors=(401, 403, 413, 422),
)
@token_required
def import_studies():
    """Import (or with dry_run preview) the uploaded file; the report as JSON."""
    if not perm.can_import_studies(g.api_user):
        raise PermissionDenied(_("Alleen onderzoekers mogen studies importeren."))
    upload = request.files.get("file")
    if upload is None:
        raise ImportRejected(_("Stuur een bestand mee in het veld 'file'."),
                             [{"field": "file", "messages": [_("Verplicht.")]}])
    name = upload.filename or "upload"
    if request.args.get("dry_run") in ("1", "true"):
        report = preview_import(upload.stream, name, request.args.get("format"))
    else:
        try:
            report = commit_import(upload.stream, name, format_name=request.args.get("format"),
                                   user_id=g.api_user.id, channel="api")
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    return ImportReportSchema().dump(report.as_dict())
