from __future__ import annotations

import base64
import binascii
import sys

import click
from flask.cli import AppGroup

from certs import pki

from .. import db
from ..authority import authority, key_store
from ..errors import DomainError
from ..revocations import service as revocations
from . import service

keys = AppGroup("keys", help="The authority's root and document signer keys.")


def _kid_hex(kid: str) -> str:
    """A kid as given on the command line: 16 hex digits, or the trust list's base64."""
    kid = kid.strip()
    if len(kid) == 16 and all(c in "0123456789abcdefABCDEF" for c in kid):
        return kid.lower()
    try:
        raw = base64.b64decode(kid, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 8:
        click.echo("error: KID must be 16 hex digits or the base64 of 8 bytes", err=True)
        sys.exit(2)
    return raw.hex()


@keys.command("export-root")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def export_root(file: str):
    """Write the root certificate (PEM) for verifiers to pin out of band."""
    store = key_store()
    if not store.has_root():
        click.echo("error: there is no root yet; run `broker-registry init`", err=True)
        sys.exit(1)
    cert = store.root_certificate()
    with open(file, "wb") as handle:
        handle.write(pki.certificate_pem(cert))
    fingerprint = pki.certificate_der(cert)
    import hashlib

    click.echo(f"wrote {file}; SHA-256 fingerprint {hashlib.sha256(fingerprint).hexdigest()}")


@keys.command("rotate")
def rotate():
    """A new document signer takes over; what the old one signed stays valid."""
    session = db.session()
    signer = service.rotate(session, key_store(), authority())
    session.commit()
    click.echo(f"signer {signer.kid} now signs; the previous signer is retired")


@keys.command("revoke")
@click.argument("kid")
@click.option("--reason", required=True, help="Why (key compromise, ...).")
def revoke(kid: str, reason: str):
    """Revoke a signer key: every certificate it signed fails verification from now on."""
    session = db.session()
    try:
        revoked = service.revoke(session, key_store(), authority(), kid_hex=_kid_hex(kid),
                                 reason=reason)
        session.commit()
        # Key compromise is urgent: publish a full list naming the key at once.
        revocations.build_snapshot(session, service.active_signer(session, key_store()),
                                   authority=authority().code,
                                   upto=revocations.sequence(session))
        session.commit()
    except DomainError as error:
        click.echo(f"error: {error.detail}", err=True)
        sys.exit(1)
    click.echo(f"revoked {len(revoked)} signer key(s) with kid {revoked[0].kid}")


@keys.command("list")
def list_keys():
    """List signer keys with their kid and status."""
    for signer in service.all_signers(db.session()):
        kid = base64.b64encode(bytes.fromhex(signer.kid)).decode()
        click.echo(f"{signer.kid}\t{kid}\t{signer.status}\t{signer.created_at:%Y-%m-%d}")
