"""Import pages for researchers: studies and findings files (upload → preview → confirm
or cancel); batches and undo; probable duplicates waiting for a decision. Linking by hand
lives in links.py beside this module.

The uploaded file stays on the server between preview and confirm (importers.uploads):
the session holds its token and sha256, so nothing is uploaded twice and no record data
travels through the form.
"""

from __future__ import annotations

from pathlib import PurePath

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.exceptions import RequestEntityTooLarge

from importers.batches import decide_pending, undo_batch, undo_refusal
from importers.columns import FIELDS
from importers.csv_format import template_csv
from importers.detect import FORMAT_LABELS, PARSERS
from importers.field_labels import column_fields
from importers.findings import COLUMNS as FINDING_COLUMNS
from importers.findings import import_findings
from importers.pipeline import commit_import, preview_import
from importers.undo_plan import plan_undo
from importers.uploads import (
    Upload,
    cancel_upload,
    claim_upload,
    discard_upload,
    keep_upload,
    open_upload,
    prune_uploads,
    upload_folder,
)
from registry import permissions as perm
from registry.errors import Conflict, DomainError, ImportRejected, NotFound
from registry.extensions import db
from registry.models import ImportBatch, ImportBatchItem, PendingDuplicate, Study
from registry.services.study_links import published_choices, published_id
from registry.views.imports import bp  # noqa: E402

SESSION_KEY = "import_upload"
MAX_ASSIGNED = 200  # columns assignable in one form
PER_PAGE = 100


def _folder():
    # IMPORT_UPLOAD_DIR lets tests (or a deployment) keep uploads elsewhere.
    return upload_folder(current_app.config.get("IMPORT_UPLOAD_DIR") or current_app.instance_path)


def _form(errors: dict[str, list[str]] | None = None, status: int = 200, values=None):
    page = render_template("imports/upload.html", errors=errors or {}, formats=FORMAT_LABELS,
                           choices=published_choices(),
                           values=request.form if values is None else values)
    return page, status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    message = _("Het bestand is te groot: de grens is %(limit)s MB. Splits het bestand in "
                "kleinere delen en importeer die na elkaar.", limit=f"{limit:g}")
    # The form data is what was too large, so the form starts empty.
    return _form({"file": [message]}, 413, values={})


@bp.get("/sjabloon.csv")
@perm.permission_required(perm.can_import_studies)
def csv_template():
    """The CSV template: the documented header and one example row."""
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="studies-sjabloon.csv"'})


@bp.get("/")
@perm.permission_required(perm.can_import_studies)
def upload_form():
    return _form()


def _options() -> tuple[dict[str, str | None], dict[str, list[str]]]:
    format_name = request.form.get("format") or None
    link = (request.form.get("link") or "").strip() or None
    sheet = request.form.get("sheet", "").strip() or None
    errors = {}
    if sheet is not None and len(sheet) > 100:
        errors["sheet"] = [_("Een werkbladnaam is hoogstens 100 tekens.")]
    if format_name is not None and format_name not in PARSERS:
        errors["format"] = [_("Kies een van de formaten uit de lijst.")]
    if link is not None and published_id(link) is None:
        errors["link"] = [_("Kies een gepubliceerde interventie uit de lijst.")]
    return {"format": format_name, "link": link, "sheet": sheet}, errors


@bp.post("/")
@perm.permission_required(perm.can_import_studies)
def upload():
    file = request.files.get("file")
    options, errors = _options()
    if file is None or not file.filename:
        errors["file"] = [_("Kies een bestand om te importeren.")]
    if errors:
        return _form(errors, 422)
    discard_upload(_folder(), session.pop(SESSION_KEY, None))
    prune_uploads(_folder())
    kept = keep_upload(file.stream, _folder(), PurePath(file.filename).name, **options)
    try:
        report = _preview(kept)
    except ImportRejected as error:
        discard_upload(_folder(), kept.as_session())
        return _form({"file": [error.message]}, 422)
    session[SESSION_KEY] = kept.as_session()
    return _preview_page(report, kept)


def _preview(kept: Upload):
    with (_folder() / kept.token).open("rb") as stream:
        return preview_import(stream, kept.file_name, kept.format, columns=kept.columns,
                              sheet=kept.sheet,
                              max_records=current_app.config["IMPORT_MAX_RECORDS"])


