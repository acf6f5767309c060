"""`broker-registry outbox send`: the worker that mails the outbox (run it from cron/systemd)."""

from __future__ import annotations

import click
from flask import current_app

from .. import db
from ..cli import Group, fail

group = Group("outbox", help="Send queued email.")


@group.command("send")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(min=1),
              help="Messages per run.")
def send(batch: int):
    """Send queued messages; failures stay queued with their error for the next run."""
    from .outbox import send_pending

    settings = current_app.config["SETTINGS"]
    if not settings.outgoing_mail:
        fail("SMTP_URL is not set; nothing can be sent")
    result = send_pending(db.session(), smtp_url=settings.outgoing_mail,
                          sender=settings.mail_sender, batch=batch)
    click.echo(f"sent {result.sent}, failed {result.failed}")
    if result.failed:
        fail(f"{result.failed} message(s) stay queued; see outbox.last_error")
