"""What the outbox holds for an address: the mail a sign-up sends, and the link in it, read
the way a person reads their mail."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from broker_registry.notifications.models import OutboxMessage

LINK = re.compile(r"https?://\S+/signup/confirm\?token=[\w-]+")


def mails_to(executor, address: str) -> list[OutboxMessage]:
    """Oldest first; executor is a session or a connection."""
    rows = executor.execute(sa.select(OutboxMessage.__table__)
                            .where(OutboxMessage.to_address == address)
                            .order_by(OutboxMessage.id)).all()
    return [OutboxMessage(**row._mapping) for row in rows]


def confirm_link(executor, address: str) -> str:
    """The link of the latest sign-up mailed to the address."""
    links = [LINK.search(mail.body) for mail in mails_to(executor, address)]
    found = [link.group(0) for link in links if link]
    assert found, f"no sign-up link was mailed to {address}"
    return found[-1]


def path_of(link: str) -> str:
    """The link as a test client asks for it: path and query."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"