def _preview_page(report, kept: Upload, errors: dict | None = None, status: int = 200):
    page = render_template("imports/preview.html", report=report, upload=kept,
                           candidates=_candidates(report), format_label=FORMAT_LABELS,
                           fields=column_fields(), errors=errors or {})
    return page, status


@bp.post("/kolommen")
@perm.permission_required(perm.can_import_studies)
def assign_columns():
    """Preview again with the columns the researcher assigned (tabular files)."""
    try:
        kept = open_upload(_folder(), session.get(SESSION_KEY), request.form.get("token"))
    except Conflict as error:
        return _form({"_": [error.message]}, 409)
    chosen = dict(kept.columns)
    for index, header in enumerate(request.form.getlist("header")[:MAX_ASSIGNED]):
        name = request.form.get(f"field-{index}", "")
        if name in FIELDS:
            chosen[header] = name
        elif name == "":
            chosen.pop(header, None)
    kept.columns = chosen
    try:
        report = _preview(kept)
    except ImportRejected as error:
        kept.columns = {}
        return _preview_page(_preview(kept), kept, {"kolommen": [error.message]}, 422)
    session[SESSION_KEY] = kept.as_session()
    return _preview_page(report, kept)


def _candidates(report) -> dict[int, Study]:
    ids = {r["study_id"] for r in report.probable_records if "study_id" in r}
    return {s.id: s for s in db.session.scalars(select(Study).where(Study.id.in_(ids)))}


@bp.post("/bevestigen")
@perm.permission_required(perm.can_import_studies)
def confirm():
    kept = session.get(SESSION_KEY)
    try:
        upload = claim_upload(_folder(), kept, request.form.get("token"))
    except Conflict as error:
        return _form({"_": [error.message]}, 409)
    link_slugs = (upload.link,) if upload.link else ()
    try:
        with (_folder() / upload.token).open("rb") as stream:
            report = commit_import(stream, upload.file_name, format_name=upload.format,
                                   user_id=current_user.id, channel="upload", link_slugs=link_slugs,
                                   columns=upload.columns, sheet=upload.sheet,
                                   max_records=current_app.config["IMPORT_MAX_RECORDS"])
    except DomainError as error:
        db.session.rollback()
        return _form({"file": [error.message]}, error.status)
    finally:
        discard_upload(_folder(), session.pop(SESSION_KEY, None))
    flash(_("De import is opgeslagen."))
    return redirect(url_for("imports.batch", batch_id=report.batch_id))


@bp.post("/annuleren")
@perm.permission_required(perm.can_import_studies)
def cancel():
    if cancel_upload(_folder(), session, SESSION_KEY, request.form.get("token")):
        flash(_("De import is geannuleerd; er is niets opgeslagen."))
    else:
        flash(_("Deze import was al afgehandeld; er is niets opgeslagen."))
    return redirect(url_for("imports.upload_form"))


@bp.get("/batches")
@perm.permission_required(perm.can_import_studies)
def batches():
    listed = db.session.scalars(select(ImportBatch).where(ImportBatch.kind != "interventions")
                                .order_by(ImportBatch.id.desc()).limit(200))
    return render_template("imports/batches.html", batches=list(listed))


def _page() -> int:
    return max(1, min(request.args.get("pagina", 1, type=int) or 1, 100_000))


