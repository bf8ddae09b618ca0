"""flask interventions …: export the published catalogue, import an interchange file
(or preview it with --dry-run), undo an import, write the CSV template.

Each command commits once at the end, or rolls back everything on any error.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from importers.interventions.csv_template import template_csv
from importers.interventions.export import export_interventions
from importers.interventions.plan import InterchangeReport
from importers.interventions.service import preview_interventions
from importers.interventions.undo import undo_intervention_batch
from importers.interventions.write import commit_plan
from registry.errors import DomainError
from registry.extensions import db
from registry.models import ImportBatch, User
from registry.unit_of_work import commit

interventions_cli = AppGroup("interventions", help="Export and import interventions.")


def _user(email: str | None) -> User | None:
    if not email:
        return None
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise click.BadParameter(_("geen gebruiker met e-mailadres %(email)s", email=email),
                                 param_hint="--user")
    return user


def report_lines(report: InterchangeReport) -> list[str]:
    """The preview as lines of text (the command line's summary)."""
    counts = report.counts
    lines = [_("Formaat: %(format)s", format=report.format),
             _("records: %(total)s; nieuw: %(new)s; bijgewerkt: %(updated)s; ongewijzigd: "
               "%(unchanged)s; conflicterend: %(conflicting)s; ongeldig: %(invalid)s",
               **counts)]
    if report.new_organisations:
        lines.append(_("nieuwe organisaties: %(slugs)s", slugs=", ".join(
            o["slug"] for o in report.new_organisations)))
    where = _("regel") if report.format == "csv" else _("record")
    for entry in report.invalid[:50]:
        problems = "; ".join(f"{p['field']}: {' '.join(p['messages'])}" for p in entry["problems"])
        kind = _("organisatie") if entry["kind"] == "organisation" else where
        lines.append("  " + _("ongeldig, %(kind)s %(number)s (%(slug)s): %(problems)s",
                              kind=kind, number=entry["number"], slug=entry["slug"] or "-",
                              problems=problems))
    for entry in report.conflicting[:50]:
        lines.append("  " + _("conflict, %(where)s %(number)s (%(slug)s): %(reasons)s",
                              where=where, number=entry["number"], slug=entry["slug"],
                              reasons=" ".join(entry["reasons"])))
    return lines


@interventions_cli.command("export")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def export_command(output) -> None:
    """Write every published intervention in the interchange format (JSON)."""
    for piece in export_interventions():
        output.write(piece)


@interventions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what would happen; save nothing.")
@click.option("--user", "email", default=None,
              help="Record the import in the name of this user (e-mail).")
def import_command(file: Path, dry_run: bool, email: str | None) -> None:
    """Import interventions from FILE (the interchange JSON, or CSV by the template)."""
    user = _user(email)
    with file.open("rb") as stream:
        try:
            report = preview_interventions(stream, file.name)
        except DomainError as error:
            raise click.ClickException(error.message) from None
    for line in report_lines(report):
        click.echo(line)
    if dry_run:
        click.echo(_("Proefrun: niets opgeslagen."))
        return
    try:
        commit_plan(report, user, "cli")
        commit()  # the command's unit of work ends here
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    if report.batch_id is None:
        click.echo(_("Niets gewijzigd: alles in het bestand staat al in de registry."))
    else:
        click.echo(_("Opgeslagen als import %(id)s.", id=report.batch_id))


@interventions_cli.command("undo")
@click.argument("batch_id", type=int)
@click.option("--user", "email", default=None)
def undo_command(batch_id: int, email: str | None) -> None:
    """Undo intervention import BATCH_ID."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.kind != "interventions":
        raise click.ClickException(_("Interventie-import %(id)s bestaat niet.", id=batch_id))
    try:
        undo_intervention_batch(batch, _user(email))
        commit()  # the command's unit of work ends here
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(_("Import %(id)s is ongedaan gemaakt.", id=batch_id))


@interventions_cli.command("template")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def template_command(output) -> None:
    """Write the CSV template for spreadsheet users."""
    output.write(template_csv())
