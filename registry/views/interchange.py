"""Admin pages for moving interventions in and out: export the catalogue, import an
interchange file (upload → preview → confirm or cancel), intervention import batches
and their undo. The uploaded file stays on the server between preview and confirm
(importers.uploads), as with study imports; confirming checks the file again against
the registry as it is then.
"""

from __future__ import annotations

from pathlib import PurePath

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from importers.interventions.csv_template import template_csv
from importers.interventions.export import export_interventions
from importers.interventions.service import import_interventions, preview_interventions
from importers.interventions.undo import undo_intervention_batch
from importers.uploads import (
    cancel_upload,
    claim_upload,
    discard_upload,
    keep_upload,
    prune_uploads,
    upload_folder,
)
from registry import permissions as perm
from registry.errors import Conflict, DomainError, ImportRejected, NotFound
from registry.extensions import db
from registry.models import ImportBatch, ImportBatchItem, Intervention

bp = Blueprint("interchange", __name__, url_prefix="/beheer/interventies")
SESSION_KEY = "intervention_import_upload"
KIND = "interventions"


def _folder():
    return upload_folder(current_app.config.get("IMPORT_UPLOAD_DIR") or current_app.instance_path)


def _form(errors: dict[str, list[str]] | None = None, status: int = 200):
    batches = db.session.scalars(select(ImportBatch).where(ImportBatch.kind == KIND)
                                 .order_by(ImportBatch.id.desc()).limit(50))
    page = render_template("interchange/upload.html", errors=errors or {},
                           batches=list(batches))
    return page, status


@bp.get("/import")
@perm.permission_required(perm.can_import_interventions)
def upload_form():
    return _form()


@bp.get("/exporteren")
@perm.permission_required(perm.can_import_interventions)
def export():
    """Every published intervention in the interchange format."""
    return Response(stream_with_context(export_interventions()),
                    mimetype="application/json", headers={
                        "Content-Disposition": 'attachment; filename="interventies.json"'})


@bp.get("/import/sjabloon.csv")
@perm.permission_required(perm.can_import_interventions)
def csv_template():
    return Response(template_csv(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="interventies-sjabloon.csv"'})


@bp.post("/import")
@perm.permission_required(perm.can_import_interventions)
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        return _form({"file": [_("Kies een bestand om te importeren.")]}, 422)
    discard_upload(_folder(), session.pop(SESSION_KEY, None))
    prune_uploads(_folder())
    kept = keep_upload(file.stream, _folder(), PurePath(file.filename).name, kind=KIND)
    try:
        with (_folder() / kept.token).open("rb") as stream:
            report = preview_interventions(stream, kept.file_name)
    except ImportRejected as error:
        discard_upload(_folder(), kept.as_session())
        return _form({"file": [error.message]}, 422)
    if report.can_commit:
        session[SESSION_KEY] = kept.as_session()
    else:
        discard_upload(_folder(), kept.as_session())
    page = render_template("interchange/preview.html", report=report,
                           upload=kept if report.can_commit else None)
    return page, 200 if report.can_commit else 422


@bp.post("/import/bevestigen")
@perm.permission_required(perm.can_import_interventions)
def confirm():
    try:
        kept = claim_upload(_folder(), session.get(SESSION_KEY), request.form.get("token"),
                            KIND)
    except Conflict as error:
        return _form({"_": [error.message]}, 409)
    try:
        with (_folder() / kept.token).open("rb") as stream:
            report = import_interventions(stream, kept.file_name, current_user, "upload")
    except DomainError as error:
        db.session.rollback()
        return _form({"file": [error.message]}, error.status)
    finally:
        discard_upload(_folder(), session.pop(SESSION_KEY, None))
    if report.batch_id is None:
        flash(_("Niets gewijzigd: alles in het bestand staat al in de registry."))
        return redirect(url_for("interchange.upload_form"))
    flash(_("De import is opgeslagen."))
    return redirect(url_for("interchange.batch", batch_id=report.batch_id))


@bp.post("/import/annuleren")
@perm.permission_required(perm.can_import_interventions)
def cancel():
    if cancel_upload(_folder(), session, SESSION_KEY, request.form.get("token")):
        flash(_("De import is geannuleerd; er is niets opgeslagen."))
    else:
        flash(_("Deze import was al afgehandeld; er is niets opgeslagen."))
    return redirect(url_for("interchange.upload_form"))


def _batch(batch_id: int) -> ImportBatch:
    found = db.session.get(ImportBatch, batch_id)
    if found is None or found.kind != KIND:
        raise NotFound(_("Deze import bestaat niet."))
    return found


@bp.get("/imports/<int:batch_id>")
@perm.permission_required(perm.can_import_interventions)
def batch(batch_id: int):
    found = _batch(batch_id)
    items = db.session.execute(
        select(ImportBatchItem, Intervention).outerjoin(
            Intervention, Intervention.id == ImportBatchItem.intervention_id)
        .where(ImportBatchItem.batch_id == batch_id).order_by(ImportBatchItem.id)).all()
    return render_template("interchange/batch.html", batch=found, items=items)


@bp.post("/imports/<int:batch_id>/ongedaan-maken")
@perm.permission_required(perm.can_import_interventions)
def undo(batch_id: int):
    undo_intervention_batch(_batch(batch_id), current_user)
    flash(_("De import is ongedaan gemaakt."))
    return redirect(url_for("interchange.batch", batch_id=batch_id))
