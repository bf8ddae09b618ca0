"""/open-data: the open data explained, this host's latest package as a ZIP, and the
DCAT description the national data portal harvests."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Response, abort, current_app, render_template, send_file, url_for
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import EvidenceDecision
from registry.opendata.catalog import catalog
from registry.opendata.package import LICENCE, ZIP_NAME, latest
from registry.opendata.resources import resources
from registry.views import bp


def _zip() -> Path:
    return latest(Path(current_app.config["OPENDATA_DIR"]))[0]


@bp.get("/open-data")
def open_data():
    package = _zip()
    return render_template("open_data.html", resources=resources(), licence=LICENCE,
                           package=package if package.exists() else None, zip_name=ZIP_NAME)


@bp.get(f"/open-data/{ZIP_NAME}")
def open_data_zip():
    package = _zip()
    if not package.exists():
        abort(404)
    return send_file(package, mimetype="application/zip", as_attachment=True,
                     download_name=ZIP_NAME, max_age=300)


@bp.get("/open-data/catalog.jsonld")
def open_data_catalog():
    published = db.session.scalar(select(func.max(EvidenceDecision.published_at)))
    document = catalog(
        {"catalog": url_for("pages.open_data_catalog", _external=True),
         "landing": url_for("pages.open_data", _external=True),
         "download": url_for("pages.open_data_zip", _external=True)},
        current_app.config["OPENDATA_PUBLISHER"], current_app.config["OPENDATA_CONTACT_EMAIL"],
        published.date() if published else None)
    return Response(json.dumps(document, ensure_ascii=False, indent=2),
                    mimetype="application/ld+json")
