"""flask import …: studies and findings from files, batches, undo, export.

Each command commits once at the end, or rolls back everything on any error.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from importers.columns import FIELDS, parse_assignments
from importers.detect import PARSERS
from importers.export import EXPORT_FORMATS, export_studies
from importers.field_labels import field_label
from importers.pipeline import ImportReport, commit_import, preview_import
from registry.errors import DomainError
from registry.extensions import db
from registry.models import ImportBatch, User
from registry.unit_of_work import commit

import_cli = AppGroup("import", help="Bulk import and export of studies and findings.")


def _user_id(email: str | None) -> int | None:
    if not email:
        return None
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    if user_id is None:
        raise click.BadParameter(_("geen gebruiker met e-mailadres %(email)s", email=email),
                                 param_hint="--user")
    return user_id


def _summary(report: ImportReport) -> None:
    # The CLI runs outside a request: gettext speaks the default locale (Dutch).
    rows = [(_("records"), report.total), (_("nieuw"), report.new),
            (_("dubbel (exact)"), report.duplicates),
            ("  " + _("waarvan aangevuld"), report.merged),
            (_("mogelijk dubbel (wacht op beslissing)"), report.probable),
            (_("ongeldig"), report.invalid),
            (_("met weggelaten velden"), report.warnings)]
    width = max(len(label) for label, _count in rows)
    click.echo(f"{_('Formaat'):<{width}}  {report.format}")
    for label, count in rows:
        click.echo(f"{label:<{width}}  {count:>8}")
    for note in report.notes:
        click.echo(note)
    if report.ignored_columns:
        click.echo(_("Genegeerde kolommen (toewijzen met --column \"kolom=veld\"): "
                     "%(columns)s", columns=", ".join(report.ignored_columns)))
    for entry in report.warning_records[:20]:
        warnings = "; ".join(f"{field_label(w['field'])}: {w['message']}"
                             for w in entry["warnings"])
        click.echo("  " + _("record %(number)s: %(warnings)s", number=entry["number"],
                            warnings=warnings))
    for entry in report.invalid_records[:20]:
        problems = "; ".join(f"{field_label(p['field'])}: {p['message']}"
                             for p in entry["problems"])
        if entry.get("line"):
            where = _("regel %(line)s", line=entry["line"])
        else:
            where = _("record %(number)s", number=entry["number"])
        click.echo("  " + _("ongeldig, %(where)s: %(problems)s", where=where, problems=problems))


def yield_cpu(increment: int) -> None:
    """Lower this process's CPU priority by `increment` (the IMPORT_NICE setting): a bulk
    import beside the web workers lets pages go first (bench/README.md, "Load", (c)).
    Nice ranks a process only within its own session or cgroup, so against a web
    service started by systemd it takes a unit with a low CPUWeight (docs/deploy.md,
    "CPU priority between services")."""
    if increment <= 0:
        return
    # No nice() on this system, or not allowed: the import runs as it is.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(increment)


@import_cli.command("studies")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(sorted(PARSERS)), default=None,
              help="Format; by default recognised from the content.")
@click.option("--dry-run", is_flag=True, help="Only show what would happen; save nothing.")
@click.option("--link", "links", multiple=True,
              help="Link every study to this intervention (slug).")
@click.option("--user", "email", default=None,
              help="Record the import in the name of this user (e-mail).")
@click.option("--column", "column_options", multiple=True, metavar="COLUMN=FIELD",
              help="Map a table column to a field, e.g. \"Source title=journal\".")
@click.option("--sheet", default=None,
              help="Worksheet of an Excel file (by default the first).")
def import_studies_command(file: Path, format_name, dry_run, links, email,
                           column_options, sheet) -> None:
    """Import studies from FILE (RIS, BibTeX, PubMed XML, MEDLINE, CSV/TSV, Excel, JSON)."""
    yield_cpu(current_app.config.get("IMPORT_NICE", 0))
    try:
        columns = parse_assignments(list(column_options))
    except ValueError as error:
        message = _("'%(value)s' is geen KOLOM=VELD met een bekend veld (%(fields)s).",
                    value=str(error), fields=", ".join(FIELDS))
        raise click.BadParameter(message, param_hint="--column") from None
    with file.open("rb") as stream, click.progressbar(
        length=file.stat().st_size, label=_("Importeren"), file=sys.stderr
    ) as bar:
        def progress(_records: int) -> None:
            bar.update(stream.tell() - bar.pos)

        try:
            if dry_run:
                report = preview_import(stream, file.name, format_name, progress, columns,
                                        sheet)
            else:
                report = commit_import(stream, file.name, format_name=format_name,
                                       user_id=_user_id(email), channel="cli",
                                       link_slugs=tuple(links), progress=progress,
                                       columns=columns, sheet=sheet)
                commit()  # the command's unit of work ends here
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        except BaseException:
            db.session.rollback()
            raise
    _summary(report)
    if dry_run:
        click.echo(_("Proefrun: niets opgeslagen."))
    else:
        click.echo(_("Opgeslagen als import %(id)s.", id=report.batch_id))


@import_cli.command("findings")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only check; save nothing.")
def import_findings_command(file: Path, dry_run: bool) -> None:
    """Import findings from a CSV file: all rows or none."""
    from importers.findings import import_findings

    with file.open("rb") as stream:
        try:
            report = import_findings(stream, file.name, commit=not dry_run)
            if report.errors:
                db.session.rollback()
                for error in report.errors[:50]:
                    click.echo("  " + _("regel %(line)s: %(field)s: %(message)s",
                                        line=error["line"], field=error["field"],
                                        message=error["message"]))
                raise click.ClickException(
                    _("%(count)s fouten; niets opgeslagen.", count=len(report.errors)))
            if dry_run:
                db.session.rollback()
            else:
                commit()  # the command's unit of work ends here
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
    if dry_run:
        click.echo(_("%(count)s bevindingen gecontroleerd.", count=report.rows))
    else:
        click.echo(_("%(count)s bevindingen opgeslagen.", count=report.rows))


@import_cli.command("undo")
@click.argument("batch_id", type=int)
@click.option("--user", "email", default=None)
def undo_command(batch_id: int, email: str | None) -> None:
    """Undo import BATCH_ID: remove what it added, restore what it merged."""
    from importers.batches import undo_batch

    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.kind == "interventions":  # flask interventions undo
        raise click.ClickException(_("Import %(id)s bestaat niet.", id=batch_id))
    try:
        undo_batch(batch, _user_id(email))
        commit()  # the command's unit of work ends here
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(_("Import %(id)s is ongedaan gemaakt.", id=batch_id))


@import_cli.command("export")
@click.option("--format", "format_name", type=click.Choice(EXPORT_FORMATS), default="csv")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def export_command(format_name: str, output) -> None:
    """Write every study as CSV, RIS or registry JSON."""
    # JSON carries absolute API links, which need a request context to build.
    with current_app.test_request_context():
        for piece in export_studies(format_name):
            output.write(piece)
