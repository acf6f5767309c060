from __future__ import annotations

import click

from .. import db
from ..cli import Group
from ..keys.authority import authority, key_store
from . import publishing, service

group = Group("revocations", help="The public revocation list.")


@group.command("publish")
@click.option("--force", is_flag=True, help="Sign a new edition even when the list is current.")
def publish(force: bool):
    """Sign and store the full list at the current sequence, when one is due. The worker
    (`broker-registry worker`) does this by itself within seconds of a change; this command
    is for an operator's hand."""
    session = db.session()
    published = publishing.publish_if_due(session, store=key_store(),
                                          authority=authority().code, force=force)
    if published is not None:
        click.echo(f"published the full list at sequence {published.sequence} "
                   f"({published.size} bytes, {published.entries} entries)")
        return
    newest = service.newest_published(session)
    if newest is not None and newest.sequence == service.sequence(session):
        click.echo(f"the full list at sequence {newest.sequence} is already published and "
                   f"current")
    else:
        click.echo("another process is publishing the list at this moment")
