"""flask CLI commands: vocabularies and demo data here; each area registers its own group."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from registry.unit_of_work import commit


def register_cli(app: Flask) -> None:
    from importers.cli import import_cli
    from importers.interventions.cli import interventions_cli
    from registry.auth.cli import users_cli
    from registry.opendata.cli import opendata_cli
    from registry.procedure.cli import jobs_cli, procedure_cli
    from registry.search.cli import index_cli
    from registry.search.profiles_cli import profiles_cli

    for group in (vocabularies_cli, demo_cli, index_cli, import_cli, users_cli, procedure_cli,
                  jobs_cli, opendata_cli, interventions_cli, profiles_cli):
        app.cli.add_command(group)


vocabularies_cli = AppGroup("vocabularies", help="Controlled vocabularies.")
demo_cli = AppGroup("demo", help="Demo catalogue and synthetic data.")


@vocabularies_cli.command("load")
def load_vocabularies_command() -> None:
    """Load or update the vocabularies from the versioned seed file."""
    from registry.services.vocabularies import load_vocabularies

    result = load_vocabularies()
    commit()  # the command's unit of work ends here
    click.echo(f"Vocabularies {result.version}: {result.added} added, {result.updated} updated.")


@demo_cli.command("load")
def load_demo_command() -> None:
    """Load the fictional demo catalogue; running it again changes nothing."""
    from registry.demo.loader import load_demo

    report = load_demo()
    commit()  # the command's unit of work ends here
    click.echo(
        f"Demo catalogue: {report.organisations} organisations, {report.interventions} "
        f"interventions, {report.studies} studies added; {len(report.skipped)} interventions "
        "and studies were there already."
    )


@demo_cli.command("generate")
@click.option("--interventions", "count", type=int, required=True, help="How many to add.")
@click.option("--studies", type=int, default=0, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--bulk/--no-bulk", default=None, help="Core inserts (default: above 500).")
def generate_demo_command(count: int, studies: int, seed: int, bulk: bool | None) -> None:
    """Add a large synthetic catalogue (realistic Dutch text and tags) for load tests."""
    from registry.demo.generator import generate

    added = generate(count, studies, seed, bulk=count > 500 if bulk is None else bulk)
    commit()  # the command's unit of work ends here
    click.echo(f"{added} synthetic interventions added; run `flask index rebuild` next.")
