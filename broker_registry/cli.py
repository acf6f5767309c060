"""The `broker-registry` command (also `flask --app broker_registry`)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from . import db
from .errors import DomainError
from .permissions import Role

users = AppGroup("users", help="Manage staff and broker accounts.")
audit = AppGroup("audit", help="Check the audit log.")


def fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.command("init")
@with_appcontext
def init_command():
    """Create or migrate the database (and the authority's keys, when there are none)."""
    from .migrate import upgrade

    settings = current_app.config["SETTINGS"]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(db.get_db().engine)
    click.echo(f"database ready: {db.get_db().engine.url.render_as_string(hide_password=True)}")
    for hook in current_app.extensions.get("init_hooks", []):
        hook()


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", default=None, help="Display name (default: the email).")
@click.option("--password", default=None, help="Prompted for (hidden) when not given.")
def create_user(email: str, role: str, display_name: str | None, password: str | None):
    """Create an account with a role (staff accounts are never made by sign-up)."""
    from .accounts import service

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    session = db.session()
    try:
        account = service.create_account(session, email=email, password=password,
                                         display_name=display_name or email, role=Role(role))
        session.commit()
    except DomainError as error:
        fail(error.detail)
    click.echo(f"created {account.role} account {account.email} (id {account.id})")


@users.command("list")
def list_users():
    """List accounts with their roles."""
    from .accounts import service

    for account in service.list_accounts(db.session()):
        state = "active" if account.active else "disabled"
        click.echo(f"{account.id}\t{account.role}\t{state}\t{account.email}")


@audit.command("verify")
def verify_audit():
    """Check the hash chain; name every entry that was edited, deleted or reordered."""
    from .audit.service import verify

    problems = verify(db.session())
    if not problems:
        click.echo("audit log intact")
        return
    for problem in problems:
        click.echo(str(problem), err=True)
    fail(f"audit log damaged: {len(problems)} problem(s)")


@click.command("demo")
@with_appcontext
def demo_command():
    """Load demonstration data (once; a second run changes nothing)."""
    from .demo import load_demo

    for line in load_demo(db.session(), current_app.config["SETTINGS"]):
        click.echo(line)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(file: str):
    """Write a consistent copy of the database to FILE (SQLite backup API, or pg_dump)."""
    from .backup import BackupError, backup

    try:
        backup(db.get_db().engine, file)
    except BackupError as error:
        fail(str(error))
    click.echo(f"backup written to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds tables.")
@with_appcontext
def restore_command(file: str, force: bool):
    """Restore the database from FILE; refuses a non-empty database unless --force."""
    from .backup import BackupError, restore

    try:
        restore(db.get_db().engine, file, force=force)
    except BackupError as error:
        fail(str(error))
    click.echo(f"database restored from {file}")


def register_commands(app: Flask) -> None:
    from .customs.cli import sync_command, verify_command
    from .keys.cli import keys
    from .revocations.cli import group as revocations

    for command in (init_command, users, audit, demo_command, keys, revocations, sync_command,
                    verify_command, backup_command, restore_command):
        app.cli.add_command(command)


def _create_app():
    from . import create_app

    return create_app()


def main() -> None:
    group = FlaskGroup(create_app=_create_app, add_default_commands=True,
                       help="broker_registry: arms broker registration and end-user certificates.")
    group.main(prog_name="broker-registry")
