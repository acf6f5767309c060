from __future__ import annotations

import click

from .. import db
from ..authority import authority, key_store
from ..cli import Group
from ..keys.service import active_signer
from . import service

group = Group("revocations", help="The public revocation list.")


@group.command("publish")
def publish():
    """Build and sign a full list at the current sequence (run it from cron every few minutes:
    it signs again when the sequence moved on or the newest list nears its next_update)."""
    session = db.session()
    upto = service.sequence(session)
    newest = service.newest_snapshot(session)
    if newest is not None and not service.due_again(newest, upto):
        click.echo(f"the full list at sequence {upto} is already published and current")
        return
    snapshot = service.build_snapshot(session, active_signer(session, key_store()),
                                      authority=authority().code, upto=upto)
    session.commit()
    click.echo(f"published the full list at sequence {upto} ({len(snapshot.body)} bytes)")