@bp.get("/batches/<int:batch_id>")
@perm.permission_required(perm.can_import_studies)
def batch(batch_id: int):
    found = _study_batch(batch_id)
    total = db.session.scalar(select(func.count()).select_from(ImportBatchItem)
                              .where(ImportBatchItem.batch_id == batch_id))
    page = _page()
    items = db.session.execute(
        select(ImportBatchItem, Study.title).outerjoin(Study, Study.id == ImportBatchItem.study_id)
        .where(ImportBatchItem.batch_id == batch_id).order_by(ImportBatchItem.id)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    pages = max(1, -(-total // PER_PAGE))
    return render_template("imports/batch.html", batch=found, items=items, total=total,
                           result={"page": page, "pages": pages})


def _missing(message: str):
    raise NotFound(message)


def _study_batch(batch_id: int) -> ImportBatch:
    # Intervention imports have their own admin pages (registry/views/interchange.py).
    found = db.session.get(ImportBatch, batch_id)
    if found is None or found.kind == "interventions":
        _missing(_("Deze import bestaat niet."))
    return found


@bp.get("/batches/<int:batch_id>/ongedaan-maken")
@perm.permission_required(perm.can_import_studies)
def confirm_undo(batch_id: int):
    found = _study_batch(batch_id)
    if found.state != "committed":
        flash(_("Deze import is al ongedaan gemaakt."))
        return redirect(url_for("imports.batch", batch_id=batch_id))
    return render_template("imports/undo.html", batch=found, plan=plan_undo(found),
                           refused=undo_refusal(found))


@bp.post("/batches/<int:batch_id>/ongedaan-maken")
@perm.permission_required(perm.can_import_studies)
def undo(batch_id: int):
    found = _study_batch(batch_id)
    undo_batch(found, current_user.id)
    flash(_("De import is ongedaan gemaakt."))
    return redirect(url_for("imports.batch", batch_id=batch_id))


@bp.get("/dubbelen")
@perm.permission_required(perm.can_import_studies)
def pending():
    waiting = db.session.scalars(
        select(PendingDuplicate).join(ImportBatch)
        .where(PendingDuplicate.state == "pending", ImportBatch.state == "committed")
        .order_by(PendingDuplicate.id).limit(PER_PAGE))
    return render_template("imports/pending.html", pending=list(waiting))


@bp.post("/dubbelen/<int:pending_id>")
@perm.permission_required(perm.can_import_studies)
def decide(pending_id: int):
    found = db.session.get(PendingDuplicate, pending_id) or _missing(
        _("Deze mogelijke dubbele bestaat niet."))
    decide_pending(found, request.form.get("decision", ""), current_user.id)
    flash(_("De beslissing is opgeslagen."))
    return redirect(url_for("imports.pending"))


@bp.get("/bevindingen")
@perm.permission_required(perm.can_code_findings)
def findings_form():
    return _findings_form()


def _findings_form(errors: dict[str, list[str]] | None = None, status: int = 200):
    return render_template("imports/findings.html", errors=errors or {},
                           columns=FINDING_COLUMNS), status


@bp.post("/bevindingen")
@perm.permission_required(perm.can_code_findings)
def findings_upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        return _findings_form({"file": [_("Kies een bestand om te importeren.")]}, 422)
    discard_upload(_folder(), session.pop(SESSION_KEY, None))
    prune_uploads(_folder())
    kept = keep_upload(file.stream, _folder(), PurePath(file.filename).name, kind="findings")
    try:
        with (_folder() / kept.token).open("rb") as stream:
            report = import_findings(stream, kept.file_name, commit=False)
    except ImportRejected as error:
        discard_upload(_folder(), kept.as_session())
        return _findings_form({"file": [error.message]}, 422)
    if report.errors:
        discard_upload(_folder(), kept.as_session())
    else:
        session[SESSION_KEY] = kept.as_session()
    page = render_template("imports/findings_preview.html", report=report, upload=kept)
    return page, 422 if report.errors else 200


@bp.post("/bevindingen/bevestigen")
@perm.permission_required(perm.can_code_findings)
def findings_confirm():
    kept = session.get(SESSION_KEY)
    try:
        upload = claim_upload(_folder(), kept, request.form.get("token"), kind="findings")
    except Conflict as error:
        return _findings_form({"_": [error.message]}, 409)
    try:
        with (_folder() / upload.token).open("rb") as stream:
            report = import_findings(stream, upload.file_name, commit=True,
                                     user_id=current_user.id, channel="upload")
        if report.errors:  # the studies changed since the preview: still all or nothing
            db.session.rollback()
            page = render_template("imports/findings_preview.html", report=report, upload=None)
            return page, 422
    except DomainError as error:
        db.session.rollback()
        return _findings_form({"file": [error.message]}, error.status)
    finally:
        discard_upload(_folder(), session.pop(SESSION_KEY, None))
    flash(_("De bevindingen zijn opgeslagen."))
    return redirect(url_for("imports.batch", batch_id=report.batch_id))


