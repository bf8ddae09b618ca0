"""/open-data: the open data explained, this host's latest package as a ZIP, and the
DCAT description the national data portal harvests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Response, abort, current_app, render_template, send_file, url_for
from flask_babel import to_user_timezone

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


def _changed_on(package: Path) -> date:
    """The day, in the registry's time zone, this host's package was last written:
    publish writes it only when its content changed (package.publish)."""
    written = datetime.fromtimestamp(package.stat().st_mtime, UTC)
    return to_user_timezone(written).date()


@bp.get("/open-data/catalog.jsonld")
def open_data_catalog():
    package = _zip()
    written = package.exists()
    document = catalog(
        {"catalog": url_for("pages.open_data_catalog", _external=True),
         "landing": url_for("pages.open_data", _external=True),
         "download": url_for("pages.open_data_zip", _external=True) if written else None},
        current_app.config["OPENDATA_PUBLISHER"], current_app.config["OPENDATA_CONTACT_EMAIL"],
        _changed_on(package) if written else None)
    return Response(json.dumps(document, ensure_ascii=False, indent=2),
                    mimetype="application/ld+json")
