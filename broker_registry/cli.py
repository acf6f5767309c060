"""The `broker-registry` command (also `flask --app broker_registry`).

An operator's mistake (a bad path, a wrong passphrase, a database not made yet) is answered
with one line on stderr and a non-zero exit, and leaves the data as it was: commands commit
only at their end, and the session is rolled back when the app context ends. Any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, ScriptInfo, with_appcontext

from certs.errors import KeyFileError, RevocationListError, TrustListError
from certs.offline import SyncError

from . import db
from .db.backup import BackupError
from .errors import DomainError
from .permissions import Role
from .settings import ConfigurationError

# Errors whose own message already says what to fix.
_STATED = (KeyFileError, TrustListError, RevocationListError, SyncError, BackupError,
           ConfigurationError)
_MISSING_TABLE = "42P01"  # PostgreSQL's SQLSTATE for "undefined table"


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {' '.join(str(message).split())}", err=True)
    sys.exit(code)


def explain(error: Exception) -> str | None:
    """The line an operator needs for an error they can fix; None for anything else."""
    if isinstance(error, DomainError):
        return error.detail
    if isinstance(error, _STATED):
        return str(error)
    if isinstance(error, OSError):
        return _os_problem(error)
    if isinstance(error, sa.exc.DBAPIError):
        return _database_problem(error)
    return None


def _os_problem(error: OSError) -> str:
    name = error.filename
    if name is None:
        return error.strerror or str(error)
    name = str(name)
    shown = name if len(name) <= 80 else f"{name[:77]}..."
    return f"{shown}: {error.strerror or error}"


def _database_problem(error: sa.exc.DBAPIError) -> str | None:
    cause = str(error.orig).strip().split("\n")[0]
    if "no such table" in cause or getattr(error.orig, "sqlstate", None) == _MISSING_TABLE:
        return "the database has no tables yet: run `broker-registry init` first"
    # Unreachable, locked, or not a database at all (the driver's bare DatabaseError).
    if isinstance(error, sa.exc.OperationalError) or type(error) is sa.exc.DatabaseError:
        return f"cannot use the database: {cause}"
    return None


def _require_database(ctx: click.Context) -> None:
    """Refuse before SQLite creates an empty database file that only `init` should make."""
    engine = ctx.ensure_object(ScriptInfo).load_app().extensions["db"].engine
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if path and path != ":memory:" and not Path(path).exists():
        fail(f"there is no database at {path}: run `broker-registry init` first")


class Command(click.Command):
    """A command that answers the operator's errors with one line (see `explain`)."""

    def __init__(self, *args, needs_database: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_database = needs_database

    def invoke(self, ctx: click.Context):
        if self.needs_database:
            _require_database(ctx)
        try:
            return super().invoke(ctx)
        except Exception as error:
            message = explain(error)
            if message is None:
                raise
            fail(message)


class Group(AppGroup):
    """An app group whose commands are `Command`s."""

    command_class = Command


users = Group("users", help="Manage staff and broker accounts.")
audit = Group("audit", help="Check the audit log.")


@click.command("init", cls=Command, needs_database=False)
@with_appcontext
def init_command():
    """Create or migrate the database (and the authority's keys, when there are none)."""
    from .db.migrate import upgrade
    from .db.private_files import private_folder

    settings = current_app.config["SETTINGS"]
    private_folder(settings.data_dir)
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
    from .accounts.schemas import SignUp
    from .validation import parse

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
    from .accounts import service

    for account in service.list_accounts(db.session()):
        state = "active" if account.active else "deactivated"
        click.echo(f"{account.id}\t{account.role}\t{state}\t{account.email}")


def _change_standing(email: str, action: str, reason: str) -> None:
    from .accounts import service
    from .accounts.schemas import StandingChange
    from .validation import parse

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


@click.command("demo", cls=Command)
@with_appcontext
def demo_command():
    """Load demonstration data (once; a second run changes nothing)."""
    from .demo import load_demo

    for line in load_demo(db.session(), current_app.config["SETTINGS"]):
        click.echo(line)


@click.command("backup", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(file: str):
    """Write a consistent copy of the database to FILE (SQLite backup API, or pg_dump)."""
    from .db.backup import backup

    backup(db.get_db().engine, file)
    click.echo(f"backup written to {file}")


@click.command("restore", cls=Command, needs_database=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds tables.")
@with_appcontext
def restore_command(file: str, force: bool):
    """Restore the database from FILE; refuses a non-empty database unless --force."""
    from .db.backup import restore

    restore(db.get_db().engine, file, force=force)
    click.echo(f"database restored from {file}")


def commands() -> tuple[click.Command, ...]:
    """Every command of the registry, for `broker-registry` and for `flask --app`."""
    from .customs.cli import sync_command, verify_command
    from .keys.cli import keys
    from .notifications.cli import group as outbox
    from .revocations.cli import group as revocations
    from .screening.cli import group as screening
    from .worker import worker_command

    return (init_command, users, audit, demo_command, keys, revocations, sync_command,
            verify_command, backup_command, restore_command, screening, outbox, worker_command)


def register_commands(app: Flask) -> None:
    for command in commands():
        app.cli.add_command(command)


def _create_app():
    from . import create_app

    try:
        return create_app()
    except sa.exc.ArgumentError as error:  # also an unknown database driver
        fail(f"DATABASE_URL is not a database URL this registry can use: {error}")
    except (ConfigurationError, OSError) as error:
        fail(f"cannot start: {explain(error)}")
    except UnicodeDecodeError:
        fail("cannot start: a secret (SECRET_KEY or BROKER_REGISTRY_KEY_PASSPHRASE, from its "
             "_FILE or from the data folder) is not UTF-8 text")
    except ValueError as error:  # a DATABASE_URL whose port is not a number, say
        fail(f"cannot start: {error} (check DATABASE_URL)")


class CommandLine(FlaskGroup):
    """`broker-registry`: every command is the group's own, so listing them never builds the
    app. The help shows them all even when the configuration is broken, and `sync` and
    `verify` work at a border post that has no registry configured. Each command builds the
    app itself when it needs it, and a broken configuration then stops it with one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return click.Group.list_commands(self, ctx)


def command_line() -> FlaskGroup:
    group = CommandLine(create_app=_create_app, add_default_commands=True,
                        help="broker_registry: arms broker registration and end-user "
                             "certificates.")
    for command in commands():
        group.add_command(command)
    return group


def main() -> None:
    command_line().main(prog_name="broker-registry")
