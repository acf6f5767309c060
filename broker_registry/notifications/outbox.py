"""Sending the outbox (the worker, or `broker-registry outbox send`).

A sender claims one message at a time (a short transaction: FOR UPDATE SKIP LOCKED on
PostgreSQL, the write lock on SQLite), sends it with no transaction open, and records the
outcome. Two senders at once never send the same message; a sender killed between sending
and recording leaves its claim to lapse, and the message is sent again after CLAIM (at
least once, never lost). A message that fails stays queued with its attempts and last error.
"""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db import intent
from ..db.columns import utcnow
from ..db.private_files import private_file, private_folder
from .models import OutboxMessage

MAX_ATTEMPTS = 20
CLAIM = timedelta(minutes=5)  # far longer than one message takes (each SMTP step times out)
_SMTP_ERRORS = (OSError, smtplib.SMTPException)


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int


class MailFolder:
    """Development's mail server: each message is written to a file of its own (.eml, its
    owner's alone) in a folder, where a developer opens the link that confirms a sign-up."""

    def __init__(self, folder: Path):
        self.folder = private_folder(folder)

    def send_message(self, message: EmailMessage) -> None:
        path = private_file(self.folder / f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml")
        path.write_bytes(bytes(message))

    def quit(self) -> None:
        pass

    close = quit


def _connect(smtp_url: str, timeout: float) -> smtplib.SMTP | MailFolder:
    parts = urlsplit(smtp_url)
    if parts.scheme == "file" and parts.path:
        return MailFolder(Path(unquote(parts.path)))
    if parts.scheme not in {"smtp", "smtps", "smtp+starttls"} or not parts.hostname:
        # Never the URL itself: it may carry the mail account's password, and this message
        # is kept in outbox.last_error.
        raise ValueError(f"SMTP_URL must look like smtp://host:port; its scheme "
                         f"{parts.scheme!r} is not smtp, smtps, smtp+starttls or file")
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


def _claim_next(session: Session, tried: list[int]) -> OutboxMessage | None:
    """The oldest message nobody is sending and this run has not tried, claimed for this
    sender and committed."""
    now = utcnow()
    statement = (select(OutboxMessage)
                 .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
                        sa.or_(OutboxMessage.claimed_until.is_(None),
                               OutboxMessage.claimed_until < now),
                        OutboxMessage.id.not_in(tried))
                 .order_by(OutboxMessage.id).limit(1).with_for_update(skip_locked=True))
    with intent(write=True):
        row = session.exec(statement).first()
        if row is not None:
            row.claimed_until = now + CLAIM
            session.add(row)
        session.commit()
    return row


def _record(session: Session, row: OutboxMessage, error: Exception | None) -> None:
    if error is None:
        row.sent_at = utcnow()
    else:
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:1000]
    row.claimed_until = None
    with intent(write=True):
        session.add(row)
        session.commit()


def send_pending(session: Session, *, smtp_url: str, sender: str, batch: int = 100,
                 timeout: float = 10.0) -> SendResult:
    """Send up to `batch` queued messages, recording the outcome of each as it goes."""
    sent = failed = 0
    server: smtplib.SMTP | MailFolder | None = None
    refused: Exception | None = None  # the mail server could not be reached this run
    tried: list[int] = []
    try:
        for _ in range(batch):
            row = _claim_next(session, tried)
            if row is None:
                break
            tried.append(row.id)
            if server is None and refused is None:
                try:
                    server = _connect(smtp_url, timeout)
                except (*_SMTP_ERRORS, ValueError) as error:
                    refused = error
            error = refused or _send(server, row, sender)
            _record(session, row, error)
            sent, failed = sent + (error is None), failed + (error is not None)
    finally:
        if server is not None:
            _quit(server)
    return SendResult(sent, failed)


def _send(server: smtplib.SMTP | MailFolder, row: OutboxMessage, sender: str) -> Exception | None:
    try:
        server.send_message(_message(row, sender))
    except _SMTP_ERRORS as error:
        return error
    return None


def _quit(server: smtplib.SMTP | MailFolder) -> None:
    try:
        server.quit()
    except _SMTP_ERRORS:
        server.close()
