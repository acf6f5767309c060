"""Every command of the registry, for `broker-registry` (main.py) and `flask --app`
(create_app): each domain's, and the registry's own (init, demo, backup, restore). See cli.py
for how a command answers an operator's mistake.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import db
from .cli import Command


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


@click.command("demo", cls=Command)
@with_appcontext
def demo_command():
    """Load demonstration data (once; a second run changes nothing)."""
    from .demo.load import load_demo

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
    from .accounts.cli import users
    from .audit.cli import audit
    from .customs.cli import sync_command, verify_command
    from .federation.cli import group as federation
    from .keys.cli import keys
    from .notifications.cli import group as outbox
    from .revocations.cli import group as revocations
    from .screening.cli import group as screening
    from .worker import worker_command

    return (init_command, users, audit, demo_command, keys, revocations, sync_command,
            verify_command, backup_command, restore_command, screening, outbox, federation,
            worker_command)


def register_commands(app: Flask) -> None:
    for command in commands():
        app.cli.add_command(command)
