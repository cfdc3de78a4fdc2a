"""`flask users create|set-role`: accounts from the command line."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from app.auth import services
from app.errors import InvalidInput
from app.extensions import db
from app.models.base import utcnow
from app.models.user import ROLES, SECTORS


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="participant", show_default=True)
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option("--sector", type=click.Choice(SECTORS), default="sector_publico",
              show_default=True)
@click.option("--organization", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(email: str, role: str, display_name: str | None, sector: str,
                organization: str | None, password_stdin: bool) -> None:
    """Create an account with ROLE; the password is read from stdin or prompted."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    minimum = 10
    if len(password) < minimum:
        raise click.ClickException(f"the password needs at least {minimum} characters")
    try:
        user = services.register_user(
            email=email, display_name=display_name or email.split("@")[0], password=password,
            sector=sector, organization=organization, role=role,
        )
    except InvalidInput as error:
        raise click.ClickException(error.message) from None
    user.email_confirmed_at = utcnow()  # created by an operator: nothing to confirm
    db.session.commit()
    click.echo(f"created {user.email} with role {user.role}")


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def set_role(email: str, role: str) -> None:
    """Change the ROLE of the account EMAIL."""
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    services.set_role(user, role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}")
