"""Sending the outbox (`broker-registry outbox send`): each row is sent at most once, and a
row that fails stays queued with its attempts and last error for the next run."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlmodel import Session, select

from ..db import lock_rows, utcnow
from .models import OutboxMessage

MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int


def _connect(smtp_url: str, timeout: float) -> smtplib.SMTP:
    parts = urlsplit(smtp_url)
    if parts.scheme not in {"smtp", "smtps", "smtp+starttls"} or not parts.hostname:
        # Never the URL itself: it may carry the mail account's password, and this message
        # is kept in outbox.last_error.
        raise ValueError(f"SMTP_URL must look like smtp://host:port; its scheme "
                         f"{parts.scheme!r} is not smtp, smtps or smtp+starttls")
    if parts.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(parts.hostname, parts.port or 465,
                                                timeout=timeout)
    else:
        server = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=timeout)
        if parts.scheme == "smtp+starttls":
            server.starttls()
    if parts.username:
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def _message(row: OutboxMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, row.to_address, row.subject
    message.set_content(row.body)
    return message


def _pending(session: Session, batch: int) -> list[OutboxMessage]:
    statement = (select(OutboxMessage)
                 .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
                 .order_by(OutboxMessage.id).limit(batch))
    return list(session.exec(lock_rows(statement)))


def _fail(row: OutboxMessage, error: Exception) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:1000]


def send_pending(session: Session, *, smtp_url: str, sender: str, batch: int = 100,
                 timeout: float = 10.0) -> SendResult:
    """Send up to `batch` queued messages; commits the outcome of each."""
    rows = _pending(session, batch)
    if not rows:
        return SendResult(0, 0)
    try:
        server = _connect(smtp_url, timeout)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        for row in rows:
            _fail(row, error)
            session.add(row)
        session.commit()
        return SendResult(0, len(rows))
    sent = failed = 0
    with server:
        for row in rows:
            try:
                server.send_message(_message(row, sender))
                row.sent_at = utcnow()
                sent += 1
            except (OSError, smtplib.SMTPException) as error:
                _fail(row, error)
                failed += 1
            session.add(row)
            session.commit()
    return SendResult(sent, failed)
