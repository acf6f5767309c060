"""Publishing the full revocation list: when one is due, and storing exactly one per sequence.

The worker asks every second or so (`publish_if_due`); `init`, `revocations publish` and
`keys revoke` ask too. Any number of processes on any number of machines may ask at once:
one of them publishes, under a database lock (db.exclusive; on SQLite the write lock, under
which the newest list is looked at again before the new one is stored). A process killed
mid-publication leaves nothing behind: the list is stored in one transaction, and the
next asker publishes the same sequence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from certs.revocation_list import encode_list, sign_encoded

from ..db import exclusive, intent
from ..db.columns import utcnow
from ..keys.service import active_signer
from .models import RevocationSnapshot
from .service import LIFETIME, FullList, Published, full_list, newest_published, sequence

LOCK = "broker_registry.revocations.publish"
RENEW_AFTER = LIFETIME / 2  # a list is signed again halfway to its next_update


@dataclass(frozen=True)
class Publication:
    sequence: int
    edition: int
    kid: bytes
    entries: int
    size: int
    why: str


def why_due(newest: Published | None, *, upto: int, active_kid: bytes,
            now: datetime) -> str | None:
    """Why a new full list should be signed now, or None when the newest one is current."""
    if newest is None:
        return "no full list yet"
    if newest.sequence != upto:
        return f"the sequence moved from {newest.sequence} to {upto}"
    if newest.kid != active_kid:
        return "another signer is active"
    if now - newest.issued_at >= RENEW_AFTER:
        return "the list is halfway to its next_update"
    return None


def publish_if_due(session: Session, *, store, authority: str, force: bool = False,
                   starting: Callable[[int, str], object] | None = None) -> Publication | None:
    """Sign and store a full list when one is due (or `force`); None when none was due, or
    another process is publishing or has just published. starting(sequence, why) is called
    once the list is read, before it is signed and stored."""
    with exclusive(session.get_bind().engine, LOCK) as held:
        if not held:
            return None
        with intent(write=False):  # SQLite: a snapshot that holds no writer back
            try:
                before = newest_published(session)
                signer = active_signer(session, store)
                now = utcnow()
                why = why_due(before, upto=sequence(session), active_kid=signer.kid, now=now)
                if why is None and not force:
                    return None
                listed = full_list(session, now=now)
            finally:
                session.rollback()
        if starting is not None:
            starting(listed.sequence, why or "asked for")
        body = _signed(listed, signer, authority=authority, now=now)
        return _store(session, before, listed, body, kid=signer.kid, now=now,
                      why=why or "asked for")


def _signed(listed: FullList, signer, *, authority: str, now: datetime) -> bytes:
    payload = encode_list(authority=authority, sequence=listed.sequence, base=0,
                          issued_at=int(now.timestamp()),
                          next_update=int((now + LIFETIME).timestamp()),
                          entries=listed.entries, count=listed.count,
                          revoked_signers=listed.revoked_signers)
    return sign_encoded(payload, signer_key=signer.private_key, signer_cert=signer.certificate)


def _store(session: Session, before: Published | None, listed: FullList, body: bytes, *,
           kid: bytes, now: datetime, why: str) -> Publication | None:
    with intent(write=True):
        if newest_published(session) != before:  # another process published meanwhile
            session.rollback()
            return None
        edition = 1
        if before is not None and before.sequence == listed.sequence:
            edition = before.edition + 1
            session.execute(sa.update(RevocationSnapshot)
                            .where(RevocationSnapshot.sequence == listed.sequence)
                            .values(body=body, kid=kid, edition=edition, issued_at=now,
                                    next_update=now + LIFETIME))
        else:
            session.add(RevocationSnapshot(sequence=listed.sequence, body=body, kid=kid,
                                           issued_at=now, next_update=now + LIFETIME))
        # Only the newest list is ever served; the older ones keep their record.
        session.execute(sa.update(RevocationSnapshot)
                        .where(RevocationSnapshot.sequence < listed.sequence,
                               RevocationSnapshot.body.is_not(None))
                        .values(body=None))
        session.commit()
    return Publication(listed.sequence, edition, kid, listed.count, len(body), why)
