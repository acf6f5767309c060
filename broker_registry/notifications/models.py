from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ..db.columns import timestamp


class Notification(SQLModel, table=True):
    """A message to an account, shown in its pages (/notifications)."""

    __tablename__ = "notifications"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id")
    licence_id: int | None = Field(default=None, foreign_key="licences.id")
    subject: str = Field(max_length=300)
    body: str = Field(max_length=8000)
    created_at: datetime = timestamp(default_now=True)
    read_at: datetime | None = timestamp(nullable=True)

    __table_args__ = (sa.Index("ix_notifications_account_id_id", "account_id", "id"),)


class OutboxMessage(SQLModel, table=True):
    """An email waiting for the worker (or `broker-registry outbox send`); written in the
    deciding transaction, so a mail server that is down delays a message but never loses it
    or blocks a decision. A sender claims a message until `claimed_until` before sending it,
    so two senders never send the same one."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=8000)
    created_at: datetime = timestamp(default_now=True)
    sent_at: datetime | None = timestamp(nullable=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=1000)
    claimed_until: datetime | None = timestamp(nullable=True)

    __table_args__ = (sa.Index("ix_outbox_sent_at_id", "sent_at", "id"),)


class NoticeSent(SQLModel, table=True):
    """A notice the worker sends once: `kind` and `key` name what it was about (a
    registration's expiry date, a certificate's overdue delivery), so neither a second run
    nor a second worker sends it again."""

    __tablename__ = "notices_sent"

    kind: str = Field(max_length=40, primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
    sent_at: datetime = timestamp(default_now=True)
