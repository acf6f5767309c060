from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path

import click

from certs import pki

from .. import db
from ..cli import Group, fail
from ..errors import ValidationFailed
from ..revocations import publishing
from ..sanctions.service import revoke_signer
from ..validation import Line, parse_value
from . import service
from .authority import authority, key_store

keys = Group("keys", help="The authority's root and document signer keys.")


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
        fail("KID must be 16 hex digits or the base64 of 8 bytes", code=2)
    return raw.hex()


def _reason(_ctx, _param, value: str) -> str:
    """The reason as the audit log keeps it: one line of text, never blank."""
    try:
        reason = parse_value(Line(1000), value, "reason")
    except ValidationFailed as error:
        raise click.BadParameter(error.errors[0].message) from None
    if reason is None:
        raise click.BadParameter("must not be empty")
    return reason


# The encoding a root file's name asks for; any other name needs --format.
ROOT_FORMATS = {".der": "der", ".cer": "der", ".pem": "pem"}


@keys.command("export-root")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--format", "encoding", type=click.Choice(["der", "pem"]),
              help="DER or PEM; by default from FILE's name (.der or .cer: DER, .pem: PEM).")
def export_root(file: str, encoding: str | None):
    """Write the root certificate for verifiers to pin out of band (DER or PEM)."""
    encoding = encoding or ROOT_FORMATS.get(Path(file).suffix.lower())
    if encoding is None:
        fail(f"cannot tell the format from the name {file!r}: name it .der, .cer or .pem, "
             "or give --format der or --format pem", code=2)
    store = key_store()
    if not store.has_root():
        fail("there is no root yet; run `broker-registry init`")
    cert = store.root_certificate()
    data = pki.certificate_der(cert) if encoding == "der" else pki.certificate_pem(cert)
    with open(file, "wb") as handle:
        handle.write(data)
    fingerprint = hashlib.sha256(pki.certificate_der(cert)).hexdigest()
    click.echo(f"wrote {file} ({encoding.upper()}); SHA-256 fingerprint {fingerprint}")


@keys.command("rotate")
def rotate():
    """A new document signer takes over; what the old one signed stays valid."""
    session = db.session()
    signer = service.rotate(session, key_store(), authority())
    session.commit()
    click.echo(f"signer {signer.kid} now signs; the previous signer is retired")
    _republish(session)


@keys.command("revoke")
@click.argument("kid")
@click.option("--reason", required=True, callback=_reason, help="Why (key compromise, ...).")
def revoke(kid: str, reason: str):
    """Revoke a signer key: every certificate it signed fails verification from now on."""
    session = db.session()
    revoked = revoke_signer(session, key_store(), authority(), kid_hex=_kid_hex(kid),
                            reason=reason)
    # The key that takes over must open before the revocation is committed: a revocation
    # that no list could be signed for is not recorded.
    service.open_active_key(session, key_store())
    session.commit()
    click.echo(f"revoked {len(revoked)} signer key(s) with kid {revoked[0].kid}")
    _republish(session)


def _republish(session) -> None:
    """Key changes are urgent: the new signer signs a full list now (the worker would within
    seconds)."""
    published = publishing.publish_if_due(session, store=key_store(),
                                          authority=authority().code)
    if published is not None:
        click.echo(f"published the revocation list at sequence {published.sequence}, signed "
                   f"by {published.kid.hex()}")


@keys.command("list")
def list_keys():
    """List signer keys with their kid and status."""
    for signer in service.all_signers(db.session()):
        kid = base64.b64encode(bytes.fromhex(signer.kid)).decode()
        click.echo(f"{signer.kid}\t{kid}\t{signer.status}\t{signer.created_at:%Y-%m-%d}")
