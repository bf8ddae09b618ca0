"""`flask opendata dump DIR` and `flask opendata publish`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from registry.extensions import db
from registry.opendata.package import dump, publish

opendata_cli = AppGroup("opendata", help="The open data package (CC BY 4.0).")


@opendata_cli.command("dump")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def dump_command(folder: Path) -> None:
    """Write the data package (datapackage.json, CSV and JSON Lines) into FOLDER."""
    # One read transaction through the session (the request's unit of work does not
    # apply to commands); ended with the command's app context.
    counts = dump(db.session.connection(), folder)
    for name, count in counts.items():
        click.echo(f"{name}: {count}")


def publish_here(force: bool = False) -> bool:
    """Renew this host's download (package.publish) and say so when it did."""
    written = publish(db.session.connection(), Path(current_app.config["OPENDATA_DIR"]),
                      force)
    if written:
        click.echo(_("Nieuw open-databestand geschreven."))
    return written


@opendata_cli.command("publish")
@click.option("--force", is_flag=True, help="Write a new ZIP even if nothing changed.")
def publish_command(force: bool) -> None:
    """Renew this host's download on /open-data when the published record changed (a
    timer runs it every few minutes on every host; cheap when nothing changed)."""
    if not publish_here(force):
        click.echo(_("Niets veranderd; het open-databestand is actueel."))
