"""Telling a broker of every decision on its registration, in the broker's language: a
notification in its pages and, when mail is configured, a mail through the outbox, written
in the deciding transaction. Only the reason meant for the applicant is sent; the regulator's
internal note stays in the audit log."""

from __future__ import annotations

from flask_babel import gettext
from sqlmodel import Session

from ..accounts.locale import in_language_of
from ..notifications.service import notify
from .models import Broker

# The broker's own steps, which are no decision to tell it of; every other row of the
# registration's table (service.TRANSITIONS) is a regulator's decision, told in its past tense.
ASKED_BY_BROKER = frozenset({"request_renewal"})


def tell(session: Session, broker: Broker, action: str, past: object, reason: str, *,
         mail: bool) -> None:
    """Tell the broker that the regulator's `action` was done; `past` is its past tense from
    the transition table ("suspended", "renewal refused")."""
    with in_language_of(session, broker.owner_id):
        done = str(past)
        name = broker.registration_number or broker.legal_name
        subject = gettext("Broker registration %(name)s: %(done)s", name=name, done=done)
        body = gettext("The regulator decided on your broker registration for %(legal_name)s "
                       "(%(name)s): %(done)s.", legal_name=broker.legal_name, name=name,
                       done=done)
        if action in ("approve", "renew") and broker.valid_until is not None:
            body += "\n" + gettext("Valid until %(date)s.",
                                   date=f"{broker.valid_until:%Y-%m-%d}")
        body += "\n" + gettext("Reason: %(reason)s", reason=reason)
    notify(session, account_id=broker.owner_id, subject=subject, body=body,
           email=broker.email if mail else None)
