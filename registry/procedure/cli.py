"""`flask procedure expire`: safe to run daily; running it twice changes nothing more."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from registry.extensions import db

procedure_cli = AppGroup("procedure", help="Assessment procedure: expiry of decisions.")


@procedure_cli.command("expire")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend it is this date (YYYY-MM-DD).")
@click.option("--warn-days", default=90, show_default=True)
def expire_command(today, warn_days: int) -> None:
    """Move lapsed decisions to expired and list those lapsing soon."""
    from registry.services.validity import expire_lapsed

    report = expire_lapsed(today.date() if today else date.today(), warn_days)
    db.session.commit()
    click.echo(f"Verlopen: {len(report.expired)}")
    for decision in report.expired:
        click.echo(f"  - {decision.intervention.slug} (geldig tot {decision.valid_until})")
    click.echo(f"Verloopt binnen {warn_days} dagen: {len(report.lapsing)}")
    for decision in report.lapsing:
        click.echo(f"  - {decision.intervention.slug} (geldig tot {decision.valid_until})")
