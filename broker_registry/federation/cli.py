"""`broker-registry federation ...`: trust a partner by URL and fingerprint, list, suspend,
reinstate, remove; refresh the partners' lists and send notices once (the worker does both)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import db
from ..cli import Group, fail
from ..keys.authority import authority
from . import notices, service
from .refresh import refresh_all

group = Group("federation", help="Other states' authorities, trusted under their own roots.")


@group.command("add")
@click.argument("base_url")
@click.option("--fingerprint", help="The root's SHA-256, as received out of band.")
@click.option("--code", help="With --root: the authority's code, typed in by hand.")
@click.option("--name", help="With --root: the authority's name.")
@click.option("--root", "root_file", type=click.Path(exists=True, dir_okay=False),
              help="The root certificate (PEM or DER), instead of fetching the metadata.")
def add(base_url, fingerprint, code, name, root_file):
    """Trust the authority at BASE_URL once its root's fingerprint is confirmed."""
    if root_file:
        candidate = service.candidate(code=code or "", name=name or "", base_url=base_url,
                                      root=Path(root_file).read_bytes())
    else:
        candidate = service.fetch_candidate(base_url)
    click.echo(f"{candidate.code}: {candidate.name} at {candidate.base_url}")
    click.echo(f"root SHA-256 fingerprint {candidate.fingerprint}")
    if not fingerprint:
        fail("nothing added: compare the fingerprint with the one received out of band, then "
             "give it as --fingerprint")
    session = db.session()
    row = service.add(session, actor=None, proposed=candidate, confirmed_fingerprint=fingerprint,
                      home_code=authority().code)
    session.commit()
    click.echo(f"trusted {row.code}; the worker fetches its lists (or run `federation refresh`)")


@group.command("list")
def list_authorities():
    """Each trusted authority: code, status, freshness of its lists, fingerprint."""
    for row in service.listed(db.session()):
        fresh = (f"stale since {row.stale_since:%Y-%m-%d %H:%M:%S} UTC"
                 f"{': ' + row.last_error if row.last_error else ''}" if row.stale_since
                 else f"current, fetched {row.refreshed_at:%Y-%m-%d %H:%M:%S} UTC")
        click.echo(f"{row.code}\t{row.status}\t{row.fingerprint}\t{row.base_url}\t{fresh}")


def _changer(action: str):
    @group.command(action)
    @click.argument("code")
    @click.option("--reason", required=True)
    def command(code: str, reason: str):
        session = db.session()
        row = service.change(session, actor=None, code=code, action=action, reason=reason)
        session.commit()
        click.echo(f"{row.code}: {row.status}")

    command.__doc__ = f"{action.capitalize()} a foreign authority (audited, at once)."
    return command


for _action in service.ACTIONS:
    _changer(_action)


@group.command("refresh")
def refresh():
    """Fetch and verify every partner's lists now; exits non-zero when one failed."""
    outcomes = refresh_all(db.session())
    for outcome in outcomes:
        click.echo(f"{outcome.code}: {'ok' if outcome.ok else 'refused'}: {outcome.what}")
    if not all(outcome.ok for outcome in outcomes):
        raise SystemExit(1)


@group.command("send-notices")
def send_notices():
    """Send the shipment notices that are due now."""
    sent, failed = notices.send_due(db.session())
    click.echo(f"{sent} acknowledged, {failed} to try again")
