"""`broker-registry`, the command line's entry point: every command of commands.py, each
building the app itself when it needs one."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import FlaskGroup

from . import create_app
from .cli import explain, fail
from .commands import commands
from .settings import ConfigurationError


def _create_app():
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
