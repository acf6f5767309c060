"""The public revocation list: recording changes, reading full lists and building deltas.

Every change is written in the transaction of the sanction that caused it, with the next
sequence number, so the list can never disagree with the certificates. The full list is
signed by the worker (publishing.py) and only served here; a delta is built per request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from certs.revocation_list import (
    Entry,
    EntryStatus,
    encode_entry,
    revocation_payload,
    sign_revocation_list,
)

from ..db.columns import UTCDateTime, utcnow
from ..db.counters import Counter, current_value, next_value
from ..db.driver_sql import DriverQuery
from ..db.held import Generation
from ..errors import Unavailable
from .models import ListedCertificate, RevocationEntry, RevocationSnapshot

COUNTER = "revocations"
# Every list, full or delta, says it is due again within this: the worker signs a new full
# list within the publication lag of a change, and again halfway through this without one,
# so a running registry never serves a list past its next_update.
LIFETIME = timedelta(hours=1)
RETRY_AFTER = 5  # seconds: the worker publishes the first list within a second or two
# Bumped by every change this process records, so a cache of the list's heads in this
# process (the API's 304 answers) notices at once; other processes within its lifetime.
CHANGED = Generation()


def _epoch(value: datetime) -> int:
    return int(value.timestamp())


def record_certificate(session: Session, certificate, status: EntryStatus, reason: int) -> int:
    CHANGED.bump()
    seq, at = next_value(session, COUNTER), utcnow()
    session.add(RevocationEntry(seq=seq, cti_hash=certificate.cti_hash, status=str(status),
                                reason=int(reason), at=at, expires_at=certificate.valid_until))
    entry = encode_entry(Entry(certificate.cti_hash, status, int(reason), _epoch(at), seq))
    session.execute(_listing(session.get_bind().dialect.name).values(
        cti_hash=certificate.cti_hash, status=str(status), seq=seq,
        expires_at=certificate.valid_until, entry=entry))
    return seq


def _listing(dialect: str):
    """Insert or replace a certificate's latest entry."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(ListedCertificate)
    return insert.on_conflict_do_update(
        index_elements=["cti_hash"],
        set_={name: insert.excluded[name] for name in ("status", "seq", "expires_at", "entry")})


def record_signer(session: Session, kid_hex: str) -> int:
    CHANGED.bump()
    seq = next_value(session, COUNTER)
    session.add(RevocationEntry(seq=seq, kid=bytes.fromhex(kid_hex), status="revoked",
                                reason=7, at=utcnow()))
    return seq


def sequence(session: Session) -> int:
    return current_value(session, COUNTER)


def _revoked_signers(session: Session) -> list[bytes]:
    rows = session.exec(select(RevocationEntry.kid).where(RevocationEntry.kid.is_not(None)))
    return sorted(set(rows))


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
                              issued_at=_epoch(now), next_update=_epoch(now + LIFETIME),
                              entries=_latest_per_hash(rows),
                              revoked_signers=_revoked_signers(session))


@dataclass(frozen=True)
class FullList:
    """What a full list holds at one sequence: its entries already encoded and joined."""

    sequence: int
    count: int
    entries: bytes
    revoked_signers: list[bytes]


def _joined(dialect: str, column):
    """Every value of a byte-string column joined into one, in the database."""
    if dialect == "postgresql":
        return sa.func.string_agg(column, sa.literal_column("''::bytea"), type_=sa.LargeBinary)
    return sa.cast(sa.func.group_concat(column, sa.literal_column("x''")), sa.LargeBinary)


def _full_list_query(dialect: str) -> DriverQuery:
    """One statement, so one snapshot: the sequence and the rows it covers agree."""
    live = sa.and_(ListedCertificate.status != str(EntryStatus.ACTIVE),
                   sa.or_(ListedCertificate.expires_at.is_(None),
                          ListedCertificate.expires_at > sa.bindparam("now", type_=UTCDateTime())))
    listed = sa.select(sa.func.count().label("n"),
                       _joined(dialect, ListedCertificate.entry).label("entries")) \
        .where(live).subquery()
    kids = sa.select(_joined(dialect, RevocationEntry.kid).label("kids")) \
        .where(RevocationEntry.kid.is_not(None)).subquery()
    upto = sa.select(Counter.value).where(Counter.name == COUNTER).scalar_subquery()
    return DriverQuery(sa.select(upto, listed.c.n, listed.c.entries, kids.c.kids), binary=True)


_FULL_LIST = {name: _full_list_query(name) for name in ("postgresql", "sqlite")}


def full_list(session: Session, *, now: datetime) -> FullList:
    """Every certificate revoked or suspended at the current sequence, but those past their
    expiry, read on the driver's cursor (a million entries in well under a second)."""
    connection = session.connection()
    upto, count, entries, kids = _FULL_LIST[connection.dialect.name].first(connection,
                                                                          {"now": now})
    kids = bytes(kids or b"")
    signers = sorted({kids[i:i + 8] for i in range(0, len(kids), 8)})
    return FullList(upto or 0, count, bytes(entries or b""), signers)


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


@dataclass(frozen=True)
class Published:
    """The newest full list, without its body: what a request or the worker looks at first."""

    sequence: int
    kid: bytes | None
    issued_at: datetime
    edition: int

    @property
    def name(self) -> str:
        """Which published full list this is: a list signed again at the same sequence is
        another edition, with another ETag."""
        return f"{self.sequence}.{int(self.issued_at.timestamp() * 1_000_000)}"


def newest_published(session: Session) -> Published | None:
    row = session.execute(sa.select(RevocationSnapshot.sequence, RevocationSnapshot.kid,
                                    RevocationSnapshot.issued_at, RevocationSnapshot.edition)
                          .order_by(RevocationSnapshot.sequence.desc()).limit(1)).first()
    return None if row is None else Published(*row)


def unpublished_since(session: Session, published: Published | None) -> datetime | None:
    """When the oldest change the newest full list does not hold was recorded; None when it
    holds them all."""
    after = published.sequence if published is not None else 0
    return session.execute(sa.select(RevocationEntry.at)
                           .where(RevocationEntry.seq == after + 1)).scalar_one_or_none()


class NotPublished(Unavailable):
    def __init__(self):
        super().__init__(_l("No revocation list has been published yet: the registry's worker "
                            "publishes the first one shortly. Ask again in a few seconds."),
                         retry_after=RETRY_AFTER)


# On the driver's binary cursor: a million entries are 50 MB, which PostgreSQL's text format
# would send as 100 MB of hexadecimal for the driver to decode (seconds per request).
_NEWEST_BODY = DriverQuery(
    sa.select(RevocationSnapshot.sequence, RevocationSnapshot.kid, RevocationSnapshot.issued_at,
              RevocationSnapshot.edition, RevocationSnapshot.body)
    .order_by(RevocationSnapshot.sequence.desc()).limit(1), binary=True)


def latest_full(session: Session) -> SignedList:
    """The newest published full list, as stored: requests never build or sign one."""
    row = _NEWEST_BODY.first(session.connection(), {})
    if row is None or row[4] is None:
        raise NotPublished()
    published = Published(*row[:4])
    return SignedList(published.sequence, bytes(row[4]), published.name)


def signed_delta(session: Session, signer, *, authority: str, since: int) -> SignedList:
    """The changes after `since`, which is at or after the newest full list's sequence (a
    verifier further behind is answered that full list instead)."""
    upto = sequence(session)
    payload = delta_payload(session, authority=authority, since=since, upto=upto)
    body = sign_revocation_list(payload, signer_key=signer.private_key,
                                signer_cert=signer.certificate)
    return SignedList(upto, body)
