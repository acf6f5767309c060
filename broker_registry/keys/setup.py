"""Wiring the keys into the app: `init` creates them, a revoked key reaches the revocation list."""

from __future__ import annotations

import click
from flask import Flask, current_app

from .. import db
from ..revocations import service as revocations
from . import service
from .authority import authority, key_store


def _ensure_keys() -> None:
    session = db.session()
    for line in service.ensure_keys(session, key_store(), authority()):
        click.echo(line)
    session.commit()


def _signer_revoked(session, *, kid_hex: str, signer_ids: list[int], actor, reason: str) -> None:
    from ..certificates.service import follow_signer

    revocations.record_signer(session, kid_hex)
    follow_signer(session, actor=actor, signer_ids=signer_ids, kid_hex=kid_hex, reason=reason)
    trust = current_app.extensions.get("server_trust")
    if trust is not None:
        trust.invalidate()  # this worker refuses the key at once; the others within a second


def init_app(app: Flask) -> None:
    app.extensions.setdefault("init_hooks", []).append(_ensure_keys)
    if _signer_revoked not in service.REVOCATION_HOOKS:
        service.REVOCATION_HOOKS.append(_signer_revoked)
