"""Telling an account what happened: a notification in its pages and, when mail is configured,
an email in the outbox, both written in the caller's transaction."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db.columns import utcnow
from .models import NoticeSent, Notification, OutboxMessage


def notify(session: Session, *, account_id: int, subject: str, body: str,
           email: str | None = None, licence_id: int | None = None) -> Notification:
    """`email` is the address to mail, or None when no mail server is configured."""
    note = Notification(account_id=account_id, licence_id=licence_id, subject=subject[:300],
                        body=body[:8000])
    session.add(note)
    if email:
        session.add(OutboxMessage(to_address=email, subject=subject[:300], body=body[:8000]))
    session.flush()
    return note


def first_time(session: Session, *, kind: str, key: str) -> bool:
    """Record that the notice `kind`/`key` is being sent; False when it was sent before. On
    SQLite the caller's write lock orders the look and the insert; on PostgreSQL the primary
    key refuses a second worker's insert (its transaction then sends nothing)."""
    if session.get(NoticeSent, (kind, key)) is not None:
        return False
    session.add(NoticeSent(kind=kind, key=key))
    session.flush()
    return True
def queue_mail(session: Session, *, to: str, subject: str, body: str) -> OutboxMessage:
    """An email for the outbox alone, to an address that may have no account yet (a sign-up
    to confirm): sent by whatever sends the outbox, whether or not mail is configured now."""
    message = OutboxMessage(to_address=to, subject=subject[:300], body=body[:8000])
    session.add(message)
    session.flush()
    return message


def for_account(session: Session, account_id: int, *, limit: int,
                after: int | None) -> list[Notification]:
    """Newest first; `after` is the last id seen on the previous page."""
    statement = (select(Notification).where(Notification.account_id == account_id)
                 .order_by(Notification.id.desc()).limit(limit + 1))
    if after is not None:
        statement = statement.where(Notification.id < after)
    return list(session.exec(statement))


def mark_all_read(session: Session, account_id: int) -> None:
    session.execute(sa.update(Notification)
                    .where(Notification.account_id == account_id, Notification.read_at.is_(None))
                    .values(read_at=utcnow()))


def unread_count(session: Session, account_id: int, cap: int = 100) -> int:
    """Counted over at most `cap` rows of the account's index range, never the whole table."""
    ids = session.exec(select(Notification.id).where(Notification.account_id == account_id,
                                                     Notification.read_at.is_(None))
                       .limit(cap))
    return len(list(ids))
