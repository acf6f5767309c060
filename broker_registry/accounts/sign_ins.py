"""Browsers signed in to the pages, kept on the server.

The cookie carries a random id (256 bits) and the table its SHA-256, as with API tokens: a
stolen table signs no one in. A sign-in ends when its browser signs out, when the account's
password changes, when the account is deactivated, or LIFETIME after it began; from then on a
copy of the cookie signs no one in. Only page requests read this table: an API request is
answered on its bearer token alone.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db.columns import utcnow
from .models import Account, SignIn

LIFETIME = timedelta(hours=12)
_ID_LENGTH = 43  # secrets.token_urlsafe(32)


def _hash(sign_in_id: str) -> str:
    return hashlib.sha256(sign_in_id.encode("utf-8")).hexdigest()


def start(session: Session, account: Account) -> str:
    """A new sign-in for the account; the id to put in the cookie. The account's sign-ins
    that are over are cleared away (a sign-in is no record to keep: the login is not one)."""
    now = utcnow()
    session.execute(sa.delete(SignIn).where(
        SignIn.account_id == account.id,
        sa.or_(SignIn.ended_at.is_not(None), SignIn.expires_at <= now)))
    sign_in_id = secrets.token_urlsafe(32)
    session.add(SignIn(account_id=account.id, token_hash=_hash(sign_in_id),
                       created_at=now, expires_at=now + LIFETIME))
    session.flush()
    return sign_in_id


def account_for(session: Session, sign_in_id: str) -> Account | None:
    """The active account a live sign-in belongs to, in one indexed query; None for an ended,
    expired or unknown one, or an account deactivated since."""
    if len(sign_in_id) != _ID_LENGTH:
        return None
    return session.exec(
        select(Account).join(SignIn, SignIn.account_id == Account.id)
        .where(SignIn.token_hash == _hash(sign_in_id), SignIn.ended_at.is_(None),
               SignIn.expires_at > utcnow(), Account.active.is_(True))).first()


def end(session: Session, sign_in_id: str) -> None:
    session.execute(sa.update(SignIn).where(SignIn.token_hash == _hash(sign_in_id),
                                            SignIn.ended_at.is_(None))
                    .values(ended_at=utcnow()))


def end_all(session: Session, account_id: int) -> int:
    """End every live sign-in of the account; how many there were."""
    ended = session.execute(sa.update(SignIn).where(SignIn.account_id == account_id,
                                                    SignIn.ended_at.is_(None),
                                                    SignIn.expires_at > utcnow())
                            .values(ended_at=utcnow()))
    return ended.rowcount
