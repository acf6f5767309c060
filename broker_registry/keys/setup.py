"""Wiring the keys into the app: `init` creates them, a revoked key reaches the revocation list."""

from __future__ import annotations

import click
from flask import Flask, current_app

from .. import db
from ..authority import authority, key_store
from ..revocations import service as revocations
from . import service


def _ensure_keys() -> None:
    session = db.session()
    for line in service.ensure_keys(session, key_store(), authority()):
        click.echo(line)
    session.commit()


def _signer_revoked(session, kid_hex: str) -> None:
    revocations.record_signer(session, kid_hex)
    trust = current_app.extensions.get("server_trust")
    if trust is not None:
        trust.invalidate()  # this worker refuses the key at once; the others within a second


def init_app(app: Flask) -> None:
    app.extensions.setdefault("init_hooks", []).append(_ensure_keys)
    if _signer_revoked not in service.REVOCATION_HOOKS:
        service.REVOCATION_HOOKS.append(_signer_revoked)
