"""The worker's refresh of each foreign authority's trust list and revocation list: fetched
from the partner (the trust list with its ETag, the revocation list as a delta from the
sequence held), verified under the root the admin confirmed, and only then stored. Anything
that cannot be fetched or verified changes nothing but the note of since when it is stale."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlmodel import Session, select

from certs import pki
from certs.errors import RevocationListError, TrustListError
from certs.revocation_list import RevocationState, parse_revocation_list
from certs.trust_list import parse_trust_list

from ..db import intent
from ..db.columns import utcnow
from . import fetching
from .models import AuthorityStatus, ForeignAuthority
from .trust import state_of

UNCHANGED = "unchanged"


class Refused(RuntimeError):
    """What the partner answered cannot be used: nothing held changes."""


@dataclass(frozen=True)
class Outcome:
    code: str
    ok: bool
    what: str


# What a refresh writes back, in a short transaction of its own once the network is done.
_KEPT = ("trust_list", "trust_list_etag", "revocations_full", "revocations_deltas",
         "refreshed_at", "stale_since", "last_error", "updated_at")


def refresh_all(session: Session, *, timeout: float = 10) -> list[Outcome]:
    """Refresh every active foreign authority, each in its own transaction."""
    with intent(write=False):
        codes = list(session.exec(select(ForeignAuthority.code).where(
            ForeignAuthority.status == AuthorityStatus.ACTIVE).order_by(ForeignAuthority.code)))
        session.rollback()
    return [refresh(session, code, timeout=timeout) for code in codes]


def refresh(session: Session, code: str, *, timeout: float = 10) -> Outcome:
    """No transaction is open while the partner is asked: on SQLite a writer would hold
    every other writer back for as long as the partner takes to answer."""
    with intent(write=False):
        row = session.exec(select(ForeignAuthority).where(ForeignAuthority.code == code)).one()
        session.expunge(row)
        session.rollback()
    try:
        what = _fetch_and_apply(row, timeout)
    except (fetching.Unreachable, Refused) as error:
        stored = session.get(ForeignAuthority, row.id)
        stored.stale_since = stored.stale_since or utcnow()
        stored.last_error = str(error)[:500]
        session.add(stored)
        session.commit()
        return Outcome(code, False, str(error))
    stored = session.get(ForeignAuthority, row.id)
    for name in _KEPT:
        setattr(stored, name, getattr(row, name))
    session.add(stored)
    session.commit()
    return Outcome(code, True, what)


def _fetch_and_apply(row: ForeignAuthority, timeout: float) -> str:
    base, root = row.base_url, pki.load_certificate(row.root_der)
    answer = fetching.get(f"{base}/api/v1/trust-list", etag=row.trust_list_etag,
                          timeout=timeout)
    trust_body = row.trust_list if answer.status == 304 else answer.body
    try:
        trust = parse_trust_list(trust_body or b"", root_cert=root)
    except TrustListError as error:
        raise Refused(f"the trust list does not verify under {row.code}'s root: {error}") \
            from None
    if trust.authority is None or trust.authority.code != row.code:
        raise Refused(f"the trust list is not {row.code}'s")
    # Held: the newest full list and one delta on top of it. A delta answers every change
    # after its base, so asking from the full list's sequence each time is all it takes; a
    # newer full list published meanwhile comes back in its place.
    full, what = row.revocations_full, []
    state = state_of(row.revocations_full, [], trust)
    if state is None:
        full = fetching.get(f"{base}/api/v1/revocations", timeout=timeout).body
        state = RevocationState()
        _apply(state, full, trust, row.code, full=True)
        what.append(f"full list {state.sequence}")
    body = fetching.get(f"{base}/api/v1/revocations?since={state.sequence}",
                        timeout=timeout).body
    answer_list = _apply(state, body, trust, row.code)
    if answer_list.is_full:
        full, deltas = body, []
        what.append(f"full list {state.sequence}")
    else:
        deltas = [base64.b64encode(body).decode("ascii")]
        what.append(f"{len(answer_list.entries)} change(s) to {state.sequence}")
    changed = (trust_body, full, deltas) != (row.trust_list, row.revocations_full,
                                             row.revocations_deltas)
    row.trust_list, row.trust_list_etag = trust_body, answer.etag or row.trust_list_etag
    row.revocations_full, row.revocations_deltas = full, deltas
    now = utcnow()
    if changed or row.stale_since is not None:
        row.updated_at = now  # each web worker rebuilds what it holds of the partner
    row.refreshed_at, row.stale_since, row.last_error = now, None, None
    return "; ".join(what) if changed else UNCHANGED


def _apply(state: RevocationState, body: bytes, trust, code: str, *, full: bool = False):
    try:
        revocations = parse_revocation_list(body, trust=trust)
        if full and not revocations.is_full:
            raise RevocationListError("a delta came where a full list was asked for")
        state.apply(revocations)
    except (RevocationListError, ValueError) as error:
        raise Refused(f"the revocation list of {code} is refused: {error}") from None
    return revocations
