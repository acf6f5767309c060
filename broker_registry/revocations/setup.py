"""Wiring the revocation list into the app: `init` publishes the first full list, so that no
request ever finds none (or builds one)."""

from __future__ import annotations

import click
from flask import Flask

from .. import db
from ..keys.authority import authority, key_store
from . import publishing


def _publish_first() -> None:
    published = publishing.publish_if_due(db.session(), store=key_store(),
                                          authority=authority().code)
    if published is not None:
        click.echo(f"published the revocation list at sequence {published.sequence}")


def init_app(app: Flask) -> None:
    app.extensions.setdefault("init_hooks", []).append(_publish_first)
