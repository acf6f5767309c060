"""Telling a broker of every decision on its registration, in the broker's language: a
notification in its pages and, when mail is configured, a mail through the outbox, written
in the deciding transaction. Only the reason meant for the applicant is sent; the regulator's
internal note stays in the audit log."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from ..accounts.locale import in_language_of
from ..notifications.service import notify
from .models import Broker

# What each decision did, as the broker reads it.
DONE = {"approve": _l("approved"), "refuse": _l("refused"), "renew": _l("renewed"),
        "refuse_renewal": _l("renewal refused"), "suspend": _l("suspended"),
        "reinstate": _l("reinstated"), "revoke": _l("revoked")}


def tell(session: Session, broker: Broker, action: str, reason: str, *, mail: bool) -> None:
    with in_language_of(session, broker.owner_id):
        done = str(DONE[action])
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
