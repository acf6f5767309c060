"""What a broker may start, given the state of its registrations: the licence form is
offered only under a registered broker; otherwise the page says why."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..brokers.models import Broker, RegistrationStatus
from ..i18n.labels import STATUSES, label


def registered(brokers: list[Broker]) -> list[Broker]:
    return [b for b in brokers if b.effective_status == RegistrationStatus.REGISTERED]


def why_no_application(brokers: list[Broker]) -> str | None:
    """None when the account may apply for a licence; otherwise the reason, in words."""
    if registered(brokers):
        return None
    if not brokers:
        return str(_l("Register as a broker first: a licence application is made under an "
                      "approved broker registration."))
    latest = brokers[-1]
    status = label(STATUSES, latest.effective_status)
    if latest.effective_status == RegistrationStatus.SUBMITTED:
        return str(_l("Your broker registration for %(name)s is %(status)s: you can apply for "
                      "a licence once the regulator approves your broker registration.",
                      name=latest.legal_name, status=status))
    return str(_l("Your broker registration for %(name)s is %(status)s: a licence can be "
                  "applied for only under a registered broker.",
                  name=latest.legal_name, status=status))
