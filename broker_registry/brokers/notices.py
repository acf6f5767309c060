"""Telling brokers that their registration expires soon (a job of the worker)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_date, gettext
from sqlmodel import Session

from ..accounts.locale import in_language_of
from ..notifications.service import first_time, notify
from .models import Broker, RegistrationStatus

KIND = "registration_expiry"


def notice_expiring_registrations(session: Session, *, window_days: int, now: datetime,
                                  mail: bool) -> int:
    """Once per registration term, as its renewal window opens: each registered broker whose
    registration ends within window_days and who has not asked for renewal is told when.
    Each notice commits on its own. Answers how many were sent."""
    expiring = list(session.execute(sa.select(Broker).where(
        Broker.status == RegistrationStatus.REGISTERED, Broker.valid_until > now,
        Broker.valid_until <= now + timedelta(days=window_days),
        Broker.renewal_requested_at.is_(None)).order_by(Broker.id)).scalars())
    sent = 0
    for broker in expiring:
        key = f"{broker.id}:{broker.valid_until:%Y-%m-%d}"  # a renewed term is told again
        if first_time(session, kind=KIND, key=key):
            _tell(session, broker, mail)
            sent += 1
        session.commit()
    return sent


def _tell(session: Session, broker: Broker, mail: bool) -> None:
    with in_language_of(session, broker.owner_id):
        date = format_date(broker.valid_until, "long")
        subject = gettext("Registration %(number)s expires on %(date)s",
                          number=broker.registration_number, date=date)
        body = gettext("Your registration as a broker, %(number)s, expires on %(date)s. You can "
                       "ask for its renewal now, on your registration's page; without renewal "
                       "you may not broker after that date.",
                       number=broker.registration_number, date=date)
    notify(session, account_id=broker.owner_id, subject=subject, body=body,
           email=broker.email if mail else None)
