"""Reminding regulators of deliveries that are overdue (a job of the worker)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext, ngettext
from sqlmodel import Session

from ..accounts.locale import in_language_of
from ..accounts.models import Account
from ..certificates.models import Certificate
from ..notifications.models import NoticeSent
from ..notifications.service import first_time, notify
from ..permissions import Role
from .service import overdue_since

KIND = "delivery_overdue"
LISTED = 20  # numbers named in one reminder; the dashboard lists them all


def remind_overdue_deliveries(session: Session, *, days: int, now: datetime,
                              mail: bool) -> int:
    """Tell every active regulator, in one message, of each certificate whose delivery became
    overdue since the last reminder; each certificate once. Answers how many were new."""
    newly = list(session.execute(
        sa.select(Certificate.number).where(
            overdue_since(now - timedelta(days=days)),
            ~sa.exists().where(NoticeSent.kind == KIND, NoticeSent.key == Certificate.number))
        .order_by(Certificate.last_shipment_at)).scalars())
    numbers = [number for number in newly if first_time(session, kind=KIND, key=number)]
    if not numbers:
        return 0
    regulators = session.execute(sa.select(Account.id, Account.email).where(
        Account.role == Role.REGULATOR, Account.active.is_(True)))
    for account_id, email in regulators:
        with in_language_of(session, account_id):
            subject = ngettext("%(num)d delivery is overdue", "%(num)d deliveries are overdue",
                               len(numbers))
            body = _body(numbers, days)
        notify(session, account_id=account_id, subject=subject, body=body,
               email=email if mail else None)
    return len(numbers)


def _body(numbers: list[str], days: int) -> str:
    body = gettext("No delivery has been confirmed for these certificates %(days)s days or more "
                   "after their last shipment:", days=days)
    body += "\n" + "\n".join(numbers[:LISTED])
    if len(numbers) > LISTED:
        body += "\n" + gettext("and %(n)s more (see the dashboard).", n=len(numbers) - LISTED)
    return body
