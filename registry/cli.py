"""flask CLI commands: vocabularies, demo data."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from registry.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(vocabularies_cli)
    app.cli.add_command(demo_cli)


vocabularies_cli = AppGroup("vocabularies", help="Controlled vocabularies.")
demo_cli = AppGroup("demo", help="Demo catalogue and synthetic data.")


@vocabularies_cli.command("load")
def load_vocabularies_command() -> None:
    """Load or update the vocabularies from the versioned seed file."""
    from registry.services.vocabularies import load_vocabularies

    result = load_vocabularies()
    db.session.commit()
    click.echo(f"Vocabularies {result.version}: {result.added} added, {result.updated} updated.")


@demo_cli.command("load")
def load_demo_command() -> None:
    """Load the fictional demo catalogue; running it again changes nothing."""
    from registry.demo.loader import load_demo

    report = load_demo()
    db.session.commit()
    click.echo(
        f"Demo catalogue: {report.organisations} organisations, {report.interventions} "
        f"interventions, {report.studies} studies added; {len(report.skipped)} already present."
    )
