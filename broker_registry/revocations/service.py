"""The public revocation list: recording changes, building full lists and deltas.

Every change is written in the transaction of the sanction that caused it, with the next
sequence number, so the list can never disagree with the certificates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from certs.revocation_list import (
    Entry,
    EntryStatus,
    revocation_payload,
    sign_revocation_list,
)

from ..counters import current_value, next_value
from ..db import utcnow
from .models import RevocationEntry, RevocationSnapshot

COUNTER = "revocations"
NEXT_UPDATE = timedelta(hours=24)  # a delta is the list as it stands when it is asked for
# A full list is the list as it stood when `revocations publish` last ran: it says it is due
# again within this, so a verifier that fetches only full lists calls one older than this
# stale instead of trusting it for a day. Run the publish command at least this often.
FULL_LIST_INTERVAL = timedelta(hours=1)
# Bumped by every change this process records, so a cache of the list's heads in this
# process (the API's 304 answers) notices at once; other processes within its lifetime.
_generation = [0]


def generation() -> int:
    return _generation[0]


def record_certificate(session: Session, certificate, status: EntryStatus, reason: int) -> int:
    _generation[0] += 1
    seq = next_value(session, COUNTER)
    session.add(RevocationEntry(seq=seq, cti_hash=certificate.cti_hash, status=str(status),
                                reason=int(reason), at=utcnow(),
                                expires_at=certificate.valid_until))
    return seq


def record_signer(session: Session, kid_hex: str) -> int:
    _generation[0] += 1
    seq = next_value(session, COUNTER)
    session.add(RevocationEntry(seq=seq, kid=bytes.fromhex(kid_hex), status="revoked",
                                reason=7, at=utcnow()))
    return seq


def sequence(session: Session) -> int:
    return current_value(session, COUNTER)


def _epoch(value) -> int:
    return int(value.timestamp())


def _revoked_signers(session: Session) -> list[bytes]:
    rows = session.exec(select(RevocationEntry.kid).where(RevocationEntry.kid.is_not(None))
                        .order_by(RevocationEntry.seq))
    return list(dict.fromkeys(rows))


def _latest_per_hash(rows) -> list[Entry]:
    latest: dict[bytes, RevocationEntry] = {}
    for row in rows:
        latest[row.cti_hash] = row
    return [Entry(h, EntryStatus(r.status), r.reason, _epoch(r.at), r.seq)
            for h, r in latest.items()]


def delta_payload(session: Session, *, authority: str, since: int, upto: int) -> dict:
    """Every certificate whose state changed after `since`, as it stands at `upto`."""
    rows = session.exec(select(RevocationEntry)
                        .where(RevocationEntry.seq > since, RevocationEntry.seq <= upto,
                               RevocationEntry.cti_hash.is_not(None))
                        .order_by(RevocationEntry.seq))
    now = utcnow()
    return revocation_payload(authority=authority, sequence=upto, base=since,
                              issued_at=_epoch(now), next_update=_epoch(now + NEXT_UPDATE),
                              entries=_latest_per_hash(rows),
                              revoked_signers=_revoked_signers(session))


def full_payload(session: Session, *, authority: str, upto: int,
                 fresh_for: timedelta = FULL_LIST_INTERVAL) -> dict:
    """Every certificate revoked or suspended at `upto`; expired ones are pruned."""
    now = utcnow()
    rows = session.execute(sa.select(RevocationEntry.cti_hash, RevocationEntry.status,
                                     RevocationEntry.reason, RevocationEntry.at,
                                     RevocationEntry.seq)
                           .where(RevocationEntry.seq <= upto,
                                  RevocationEntry.cti_hash.is_not(None),
                                  sa.or_(RevocationEntry.expires_at.is_(None),
                                         RevocationEntry.expires_at > now))
                           .order_by(RevocationEntry.seq))
    latest = {}
    for h, status, reason, at, seq in rows:
        latest[h] = (status, reason, at, seq)
    entries = [Entry(h, EntryStatus(s), r, _epoch(at), seq)
               for h, (s, r, at, seq) in latest.items() if s != EntryStatus.ACTIVE]
    return revocation_payload(authority=authority, sequence=upto, base=0,
                              issued_at=_epoch(now), next_update=_epoch(now + fresh_for),
                              entries=entries, revoked_signers=_revoked_signers(session))


@dataclass(frozen=True)
class SignedList:
    sequence: int
    body: bytes
    published: str | None = None  # a full list's edition: its sequence and when it was signed

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def newest_snapshot(session: Session) -> RevocationSnapshot | None:
    return session.exec(select(RevocationSnapshot)
                        .order_by(RevocationSnapshot.sequence.desc()).limit(1)).first()


def edition(snapshot: RevocationSnapshot) -> str:
    """Which published full list this is: a list signed again at the same sequence (to renew
    its next_update) is another edition, with another ETag."""
    return _edition(snapshot.sequence, snapshot.issued_at)


def newest_edition(session: Session) -> str | None:
    row = session.execute(sa.select(RevocationSnapshot.sequence, RevocationSnapshot.issued_at)
                          .order_by(RevocationSnapshot.sequence.desc()).limit(1)).first()
    return None if row is None else _edition(*row)


def _edition(sequence: int, issued_at) -> str:
    return f"{sequence}.{int(issued_at.timestamp() * 1_000_000)}"  # two may share a second


def due_again(snapshot: RevocationSnapshot, upto: int) -> bool:
    """Whether `revocations publish` should sign a new full list: the sequence moved on, or
    the newest list is in the last half of its time, so a quiet hour never leaves the list
    past its own next_update."""
    return snapshot.sequence != upto or snapshot.next_update - utcnow() < FULL_LIST_INTERVAL / 2


def latest_full(session: Session, signer, *, authority: str) -> SignedList:
    """The newest published full list. Requests never rebuild it (but for the very first):
    `broker-registry revocations publish` does, and verifiers catch up with a delta."""
    snapshot = newest_snapshot(session)
    if snapshot is None:
        snapshot = build_snapshot(session, signer, authority=authority,
                                  upto=sequence(session))
    return SignedList(snapshot.sequence, snapshot.body, edition(snapshot))


def build_snapshot(session: Session, signer, *, authority: str, upto: int) -> RevocationSnapshot:
    _generation[0] += 1
    payload = full_payload(session, authority=authority, upto=upto)
    body = sign_revocation_list(payload, signer_key=signer.private_key,
                                signer_cert=signer.certificate)
    snapshot = RevocationSnapshot(sequence=upto, body=body, issued_at=utcnow(),
                                  next_update=utcnow() + FULL_LIST_INTERVAL)
    session.merge(snapshot)
    return snapshot


def signed_delta(session: Session, signer, *, authority: str, since: int) -> SignedList:
    upto = sequence(session)
    # A delta "since 0" would carry base 0, which the format reserves for full lists: answer
    # with the current full list instead (only a verifier that synced an empty list asks).
    if since == 0:  # built now, so as current as a delta
        payload = full_payload(session, authority=authority, upto=upto, fresh_for=NEXT_UPDATE)
    else:
        payload = delta_payload(session, authority=authority, since=since, upto=upto)
    body = sign_revocation_list(payload, signer_key=signer.private_key,
                                signer_cert=signer.certificate)
    return SignedList(upto, body)
