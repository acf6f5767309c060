"""`broker-registry sync` and `verify`: the offline verifier, for a border post with no network."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from certs.errors import RevocationListError, TrustListError
from certs.offline import SyncError, load, sync
from certs.verify import Result, verify


def _default_dir() -> str:
    return str(Path(os.environ.get("BROKER_REGISTRY_DATA", "instance")) / "verifier")


@click.command("sync")
@click.option("--server", required=True, help="The registry, e.g. https://registry.example")
@click.option("--dir", "directory", default=_default_dir, show_default="$DATA/verifier",
              help="Folder holding the pinned root, trust list and revocation lists.")
@click.option("--root", "root_file", type=click.Path(exists=True, dir_okay=False),
              help="Pin this root certificate (PEM) into the folder first.")
def sync_command(server: str, directory: str, root_file: str | None):
    """Fetch the trust list and revocation list (a delta after the first time)."""
    root_pem = Path(root_file).read_bytes() if root_file else None
    try:
        what, kit = sync(server, directory, root_pem=root_pem)
    except (SyncError, TrustListError, RevocationListError, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"synced {directory}: {what}; {len(kit.trust.signers)} signer(s) trusted")
    for note in kit.notes(time.time()):
        click.echo(f"note: {note}")


def _payload(argument: str) -> str:
    path = Path(argument)
    if not argument.startswith("EUC1:") and len(argument) < 4096 and path.is_file():
        data = path.read_bytes()
        if data[:5] == b"EUC1:":
            return data.decode("ascii", errors="replace").strip()
        from ..customs.images import read_qr
        from ..errors import ValidationFailed

        try:
            return read_qr(data)
        except ValidationFailed as error:
            click.echo(f"error: {error.detail}", err=True)
            sys.exit(2)
    return argument.strip()


@click.command("verify")
@click.argument("payload_or_image")
@click.option("--dir", "directory", default=_default_dir, show_default="$DATA/verifier")
@click.option("--trust-list", type=click.Path(exists=True, dir_okay=False))
@click.option("--revocations", type=click.Path(exists=True, dir_okay=False))
@click.option("--root", type=click.Path(exists=True, dir_okay=False))
def verify_command(payload_or_image, directory, trust_list, revocations, root):
    """Verify a certificate offline; exits non-zero for anything but VALID."""
    try:
        kit = load(None if (trust_list and root) else directory, root=root,
                   trust_list=trust_list, revocations=revocations)
    except (OSError, TrustListError, RevocationListError, ValueError) as error:
        click.echo(f"error: cannot load the verifier's lists: {error}; run `broker-registry "
                   "sync` or name --root and --trust-list", err=True)
        sys.exit(2)
    now = time.time()
    result = verify(_payload(payload_or_image), trust=kit.trust, revocations=kit.revocations,
                    now=now)
    click.echo(f"{result.result}: {result.reason}")
    for warning in dict.fromkeys((*result.warnings, *kit.notes(now))):
        click.echo(f"note: {warning}")
    if result.content is not None:
        content = result.content
        click.echo(f"certificate {content['number']} under licence {content['licence_number']}")
        click.echo(f"end user: {content['end_user']['name']} ({content['end_user']['country']})")
        for line in content["goods"]:
            click.echo(f"  line {line['line']}: {line['quantity']} {line['unit']} "
                       f"{line['description']} [{line['category']}]")
    sys.exit(0 if result.result == Result.VALID else 1)
