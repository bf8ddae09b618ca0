"""`flask procedure expire`: safe to run daily; running it twice changes nothing more."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from registry.opendata.cli import publish_here
from registry.unit_of_work import commit

procedure_cli = AppGroup("procedure", help="Assessment procedure: expiry of decisions.")


@procedure_cli.command("expire")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend it is this date (YYYY-MM-DD).")
@click.option("--warn-days", default=90, show_default=True)
def expire_command(today, warn_days: int) -> None:
    """Move lapsed decisions to expired and list those lapsing soon."""
    from registry.services.validity import expire_lapsed

    report = expire_lapsed(today.date() if today else date.today(), warn_days)
    commit()  # the command's unit of work ends here
    click.echo(_("Verlopen: %(n)s", n=len(report.expired)))
    for decision in report.expired:
        _echo_decision(decision)
    click.echo(_("Verloopt binnen %(days)s dagen: %(n)s", days=warn_days, n=len(report.lapsing)))
    for decision in report.lapsing:
        _echo_decision(decision)


def _echo_decision(decision) -> None:
    click.echo("  - " + _("%(slug)s (geldig tot %(date)s)", slug=decision.intervention.slug,
                          date=decision.valid_until))


jobs_cli = AppGroup("jobs", help="Scheduled jobs (run daily by a timer; safe on several hosts).")


@jobs_cli.command("run")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend it is this date (YYYY-MM-DD).")
def jobs_run_command(today) -> None:
    """Expire lapsed decisions and send the reminders before expiry, each once."""
    from registry.services.jobs import run_jobs

    report = run_jobs(today.date() if today else None)
    # An expiry changes the published record; this host's download follows (the other
    # hosts' timers run `flask opendata publish`).
    publish_here()
    if not report.ran:
        click.echo(_("Een andere host voert de taken al uit; niets gedaan."))
        return
    click.echo(_("Verlopen: %(n)s", n=len(report.expired)))
    for decision in report.expired:
        _echo_decision(decision)
    click.echo(_("Herinneringen verstuurd: %(n)s", n=len(report.reminded)))
    for decision, months in report.reminded:
        click.echo("  - " + _("%(slug)s: %(months)s maanden voor het verlopen",
                              slug=decision.intervention.slug, months=months))
