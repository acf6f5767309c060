"""`broker-registry sync` and `verify`: the offline verifier, for a border post with no network."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import click

from certs import reasons
from certs.errors import RevocationListError, TrustListError
from certs.federation import UNSIGNED_BY_ISSUER, verify_issued
from certs.offline import SyncError, load, sync
from certs.offline_partners import load_all, sync_partners
from certs.verify import Result, verify

from ..cli import Command, fail
from ..settings import verifier_folder
from ..validation import parse_rfc3339


def _check_server(server: str) -> str:
    """The registry's http(s) address, refused before anything is fetched or written."""
    server = server.strip()
    try:
        parts = urlsplit(server)
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError as error:
        fail(f"--server {server!r} is not a URL: {error}")
    if parts.scheme not in {"http", "https"} or not parts.hostname \
            or any(c.isspace() or not c.isprintable() for c in server):
        fail("--server must be an http:// or https:// address, e.g. https://registry.example")
    return server


@click.command("sync", cls=Command, needs_database=False)
@click.option("--server", required=True, help="The registry, e.g. https://registry.example")
@click.option("--dir", "directory", default=verifier_folder, show_default="$DATA/verifier",
              help="Folder holding the pinned root, trust list and revocation lists.")
@click.option("--root", "root_file", type=click.Path(exists=True, dir_okay=False),
              help="Pin this root certificate (PEM or DER) into the folder first.")
def sync_command(server: str, directory: str, root_file: str | None):
    """Fetch the trust list and revocation list (a delta after the first time)."""
    server = _check_server(server)
    root_pem = Path(root_file).read_bytes() if root_file else None
    try:
        what, kit = sync(server, directory, root_pem=root_pem)
    except (SyncError, TrustListError, RevocationListError) as error:
        fail(str(error))
    click.echo(f"synced {directory}: {what}; {len(kit.trust.signers)} signer(s) trusted")
    try:
        for said in sync_partners(server, directory, kit):
            click.echo(said)
    except SyncError as error:
        click.echo(f"note: no partner authorities synced: {error}")
    for note in kit.notes(time.time()):
        click.echo(f"note: {note}")


def _names_a_file(argument: str) -> bool:
    try:
        return Path(argument).is_file()
    except (OSError, ValueError):  # too long, or a NUL: no file's name, so the payload itself
        return False


def _payload(argument: str, decode_seconds: float) -> str:
    if not argument.startswith("EUC1:") and len(argument) < 4096 and _names_a_file(argument):
        data = Path(argument).read_bytes()
        if data[:5] == b"EUC1:":
            return data.decode("ascii", errors="replace").strip()
        from ..customs.images import read_qr
        from ..customs.qr_reader import QrReader
        from ..errors import ValidationFailed

        try:
            return read_qr(data, QrReader(decode_seconds))
        except ValidationFailed as error:
            fail(f"{argument}: the picture {error.errors[0].message}", code=2)
    return argument.strip()


def _moment(_ctx, _param, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_rfc3339(value, dates=False).timestamp()
    except (ValueError, TypeError, OverflowError):
        raise click.BadParameter("must be an RFC 3339 date-time with its offset, e.g. "
                                 "2026-06-15T12:00:00Z") from None


def _coded(reason) -> str:
    """A reason code with its parameters, as the spec names them: `expired {"exp": 1780}`."""
    params = json.dumps(dict(reason.params), ensure_ascii=False, separators=(", ", ": "))
    return reason.code if params == "{}" else f"{reason.code} {params}"


@click.command("verify", cls=Command, needs_database=False)
@click.argument("payload_or_image")
@click.option("--dir", "directory", default=verifier_folder, show_default="$DATA/verifier")
@click.option("--trust-list", type=click.Path(exists=True, dir_okay=False))
@click.option("--revocations", type=click.Path(exists=True, dir_okay=False))
@click.option("--root", type=click.Path(exists=True, dir_okay=False))
@click.option("--decode-seconds", type=click.FloatRange(min=0, min_open=True, max=60),
              default=2.0, show_default=True,
              help="How long a photo is searched for its QR code before giving up.")
@click.option("--at", "moment", callback=_moment, metavar="TIME",
              help="Check as at this RFC 3339 time (e.g. when the goods crossed), not now.")
def verify_command(payload_or_image, directory, trust_list, revocations, root, decode_seconds,
                   moment):
    """Verify a certificate offline; exits non-zero for anything but VALID."""
    folder = None if (trust_list and root) else directory
    try:
        kit = load(folder, root=root, trust_list=trust_list, revocations=revocations)
    except (OSError, TrustListError, RevocationListError, SyncError, ValueError) as error:
        fail(f"cannot load the verifier's lists: {error}; run `broker-registry sync` or name "
             "--root and --trust-list", code=2)
    now = time.time() if moment is None else moment
    payload = _payload(payload_or_image, decode_seconds)
    try:
        kits = load_all(folder, kit) if folder else {}
    except (OSError, ValueError, SyncError) as error:
        fail(f"cannot load the partners' lists: {error}; run `broker-registry sync` again",
             code=2)
    if len(kits) > 1:
        result = verify_issued(payload, authorities={c: h for c, (h, _k) in kits.items()},
                               now=now)
        issuer = kits.get(result.claims.iss if result.claims else None)
        if issuer is not None and issuer[1] is not kit \
                and result.result not in UNSIGNED_BY_ISSUER:
            kit = issuer[1]  # its notes: how old that authority's lists are
            home = issuer[0].trust.authority
            result = replace(result, notices=(*result.notices, reasons.Reason(
                "issued_abroad", {"authority": home.code, "name": home.name})))
    else:
        result = verify(payload, trust=kit.trust, revocations=kit.revocations, now=now)
    if moment is not None:
        click.echo(f"checked as at {reasons.when(int(moment))}")
    click.echo(f"{result.result}: {result.reason}")
    click.echo(f"code: {_coded(result.why)}")
    notices = list({_coded(n): n for n in (*result.notices, *kit.notices(now))}.values())
    for notice in notices:
        click.echo(f"note: {notice.sentence}")
    if notices:
        click.echo(f"note codes: {'; '.join(_coded(n) for n in notices)}")
    if result.content is not None:
        content = result.content
        click.echo(f"certificate {content['number']} under licence {content['licence_number']}")
        click.echo(f"end user: {content['end_user']['name']} ({content['end_user']['country']})")
        for line in content["goods"]:
            click.echo(f"  line {line['line']}: {line['quantity']} {line['unit']} "
                       f"{line['description']} [{line['category']}]")
    sys.exit(0 if result.result == Result.VALID else 1)

