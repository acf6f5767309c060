"""Wiring the keys into the app: `init` creates them."""

from __future__ import annotations

import click
from flask import Flask

from .. import db
from . import service
from .authority import authority, key_store


def _ensure_keys() -> None:
    session = db.session()
    for line in service.ensure_keys(session, key_store(), authority()):
        click.echo(line)
    session.commit()


def init_app(app: Flask) -> None:
    app.extensions.setdefault("init_hooks", []).append(_ensure_keys)
