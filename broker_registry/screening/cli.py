"""`broker-registry screening import-un-list FILE`."""

from __future__ import annotations

import click
from flask import current_app

from .. import db
from ..cli import Group
from .unlist import MAX_BYTES

group = Group("screening", help="Maintain the screening lists.")


@group.command("import-un-list")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_un_list(path: str):
    """Replace the UN part of the denied-parties list with a Consolidated List XML file."""
    from . import service

    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    session = db.session()
    count = service.import_un_list(session, actor=None, data=data, filename=path)
    session.commit()
    current_app.logger.info("UN list imported from %s", path)
    click.echo(f"imported {count} listed parties from {path}")
