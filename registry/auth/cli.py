"""`flask users create|roles|list`: manage accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from registry.errors import DomainError
from registry.extensions import db
from registry.models import User
from registry.models.user import ROLES
from registry.unit_of_work import commit

users_cli = AppGroup("users", help="Accounts and roles.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Display name (default: the e-mail address).")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
              help="Repeat for several roles.")
@click.option("--organisation-id", type=int, default=None)
@click.password_option(help="Asked for when not given.")
def create_user_command(email, name, roles, organisation_id, password) -> None:
    """Create a user with one or more roles."""
    from registry.services.accounts import create_user

    try:
        user = create_user(email, name or email, password, list(roles),
                           organisation_id=organisation_id)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    commit()  # the command's unit of work ends here
    click.echo(f"Gebruiker {user.email} aangemaakt met rollen: {', '.join(sorted(user.roles))}")


@users_cli.command("roles")
@click.option("--email", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES))
def set_roles_command(email, roles) -> None:
    """Replace a user's roles."""
    from registry.services.accounts import normalise_email, set_roles

    user = db.session.scalar(select(User).filter_by(email=normalise_email(email)))
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    set_roles(user, list(roles))
    commit()  # the command's unit of work ends here
    click.echo(f"{user.email}: {', '.join(sorted(user.roles)) or '(geen rollen)'}")


@users_cli.command("activate")
@click.option("--email", required=True)
@click.option("--off", is_flag=True, help="Deactivate instead.")
def activate_command(email, off) -> None:
    """Activate (or with --off deactivate) a user: the way back in when no admin can."""
    from registry.services.accounts import normalise_email, set_active

    user = db.session.scalar(select(User).filter_by(email=normalise_email(email)))
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    set_active(user, not off)
    commit()
    click.echo(f"{user.email}: {'actief' if user.active else 'geblokkeerd'}")


@users_cli.command("list")
def list_users_command() -> None:
    """List users and their roles."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        state = "" if user.active else " (geblokkeerd)"
        click.echo(f"{user.email}{state}: {', '.join(sorted(user.roles))}")
