"""`broker-registry users ...`: staff and broker accounts, from the command line."""

from __future__ import annotations

import click

from .. import db
from ..cli import Group, fail
from ..permissions import Role

users = Group("users", help="Manage staff and broker accounts.")


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", default=None, help="Display name (default: the email).")
@click.option("--password", default=None, help="Prompted for (hidden) when not given.")
def create_user(email: str, role: str, display_name: str | None, password: str | None):
    """Create an account with a role (staff accounts are never made by sign-up)."""
    from ..validation import parse
    from . import service
    from .schemas import SignUp

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # The checks of the sign-up form, so that a staff account is held to the same rules.
    body = parse(SignUp, {"email": email, "password": password,
                          "display_name": display_name or email})
    session = db.session()
    account = service.create_account(session, email=body.email, password=body.password,
                                     display_name=body.display_name, role=Role(role))
    session.commit()
    click.echo(f"created {account.role} account {account.email} (id {account.id})")


@users.command("list")
def list_users():
    """List accounts with their roles."""
    from . import service

    for account in service.list_accounts(db.session()):
        state = "active" if account.active else "deactivated"
        click.echo(f"{account.id}\t{account.role}\t{state}\t{account.email}")


def _change_standing(email: str, action: str, reason: str) -> None:
    from ..validation import parse
    from . import service
    from .schemas import StandingChange

    body = parse(StandingChange, {"reason": reason})
    session = db.session()
    account = service.find_by_email(session, email)
    if account is None:
        fail(f"there is no account {email}")
    service.change_standing(session, actor=None, account_id=account.id, action=action,
                            reason=body.reason)
    session.commit()
    click.echo(f"{action}d {account.role} account {account.email}")


@users.command("deactivate")
@click.argument("email")
@click.option("--reason", required=True, help="Why, for the audit log.")
def deactivate_user(email: str, reason: str):
    """Deactivate an account: every session and API token of it ends at once."""
    _change_standing(email, "deactivate", reason)


@users.command("reactivate")
@click.argument("email")
@click.option("--reason", required=True, help="Why, for the audit log.")
def reactivate_user(email: str, reason: str):
    """Let a deactivated account sign in again (its old sessions and tokens stay ended)."""
    _change_standing(email, "reactivate", reason)
