"""What every command of `broker-registry` shares: an operator's mistake (a bad path, a wrong
passphrase, a database not made yet) is answered with one line on stderr and a non-zero exit,
and leaves the data as it was: commands commit only at their end, and the session is rolled
back when the app context ends. Any other exception is a bug and keeps its traceback.

Every domain's cli.py builds its commands from `Command` and `Group`, and imports nothing
else of the command line; commands.py alone gathers them all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
import sqlalchemy as sa
from flask.cli import AppGroup, ScriptInfo

from certs.errors import KeyFileError, RevocationListError, TrustListError
from certs.offline import SyncError

from .db.backup import BackupError
from .errors import DomainError
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
